package mock

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// serveAPI answers one WeChat API request. Read it top to bottom: the
// request is read and routed (read), a scenario may be chosen (choose),
// the request is checked in the documented order (check), the answer is
// made (answer), then journaled (record) and sent (deliver). Each step
// returns what it found.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	c := s.read(w, r)
	o := s.respond(c)
	s.record(c, o)
	deliver(w, r, o.answer)
}

// outcome is how a request was answered, and what the journal says of it.
type outcome struct {
	answer
	scenario  string // the scenario that answered, or ""
	cause     string // why the world refused the request, or ""
	appid     string // who the request acted for, when the answer step knows better than the request
	component string // the platform it acted through, likewise
	env       string // the entity a listing was asked for
}

// respond makes the answer to c.
func (s *Server) respond(c *call) outcome {
	switch {
	case c.op == nil:
		return outcome{answer: notFound(c)}
	case c.r.Method != c.op.Method:
		return refuse(c, tcbmock.CauseMethod)
	}
	ch, err := s.choose(c)
	if err != nil {
		return outcome{answer: badRequest(err)}
	}
	if ch.scenario == nil {
		return s.natural(c)
	}
	st := s.seqs.next(ch.scenario, ch.key)
	o := s.forced(c, st)
	o.scenario = ch.scenario.Name
	o.fault, o.dribble = st.fault, st.dribble
	if st.delay != nil {
		o.delay = st.delay.pick()
	}
	return o
}

// natural answers from the world: the checks, then the operation's answer.
func (s *Server) natural(c *call) outcome {
	if causes := check(c); len(causes) > 0 {
		return refuse(c, causes...)
	}
	return s.succeed(c)
}

// forced answers a scenario's step.
func (s *Server) forced(c *call, st step) outcome {
	switch _, replaces := replacing[st.fault]; {
	case replaces:
		return outcome{answer: faultAnswer(st.fault)}
	case st.natural:
		return s.natural(c)
	case st.body != nil:
		return outcome{answer: answer{status: http.StatusOK, errcode: st.errcode, carries: st.carries, body: st.body.render(c.rid)}}
	}
	row, _ := c.op.Errcode(st.errcode)
	row.Errmsg = apispec.Addressed(row.Errmsg, c.ip)
	return outcome{answer: c.tpl.errorAnswer(row, c.rid)}
}

// refuse answers the errcode the operation's table gives the first of
// causes that it lists.
func refuse(c *call, causes ...string) outcome {
	a, cause := c.tpl.refuse(c.rid, c.ip, causes...)
	return outcome{answer: a, cause: cause}
}

// notFound answers a path where the spec has no operation: not a WeChat
// answer, so HTTP 404, but JSON with an errcode as a client expects.
func notFound(c *call) answer {
	return answer{status: http.StatusNotFound, errcode: -1, carries: true,
		body: systemError("tcbmock: no API at "+c.r.URL.Path, c.rid)}
}

// badRequest answers a request the fake cannot answer as asked, such as one
// naming an unknown scenario: HTTP 400 with the admin API's error body.
func badRequest(err error) answer {
	return answer{status: http.StatusBadRequest, contentType: "application/json", body: marshal(adminError{err.Error()})}
}

// systemError is {"errcode":-1,"errmsg":"errmsg rid: rid"}: what the fake
// answers where no operation's schema applies (no API at the path, a panic).
func systemError(errmsg, rid string) []byte {
	b := []byte(`{"errcode":-1,"errmsg":`)
	return append(appendString(b, errmsg+" rid: "+rid), '}')
}

// answer is what the fake sends back to one WeChat API request.
type answer struct {
	status      int
	errcode     int  // the errcode the body carries,
	carries     bool // if it carries one
	body        []byte
	contentType string // "" is the real server's

	// How it is delivered: after delay, with fault.
	delay   time.Duration
	fault   string
	dribble time.Duration
}

// writeAnswer sends a as the real server does: its status, JSON with the
// real server's Content-Type, and a length.
func writeAnswer(w http.ResponseWriter, a answer) {
	writeHead(w, a)
	_, _ = w.Write(a.body)
}

// writeHead sends a's status and headers.
func writeHead(w http.ResponseWriter, a answer) {
	h := w.Header()
	if a.contentType == "" {
		h["Content-Type"] = contentType // shared: net/http copies, never writes, a header's values
	} else {
		h.Set("Content-Type", a.contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(a.status)
}

// contentType is the header value of every answer of the real server.
var contentType = []string{apispec.ContentType}

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
		return outcome{answer: c.tpl.ok(c.tpl.example)}
	case r.List != "":
		return listAnswer(c, r)
	case r.Compute != nil:
		return computeAnswer(c, r)
	}
	return s.issue(c, r)
}

// listAnswer answers the entities of the token's account, those the request's
// match field selects, within the entity its within field names.
func listAnswer(c *call, r *apispec.AnswerRule) outcome {
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
	app := c.cfg.App(c.token.AppID)
	o.answer = app.listing(c.op.ID).pick(c.tpl, c.rid, within, match)
	return o
}
