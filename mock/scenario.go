package mock

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// Scenario is a named set of forced answers: one, or a sequence whose last
// step repeats.
type Scenario struct {
	Name        string
	Description string
	Operations  []string // the operationIds it answers for
	File        string   // file:line where it is defined; "" when added at run time
	// Origin is where it comes from: File, or when it was added or
	// overridden at run time.
	Origin string
	steps  []step
	source *scenarioYAML // what its file says; nil for one derived from the spec
}

// step is one forced answer: an errcode of the table, a full body, or the
// natural answer; or a fault in its place; after a delay.
type step struct {
	errcode int           // a row of the table, or a body's errcode
	carries bool          // the answer carries errcode
	body    *bodyAnswer   // a full body, or nil
	natural bool          // the world's answer
	delay   *delay        // before answering
	fault   string        // one of the Fault constants, or ""
	dribble time.Duration // how long a dribbled body takes
}

// bodyAnswer is a scenario's full body, rendered at load: when it carries
// an errcode other than 0, its errmsg gets the request id between before
// and after.
type bodyAnswer struct {
	before, after []byte
	raw           json.RawMessage // as the file wrote it, for the admin API
}

func (b *bodyAnswer) render(rid string) []byte {
	if b.after == nil {
		return b.before
	}
	out := make([]byte, 0, len(b.before)+len(rid)+7+len(b.after))
	out = append(append(append(append(out, b.before...), " rid: "...), rid...), b.after...)
	return out
}

// Covers reports whether the scenario answers for the operation.
func (s *Scenario) Covers(opID string) bool { return slices.Contains(s.Operations, opID) }

// forcedErrcode returns the errcode a scenario of one errcode step forces.
func (s *Scenario) forcedErrcode() (int, bool) {
	if len(s.steps) != 1 || s.steps[0].body != nil || s.steps[0].natural || s.steps[0].fault != "" {
		return 0, false
	}
	return s.steps[0].errcode, true
}

// MarshalJSON writes the scenario as the admin API lists it.
func (s *Scenario) MarshalJSON() ([]byte, error) {
	type stepJSON struct {
		Errcode *int            `json:"errcode,omitempty"` // only when the answer carries one
		Body    json.RawMessage `json:"body,omitempty"`
		Natural bool            `json:"natural,omitempty"`
		Delay   string          `json:"delay,omitempty"`
		Fault   string          `json:"fault,omitempty"`
		Dribble string          `json:"dribble,omitempty"`
	}
	out := struct {
		Name        string     `json:"name"`
		Description string     `json:"description"`
		Operations  []string   `json:"operations"`
		Steps       []stepJSON `json:"steps"`
		File        string     `json:"file"`
		Origin      string     `json:"origin"`
		Errcode     *int       `json:"errcode,omitempty"` // the errcode forced, for a scenario of one
	}{Name: s.Name, Description: s.Description, Operations: s.Operations, File: s.File, Origin: cmp.Or(s.Origin, s.File), Steps: []stepJSON{}}
	for _, st := range s.steps {
		j := stepJSON{Natural: st.natural, Fault: st.fault}
		if st.carries {
			j.Errcode = &st.errcode
		}
		if st.body != nil {
			j.Body = st.body.raw
		}
		if st.delay != nil {
			j.Delay = st.delay.String()
		}
		if st.dribble > 0 {
			j.Dribble = st.dribble.String()
		}
		out.Steps = append(out.Steps, j)
	}
	if code, ok := s.forcedErrcode(); ok {
		out.Errcode = &code
	}
	return json.Marshal(out)
}

// deriveScenarios makes a scenario of each name the errcode tables give
// their rows: it forces that row's errcode on every operation whose row
// has the name, and says what the first row means and what to do.
func (c *Config) deriveScenarios() error {
	type use struct {
		op  *apispec.Operation
		row apispec.Errcode
		at  []any
	}
	uses := map[string][]use{}
	var names []string
	for _, o := range c.spec.Operations() {
		for i, row := range o.Errcodes {
			if row.Scenario == "" {
				continue
			}
			if uses[row.Scenario] == nil {
				names = append(names, row.Scenario)
			}
			uses[row.Scenario] = append(uses[row.Scenario], use{o, row, o.At("x-errcodes", i, "scenario")})
		}
	}
	var errs yamlfile.List
	for _, name := range names {
		first := uses[name][0]
		sc := &Scenario{
			Name:  name,
			File:  fmt.Sprintf("%s:%d", c.spec.File, c.spec.Line(first.at)),
			steps: []step{{errcode: first.row.Code, carries: true}},
		}
		for _, u := range uses[name] {
			if u.row.Code != first.row.Code {
				errs.Add(c.spec.Errorf(u.at, "scenario %q forces errcode %d at %s; this row is %d", name, first.row.Code, sc.File, u.row.Code))
			}
			sc.Operations = append(sc.Operations, u.op.ID)
		}
		verb := "answers"
		if len(sc.Operations) > 1 {
			verb = "answer"
		}
		sc.Description = fmt.Sprintf("%s %s %d %s. %s %s", strings.Join(sc.Operations, ", "), verb, first.row.Code, first.row.Errmsg, first.row.Meaning, first.row.Solution)
		c.add(sc)
	}
	return errs.Err()
}

func (c *Config) add(sc *Scenario) {
	c.byName[sc.Name] = sc
	c.scenarios = append(c.scenarios, sc)
}

type scenarioYAML struct {
	Name        string     `yaml:"name"`
	Description string     `yaml:"description"`
	Operations  []string   `yaml:"operations"`
	Single      stepYAML   `yaml:",inline"` // a scenario of one answer
	Sequence    []stepYAML `yaml:"sequence"`
}

type stepYAML struct {
	Errcode *int   `yaml:"errcode" json:"errcode,omitempty"`
	Body    any    `yaml:"body" json:"body,omitempty"`
	Natural bool   `yaml:"natural" json:"natural,omitempty"`
	Delay   string `yaml:"delay" json:"delay,omitempty"`
	Fault   string `yaml:"fault" json:"fault,omitempty"`
	Dribble string `yaml:"dribble" json:"dribble,omitempty"`
}

func (c *Config) addScenarios(ctx context.Context, d *fileDoc) error {
	var errs yamlfile.List
	for i, y := range d.file.Scenarios {
		at := []any{"scenarios", i}
		sc, err := c.readScenario(ctx, d, i)
		errs.Add(err)
		if prev := c.byName[y.Name]; prev != nil {
			errs.Add(d.doc.Errorf(at, "scenario %q is already defined at %s", y.Name, prev.File))
			continue
		}
		if err != nil {
			continue
		}
		sc.File = fmt.Sprintf("%s:%d", d.doc.File, d.doc.Line(at...))
		c.add(sc)
	}
	return errs.Err()
}

// readScenario reads scenario i of a file, and keeps what it says for a
// change at run time to override.
func (c *Config) readScenario(ctx context.Context, d *fileDoc, i int) (*Scenario, error) {
	y := d.file.Scenarios[i]
	sc, problems := c.scenario(ctx, y)
	var errs yamlfile.List
	for _, err := range problems {
		errs.Add(d.doc.Errorf(append([]any{"scenarios", i}, fieldOf(err)...), "scenario %q: %v", y.Name, err))
	}
	if sc != nil {
		sc.source = &d.file.Scenarios[i]
	}
	return sc, errs.Err()
}

// scenario reads a scenario of a file, or says every problem it has: those
// of its name, description and operations together, then of its steps.
func (c *Config) scenario(ctx context.Context, y scenarioYAML) (*Scenario, []error) {
	var problems []error
	if !apispec.ScenarioName.MatchString(y.Name) {
		problems = append(problems, &fieldError{path: []any{"name"}, msg: "a scenario needs a name of lowercase letters, digits, '.', '_' and '-'"})
	}
	if y.Description == "" {
		problems = append(problems, &fieldError{msg: "a scenario needs a description"})
	}
	sc := &Scenario{Name: y.Name, Description: y.Description, Operations: y.Operations}
	for i, id := range sc.Operations {
		if c.spec.Operation(id) == nil {
			problems = append(problems, &fieldError{path: []any{"operations", i}, msg: fmt.Sprintf("the spec has no operation %q", id)})
		}
	}
	steps := y.Sequence
	if len(steps) == 0 {
		steps = []stepYAML{y.Single}
	} else if !reflect.ValueOf(y.Single).IsZero() {
		problems = append(problems, &fieldError{msg: "a scenario has a sequence, or one answer (errcode, body, natural, delay, fault), not both"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	sc, err := c.steps(ctx, sc, y, steps)
	if err != nil {
		return nil, []error{err}
	}
	return sc, nil
}

// steps reads the steps of sc and checks them against the operations it covers.
func (c *Config) steps(ctx context.Context, sc *Scenario, y scenarioYAML, steps []stepYAML) (*Scenario, error) {
	for i, sy := range steps {
		st, err := readStep(sy)
		if err != nil {
			return nil, &fieldError{path: append(stepPath(y, i), fieldOf(err)...), msg: err.Error()}
		}
		sc.steps = append(sc.steps, st)
	}
	explicit := len(sc.Operations) > 0
	if !explicit {
		sc.Operations = c.coverable(sc)
		if len(sc.Operations) == 0 {
			return nil, c.uncoverable(sc, y)
		}
	}
	for i := range sc.steps {
		if err := c.checkStep(ctx, sc, &sc.steps[i], explicit); err != nil {
			return nil, &fieldError{path: append(stepPath(y, i), fieldOf(err)...), msg: err.Error()}
		}
	}
	return sc, nil
}

// stepPath is where step i of a scenario is written.
func stepPath(y scenarioYAML, i int) []any {
	if len(y.Sequence) > 0 {
		return []any{"sequence", i}
	}
	return nil
}

// coverable lists the operations whose table has every errcode the
// scenario's steps force: what a scenario without operations: covers.
func (c *Config) coverable(sc *Scenario) []string {
	var ids []string
	for _, o := range c.spec.Operations() {
		if !slices.ContainsFunc(sc.steps, func(st step) bool {
			_, ok := o.Errcode(st.errcode)
			return (st.carries || st.body != nil) && !ok
		}) {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

// uncoverable explains why no operation can answer the scenario: the
// first errcode no table has, or that no table has them all.
func (c *Config) uncoverable(sc *Scenario, y scenarioYAML) error {
	for i, st := range sc.steps {
		if !slices.ContainsFunc(c.spec.Operations(), func(o *apispec.Operation) bool { _, ok := o.Errcode(st.errcode); return ok }) {
			at := "errcode"
			if st.body != nil {
				at = "body"
			}
			return &fieldError{path: append(stepPath(y, i), at), msg: fmt.Sprintf("errcode %d is in no operation's x-errcodes in %s", st.errcode, c.spec.File)}
		}
	}
	return &fieldError{msg: "no operation's x-errcodes has every errcode it forces: say which it answers with operations:"}
}

// readStep reads a step: what it answers, and how it is delivered.
func readStep(y stepYAML) (step, error) {
	st, err := delivery(y)
	if err != nil {
		return step{}, err
	}
	_, replaces := replacing[st.fault]
	answers := countTrue(y.Errcode != nil, y.Body != nil, y.Natural)
	switch {
	case replaces && answers != 0:
		return step{}, &fieldError{path: []any{"fault"}, msg: fmt.Sprintf("fault %s answers in place of the server: drop errcode, body and natural", st.fault)}
	case replaces:
		return st, nil
	case answers != 1:
		return step{}, &fieldError{msg: "an answer has exactly one of errcode, body, natural: true, or a fault that answers in place of the server"}
	case y.Natural:
		st.natural = true
	case y.Errcode != nil:
		if *y.Errcode == 0 {
			return step{}, &fieldError{path: []any{"errcode"}, msg: "errcode 0 is no error: use body, or natural: true"}
		}
		st.errcode, st.carries = *y.Errcode, true
	default:
		raw, err := json.Marshal(y.Body)
		if err != nil {
			return step{}, &fieldError{path: []any{"body"}, msg: "body is not JSON: " + err.Error()}
		}
		var head struct {
			Errcode *int `json:"errcode"`
		}
		_ = json.Unmarshal(raw, &head)
		if head.Errcode != nil {
			st.errcode, st.carries = *head.Errcode, true
		}
		st.body = &bodyAnswer{raw: raw}
	}
	return st, nil
}

// checkStep checks a step against every operation the scenario covers:
// its errcode is in their tables, its body fits their schemas; and
// renders the body.
func (c *Config) checkStep(ctx context.Context, sc *Scenario, st *step, explicit bool) error {
	at := "errcode"
	if st.body != nil {
		at = "body"
	}
	for _, id := range sc.Operations {
		if _, ok := c.spec.Operation(id).Errcode(st.errcode); (st.carries || st.body != nil) && !ok {
			return &fieldError{path: []any{at}, msg: fmt.Sprintf("errcode %d is not in %s's x-errcodes in %s", st.errcode, id, c.spec.File)}
		}
	}
	if st.body == nil {
		return nil
	}
	var v any
	_ = json.Unmarshal(st.body.raw, &v)
	first := c.spec.Operation(sc.Operations[0])
	// An error's errmsg ends with the request's rid: mark where it goes.
	// Any other errmsg is left as written, for the spec to judge.
	if m, ok := v.(map[string]any); ok && st.errcode != 0 {
		if errmsg, ok := m["errmsg"].(string); ok {
			m["errmsg"] = errmsg + "\x00"
		}
	}
	st.body.before = renderValue(c.spec, first.SuccessSchema(), v)
	if before, after, ok := bytes.Cut(st.body.before, []byte(`\u0000`)); ok && st.errcode != 0 {
		st.body.before, st.body.after = before, after
	}
	for _, id := range sc.Operations {
		var ae *apispec.AnswerError
		if err := c.spec.ValidateAnswer(ctx, c.spec.Operation(id), st.body.render(sampleRID)); errors.As(err, &ae) {
			hint := ""
			if !explicit {
				hint = fmt.Sprintf(" (without operations: it answers %s; say which it answers)", strings.Join(sc.Operations, ", "))
			}
			m := ae.Mismatches[0]
			return &fieldError{path: append([]any{"body"}, pointerPath(m.Field)...), msg: fmt.Sprintf("breaks the spec of %s: %s%s", id, m, hint)}
		}
		if err := judgeBody(c.spec.Operation(id), st); err != nil {
			return err
		}
	}
	return nil
}

// judgeBody applies the spec's judge to an error body as the fake renders
// it: an errmsg other than a text the spec knows production gives is
// refused, as check and the proxy refuse it; a chosen text may differ.
func judgeBody(op *apispec.Operation, st *step) error {
	if st.errcode == 0 {
		return nil
	}
	var answer struct {
		Errmsg string `json:"errmsg"`
	}
	_ = json.Unmarshal(st.body.render(sampleRID), &answer)
	if ds := apispec.Deviations(op.JudgeAnswer(st.errcode, answer.Errmsg)); len(ds) > 0 {
		return &fieldError{path: []any{"body", "errmsg"}, msg: fmt.Sprintf("differs from %s's row %d, whose text is known: %s", op.ID, st.errcode, ds[0].Mismatch)}
	}
	return nil
}

// delivery reads how a step's answer is delivered: its delay and fault.
func delivery(y stepYAML) (step, error) {
	var st step
	if y.Delay != "" {
		d, err := parseDelay(y.Delay)
		if err != nil {
			return step{}, &fieldError{path: []any{"delay"}, msg: err.Error()}
		}
		st.delay = &d
	}
	if y.Fault != "" && !slices.Contains(faults, y.Fault) {
		return step{}, &fieldError{path: []any{"fault"}, msg: fmt.Sprintf("unknown fault %q: want one of %s", y.Fault, quoteList(faults))}
	}
	st.fault = y.Fault
	switch {
	case y.Dribble != "" && y.Fault != faultDribble:
		return step{}, &fieldError{path: []any{"dribble"}, msg: "dribble goes with fault: dribble"}
	case y.Fault == faultDribble:
		st.dribble = defaultDribble
		if y.Dribble != "" {
			d, err := time.ParseDuration(y.Dribble)
			if err != nil || d <= 0 || d > maxDelay {
				return step{}, &fieldError{path: []any{"dribble"}, msg: fmt.Sprintf("dribble %q: want a duration such as 3s, up to %v", y.Dribble, maxDelay)}
			}
			st.dribble = d
		}
	}
	return st, nil
}

func countTrue(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// quoteList formats names for a message.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
