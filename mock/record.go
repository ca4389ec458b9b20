package mock

import (
	"cmp"
	"log/slog"
	"net/http"
	"slices"

	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock/internal/redact"
)

// record journals an answered request: what came in and what was sent,
// each part cut to journalPartMax bytes and, with redaction, without
// credentials.
func (s *Server) record(c *call, o outcome) {
	e := stored{
		Entry: Entry{
			Time: c.now, Method: method(c.r.Method), Scenario: o.scenario, Status: o.status, RID: c.rid, Fault: o.fault, Cause: o.cause,
		},
		errcode: o.errcode, hasErrcode: o.carries,
	}
	small := s.keep(&e, c.r, c.cfg.secrets, c.body, o.body)
	e.Env, _ = cut(o.env, small)
	if c.op != nil {
		e.Operation = c.op.ID
		e.AppID, _ = cut(cmp.Or(o.appid, c.appid()), small)
	}
	e.Component = o.component
	if t := c.token; t != nil && e.Component == "" {
		e.Component = t.Component
	}
	s.journalAdd(e)
	if s.logger.Enabled(c.r.Context(), slog.LevelDebug) {
		s.logger.Debug("answered", "method", e.Method, "path", e.Path, "status", e.Status, "scenario", e.Scenario, "rid", e.RID)
	}
}

// keep puts into e the parts of an exchange the journal keeps: r's path,
// query and header, the request's body and the answer, each cut and, with
// redaction, without the credentials sf names. It reports whether r's
// request line is small enough that its parts are kept as they are.
func (s *Server) keep(e *stored, r *http.Request, sf *redact.Secrets, body, answer []byte) (small bool) {
	// The path and query, and what was read of them, are slices of the
	// request line: kept as they are when it is small.
	small = r.RequestURI != "" && len(r.RequestURI) <= 2*journalPartMax
	if small {
		e.line = len(r.RequestURI)
	}
	var parts [4]bool // which were cut: query, header, body, answer
	redactHeader := func(_, v string) string { return v }
	rawQuery := r.URL.RawQuery
	if s.redactor != nil {
		sc := s.redactor.Scrub(sf, rawQuery, r.Header, body, answer)
		rawQuery = sc.Query(rawQuery)
		body, answer = sc.Body(r.Header, body), []byte(sc.JSON(string(answer)))
		redactHeader = sc.Header
		e.scrub = sc
	}
	e.Path, _ = cut(r.URL.Path, small)
	e.rawQuery, parts[0] = cut(rawQuery, small && s.redactor == nil)
	e.header, parts[1] = keepHeader(r.Header, redactHeader)
	e.body, parts[2] = cutBytes(body)
	e.answer, parts[3] = cutBytes(answer)
	for i, part := range []string{"query", "header", "body", "answer"} {
		if parts[i] {
			e.Truncated = append(e.Truncated, part)
		}
	}
	return small
}

// method returns m, as a constant when it is a method of HTTP.
func method(m string) string {
	for _, known := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodHead, http.MethodOptions} {
		if m == known {
			return known
		}
	}
	s, _ := cut(m, false)
	return s
}

// journalAdd keeps e in the journal, without the redaction of its
// exchange, which only its making needed.
func (s *Server) journalAdd(e stored) {
	e.scrub = nil
	s.journal.Add(e)
}

// recordRefusal journals a request that was refused before it reached the
// server (package bridge's Refusals).
func (s *Server) recordRefusal(r *http.Request, status int, cause string, body []byte) {
	target := *r.URL
	if r.Method == http.MethodConnect {
		target.Path = r.Host
	} else {
		target.RawQuery = ""
		target.Path = target.String()
		target.RawQuery = r.URL.RawQuery
	}
	c := &call{r: r.WithContext(r.Context()), cfg: s.Config(), now: s.Now()}
	c.r.URL = &target
	s.record(c, outcome{answer: answer{status: status, body: body}, cause: cause})
}

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
