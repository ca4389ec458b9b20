package contract

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// Observation is what production answered where the fake answers as it
// chose: no failure, but what a maintainer needs to turn the choice into
// evidence (or to change it) with one edit of the spec. It carries no
// credential.
type Observation struct {
	Scenario  string `json:"scenario"`
	Operation string `json:"operation"`
	// Row is the errcode of the x-errcodes row the request was made to
	// earn, and Cause the cause it earned ("" when the request was not
	// made to earn one).
	Row     int         `json:"row"`
	Cause   string      `json:"cause,omitempty"`
	Request ObservedReq `json:"request"`
	// Fake is what the fake answers: the row's errcode and errmsg.
	Fake ObservedAnswer `json:"fake"`
	// Target is what the target answered.
	Target ObservedAnswer `json:"target"`
	// Differences name each field that differs, and what the spec chose.
	Differences []tcbmock.Mismatch `json:"differences"`
}

// ObservedReq is the request of an observation, its credentials redacted.
type ObservedReq struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Query  string `json:"query,omitempty"`
	Body   string `json:"body,omitempty"`
}

// ObservedAnswer is an errcode and its errmsg.
type ObservedAnswer struct {
	Errcode int    `json:"errcode"`
	Errmsg  string `json:"errmsg"`
}

// observations gathers a run's observations.
type observations struct {
	mu   sync.Mutex
	list []Observation
}

func (o *observations) add(ob Observation) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.list = append(o.list, ob)
}

func (o *observations) all() []Observation {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Observation(nil), o.list...)
}

// judge applies the spec's judge to the last answer, made to earn want
// (nil: whatever it is): a difference from what the spec knows is an
// error; a difference from a choice is an observation against a target
// without the fake's admin API, and an error against a fake, which must
// answer as it chose.
func (s *scenario) judge(want *apispec.Expect) error {
	a := s.last
	findings := a.op.Judge(want, a.Errcode, a.Errmsg)
	var deviations, chosen []tcbmock.Mismatch
	for _, f := range findings {
		if f.Chosen && !s.session.target.Admin {
			chosen = append(chosen, f.Mismatch)
		} else {
			deviations = append(deviations, f.Mismatch)
		}
	}
	if len(chosen) > 0 {
		s.observe(want, chosen)
		s.chosenCode = slices.ContainsFunc(chosen, func(m tcbmock.Mismatch) bool { return m.Field == "/errcode" })
	}
	if len(deviations) == 0 {
		return nil
	}
	return fmt.Errorf("%s %s: %s\nbody: %s", s.lastReq.method, s.lastReq.path, s.session.secret.text(joinMismatches(deviations)), s.session.excerpt(a.body))
}

func joinMismatches(ms []tcbmock.Mismatch) string {
	out := ""
	for i, m := range ms {
		if i > 0 {
			out += "; "
		}
		out += m.String()
	}
	return out
}

// observe records what the target answered the last request beside what
// the fake chose.
func (s *scenario) observe(want *apispec.Expect, diffs []tcbmock.Mismatch) {
	a, red := s.last, s.session.secret.text
	code, cause := a.Errcode, ""
	if want != nil {
		code, cause = want.Code, want.Cause
	}
	row, _ := a.op.Errcode(code)
	for i := range diffs {
		diffs[i].Received = red(diffs[i].Received)
	}
	s.session.observed.add(Observation{
		Scenario:  s.name,
		Operation: a.op.ID,
		Row:       code,
		Cause:     cause,
		Request: ObservedReq{Method: s.lastReq.method, Path: s.lastReq.path,
			Query: red(s.lastReq.query.Encode()), Body: red(s.lastReq.body)},
		Fake:        ObservedAnswer{Errcode: row.Code, Errmsg: row.Errmsg},
		Target:      ObservedAnswer{Errcode: a.Errcode, Errmsg: red(a.Errmsg)},
		Differences: diffs,
	})
}

// WriteObservations writes observations as a JSON document.
func WriteObservations(w io.Writer, obs []Observation) error {
	if obs == nil {
		obs = []Observation{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Observations []Observation `json:"observations"`
	}{obs})
}

// writeObservationSection writes, for a text report, what production
// answered where the fake chose.
func writeObservationSection(w io.Writer, obs []Observation) {
	if len(obs) == 0 {
		return
	}
	fmt.Fprintf(w, "\n--- Observations: %d answers differ from what the fake chose (no failure; the spec has no evidence there):\n\n", len(obs))
	for _, o := range obs {
		fmt.Fprintf(w, "  %s\n    %s %s, row %d %s\n    fake: %d %q\n    target: %d %q\n\n",
			o.Scenario, o.Request.Method, o.Request.Path, o.Row, o.Cause, o.Fake.Errcode, o.Fake.Errmsg, o.Target.Errcode, o.Target.Errmsg)
	}
}
