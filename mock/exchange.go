package mock

import (
	"cmp"
	"net/http"
	"slices"
	"time"
)

// Exchange is a request that something else answered, such as the
// upstream of tcbmock proxy, for a server to journal with
// [Server.RecordExchange].
type Exchange struct {
	Time    time.Time     // when it came; the server's clock when zero
	Request *http.Request // its method, path, query and header; its Body is not read
	Body    []byte        // the request's body, as much of it as was read
	Status  int           // the HTTP status of the answer
	Answer  []byte        // the answer's body, as much of it as was read
	Errcode *int          // the errcode the answer carried, if it carried one
	RID     string        // the request id the answer gave, if any

	AppID     string // who the request acted for, if known
	Component string // the platform it acted through, if any
	Env       string // the entity it asked for, if any
	// Cause says why the answer was not validated as usual, such as "not
	// in the spec"; "" when it was.
	Cause string
	// Violations are how the answer breaks the spec, one line each.
	Violations []string
}

// maxViolations bounds the violations an entry keeps, in bytes.
const maxViolations = journalPartMax

// RecordExchange journals x as the server journals the requests it
// answers: each part cut, and with [WithRedaction] every credential in
// it, in its violations too, a placeholder. The operation is the spec's at
// the request's path. It returns the entry as the journal keeps it.
func (s *Server) RecordExchange(x Exchange) Entry {
	cfg := s.Config()
	e := stored{Entry: Entry{
		Time: cmp.Or(x.Time, s.Now()), Method: method(x.Request.Method), Status: x.Status, RID: x.RID, Cause: x.Cause,
		AppID: x.AppID, Component: x.Component, Env: x.Env,
	}}
	if x.Errcode != nil {
		e.errcode, e.hasErrcode = *x.Errcode, true
	}
	if rt := cfg.Spec.Match(x.Request); rt != nil {
		e.Operation = rt.ID
	}
	s.keep(&e, x.Request, cfg.secrets, x.Body, x.Answer)
	e.Violations = slices.Clone(x.Violations)
	if e.scrub != nil {
		for i, line := range e.Violations {
			e.Violations[i] = e.scrub.text(e.scrub.json(line))
		}
	}
	if n := keptLines(e.Violations); n < len(e.Violations) {
		e.Violations = e.Violations[:n]
		e.Truncated = append(e.Truncated, "violations")
	}
	s.journal.add(e)
	return e.entry()
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

// WithJournalOnly makes the server a journal of exchanges answered
// elsewhere ([Server.RecordExchange]), as tcbmock proxy uses it: its admin
// API serves health, config and requests, and nothing that acts on a
// world (tokens, clock, reset, apps, scenarios).
func WithJournalOnly() Option { return func(s *Server) { s.journalOnly = true } }
