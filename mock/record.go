package mock

import (
	"cmp"
	"log/slog"
)

// record journals an answered request: what came in and what was sent,
// each part cut to journalPartMax bytes and, with redaction, without
// credentials.
func (s *Server) record(c *call, o outcome) {
	rawQuery, body, answer := c.r.URL.RawQuery, string(c.body), string(o.body)
	redactHeader := func(_, v string) string { return v }
	if s.redactor != nil {
		sf := c.cfg.secrets
		rawQuery, body, answer = s.redactor.query(sf, rawQuery), s.redactor.json(sf, body), s.redactor.json(sf, answer)
		redactHeader = s.redactor.header
	}
	e := record{
		Entry: Entry{
			Time: c.now, Scenario: o.scenario, Status: o.status, RID: c.rid, Fault: o.fault, Cause: o.cause,
		},
		errcode: o.errcode, hasErrcode: o.carries,
	}
	// The method and path may be slices of the whole request line.
	e.Method, _ = keep(c.r.Method)
	e.Path, _ = keep(c.r.URL.Path)
	e.Env, _ = keep(o.env)
	var cut [4]bool
	e.rawQuery, cut[0] = keep(rawQuery)
	e.header, cut[1] = keepHeader(c.r.Header, redactHeader)
	e.body, cut[2] = keep(body)
	e.answer, cut[3] = keep(answer)
	for i, part := range []string{"query", "header", "body", "answer"} {
		if cut[i] {
			e.Truncated = append(e.Truncated, part)
		}
	}
	if c.op != nil {
		e.Operation = c.op.ID
		e.AppID, _ = keep(cmp.Or(o.appid, c.appid()))
	}
	if t := c.token; t != nil {
		e.Component = t.component
	}
	if o.component != "" {
		e.Component = o.component
	}
	s.journal.add(e)
	if s.logger.Enabled(c.r.Context(), slog.LevelDebug) {
		s.logger.Debug("answered", "method", e.Method, "path", e.Path, "status", e.Status, "scenario", e.Scenario, "rid", e.RID)
	}
}
