package mock

import (
	"github.com/tcbmock/tcbmock"
)

// succeed makes the answer of a request that passed every check, as the
// operation's x-answer says: a listing of the world's entities, a token
// issued by a behaviour, or, with no x-answer, the spec's example.
func (s *Server) succeed(c *call) outcome {
	if c.op.Clear != nil {
		if o := s.clearQuota(c); o != nil {
			return *o
		}
	}
	r := c.op.Answer
	switch {
	case r == nil:
		return outcome{answer: c.op.ok(c.op.example)}
	case r.List != "":
		return listAnswer(c, r)
	}
	return s.issue(c, r)
}

// listAnswer answers the entities of the token's account, those the request's
// match field selects, within the entity its within field names.
func listAnswer(c *call, r *tcbmock.AnswerRule) outcome {
	var o outcome
	within, match := "", ""
	if r.Within != nil {
		within = c.field(r.Within.Field)
		o.env = within
	}
	if r.Match != "" {
		match = c.field(r.Match)
		if o.env == "" {
			o.env = match
		}
	}
	app := c.cfg.App(c.token.appid)
	o.answer = app.lists[c.op.ID].pick(c.op, c.rid, within, match)
	return o
}
