package mock

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"
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
	values := s.valueRedactor(cfg.secrets, x)
	if values != nil {
		e.rawQuery = values.Replace(e.rawQuery)
		e.body, e.answer = []byte(values.Replace(string(e.body))), []byte(values.Replace(string(e.answer)))
		for i := range e.header {
			e.header[i].value = values.Replace(e.header[i].value)
		}
	}
	e.Violations = s.redactLines(cfg.secrets, values, x.Violations)
	if n := keptLines(e.Violations); n < len(e.Violations) {
		e.Violations = e.Violations[:n]
		e.Truncated = append(e.Truncated, "violations")
	}
	s.journal.add(e)
	return e.entry()
}

// valueRedactor returns what replaces, with redaction, each value of a
// field sf names, found in x's query, body or answer, with its
// placeholder wherever else it appears (an errmsg, a violation, another
// header); nil without redaction.
func (s *Server) valueRedactor(sf *secretFields, x Exchange) *strings.Replacer {
	if s.redactor == nil {
		return nil
	}
	values := secretValues(sf, x.Request.URL.RawQuery, x.Body, x.Answer)
	pairs := make([]string, 0, 2*len(values))
	for _, v := range values {
		pairs = append(pairs, v, s.redactor.placeholder(v))
	}
	return strings.NewReplacer(pairs...)
}

// redactLines returns lines without credentials: each value values
// replaces becomes its placeholder, and JSON in the lines loses its secret
// fields' values, even cut short.
func (s *Server) redactLines(sf *secretFields, values *strings.Replacer, lines []string) []string {
	out := slices.Clone(lines)
	if values == nil {
		return out
	}
	for i, line := range out {
		out[i] = s.redactor.json(sf, values.Replace(line))
	}
	return out
}

// secretValues returns the values of the fields sf names in a raw query
// and in JSON texts, longest first, so that none is replaced in part.
func secretValues(sf *secretFields, rawQuery string, texts ...[]byte) []string {
	var values []string
	q, _ := url.ParseQuery(rawQuery) // what parses of a bad query
	for name, vs := range q {
		if sf.names[name] {
			values = append(values, vs...)
		}
	}
	if sf.json != nil {
		for _, t := range texts {
			for _, m := range sf.json.FindAllSubmatch(t, -1) {
				values = append(values, string(m[2]))
			}
		}
	}
	values = slices.DeleteFunc(values, func(v string) bool { return v == "" })
	slices.SortFunc(values, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b)) })
	return slices.Compact(values)
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
