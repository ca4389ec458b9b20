package proxy

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
)

// Why an exchange was not validated: the journal's cause.
const (
	causeNotInSpec = "not in the spec"              // forwarded; the spec has no operation at its path
	causeUpstream  = "upstream failure"             // the upstream did not answer: the proxy did, with -1
	causeTooLarge  = "answer over 1 MiB"            // passed through, unvalidated
	causeEncoded   = "answer in an unread encoding" // a Content-Encoding other than gzip: passed through, unvalidated
	causeRefused   = "not forwarded"                // a request the proxy does not forward, such as CONNECT
	causeUpgrade   = "protocol switched"            // HTTP 101: the connection is the client's and the upstream's, unvalidated
)

// exchange is one request forwarded, and what came of it.
type exchange struct {
	start  time.Time
	r      *http.Request  // as the client sent it
	route  *apispec.Route // the spec's operation at its path, or nil
	body   []byte         // the request's body, at most maxBody of it
	fields map[string]any // its top-level fields, once read

	status     int
	answer     []byte         // as the upstream sent it, at most maxBody of it
	obj        map[string]any // the answer's JSON object, when it is one
	cause      string         // why it was not validated, or ""
	failure    string         // what went wrong, for the log
	violations []Violation
	// observations differ from what the spec chose, not from what it knows.
	observations []Violation
}

func (p *Proxy) begin(r *http.Request) *exchange {
	return &exchange{start: time.Now(), r: r, route: p.spec.Match(r)}
}

// read decodes the answer's JSON object, if it is one.
func (x *exchange) read(body []byte) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	_ = dec.Decode(&x.obj)
}

// field returns a request field of the operation as a string: a query
// parameter, or a top-level field of the JSON body.
func (x *exchange) field(name string) string {
	if x.route == nil {
		return ""
	}
	if x.route.InQuery(name) {
		return x.r.URL.Query().Get(name)
	}
	if x.fields == nil {
		x.fields = map[string]any{}
		_ = json.Unmarshal(x.body, &x.fields)
	}
	s, _ := x.fields[name].(string)
	return s
}

// token returns the token the request carries, if its operation takes one.
func (x *exchange) token() string {
	if x.route == nil {
		return ""
	}
	v, _ := x.route.TokenValue(x.r.URL.Query().Get)
	return v
}

// finish journals the exchange, counts it, logs it if it broke the spec or
// failed, and learns from it; it returns the journal's entry, whose
// violations have no credential in clear.
func (p *Proxy) finish(x *exchange) mock.Entry {
	who := p.learn(x)
	mx := bridge.Exchange{
		Time: x.start, Request: x.r, Body: x.body, Status: x.status, Answer: x.answer, Cause: x.cause,
		AppID: who.appid, Component: who.component, Env: x.env(),
	}
	if code, ok := errcodeOf(x.obj); ok { // an answer the proxy read: none of its own
		mx.Errcode = &code
	}
	if errmsg, _ := x.obj["errmsg"].(string); apispec.RIDPattern.MatchString(errmsg) {
		mx.RID = errmsg[strings.LastIndex(errmsg, " ")+1:]
	}
	for _, v := range x.violations {
		mx.Violations = append(mx.Violations, v.String())
	}
	e := bridge.RecordExchange(p.journal, mx).(mock.Entry)
	p.stats.add(x, e)
	p.log(x, e)
	if p.rec != nil {
		p.rec.observe(x, who, e)
	}
	return e
}

// env returns the entity a listing asked for: its match field.
func (x *exchange) env() string {
	if x.route == nil || x.route.Answer == nil || x.route.Answer.Match == "" {
		return ""
	}
	return x.field(x.route.Answer.Match)
}

// log writes a line for an exchange that broke the spec or failed.
func (p *Proxy) log(x *exchange, e mock.Entry) {
	attrs := []any{"method", e.Method, "path", e.Path, "operation", e.Operation, "status", e.Status}
	if e.Errcode != nil {
		attrs = append(attrs, "errcode", *e.Errcode)
	}
	if e.RID != "" {
		attrs = append(attrs, "rid", e.RID)
	}
	switch {
	case len(e.Violations) > 0:
		p.logger.Warn("the answer breaks the spec", append(attrs, "violations", strings.Join(e.Violations, "; "))...)
	case len(x.observations) > 0:
		p.logger.Info("the answer differs from a choice of the spec", append(attrs, "observations", strings.Join(p.observationLines(x), "; "))...)
	case x.cause == causeUpstream || x.cause == causeRefused:
		p.logger.Warn(x.cause, "method", e.Method, "path", e.Path, "status", e.Status, "error", x.failure)
	case x.cause == causeTooLarge || x.cause == causeEncoded || x.cause == causeUpgrade:
		p.logger.Info("passed through unvalidated", "method", e.Method, "path", e.Path, "status", e.Status, "why", x.cause)
	default:
		p.logger.Debug("forwarded", append(attrs, "cause", e.Cause)...)
	}
}
