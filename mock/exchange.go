package mock

import (
	"cmp"
	"slices"

	"github.com/tcbmock/tcbmock/internal/bridge"
)

// maxViolations bounds the violations an entry keeps, in bytes.
const maxViolations = journalPartMax

// recordExchange journals x as the server journals the requests it
// answers (package bridge's RecordExchange).
func (s *Server) recordExchange(x bridge.Exchange) Entry {
	cfg := s.Config()
	e := stored{Entry: Entry{
		Time: cmp.Or(x.Time, s.Now()), Method: method(x.Request.Method), Status: x.Status, RID: x.RID, Cause: x.Cause,
		AppID: x.AppID, Component: x.Component, Env: x.Env,
	}}
	if x.Errcode != nil {
		e.errcode, e.hasErrcode = *x.Errcode, true
	}
	if rt := cfg.spec.Match(x.Request); rt != nil {
		e.Operation = rt.ID
	}
	s.keep(&e, x.Request, cfg.secrets, x.Body, x.Answer)
	e.Violations = slices.Clone(x.Violations)
	if e.scrub != nil {
		for i, line := range e.Violations {
			e.Violations[i] = e.scrub.Text(e.scrub.JSON(line))
		}
	}
	if n := keptLines(e.Violations); n < len(e.Violations) {
		e.Violations = e.Violations[:n]
		e.Truncated = append(e.Truncated, "violations")
	}
	s.journalAdd(e)
	return e.Read()
}

// keptLines returns how many of lines fit in maxViolations bytes.
func keptLines(lines []string) int {
	size := 0
	for i, l := range lines {
		if size += len(l); size > maxViolations {
			return i
		}
	}
	return len(lines)
}
