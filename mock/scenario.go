package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"time"

	"github.com/tcbmock/tcbmock"
)

// Scenario is a named set of forced answers.
type Scenario struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Operations  []string `json:"operations"` // the operationIds it answers for
	Steps       []Step   `json:"steps"`      // one, or a sequence: the last repeats
	File        string   `json:"file"`       // file:line where it is defined
}

// Step is one forced answer: an errcode, a full body, the natural answer,
// or a fault; after a delay.
type Step struct {
	Errcode int             `json:"errcode"`
	Body    json.RawMessage `json:"body,omitempty"` // a full body; errmsg gets the rid suffix when errcode is not 0
	Natural bool            `json:"natural,omitempty"`
	Delay   *Delay          `json:"delay,omitempty"`
	Fault   string          `json:"fault,omitempty"`   // one of the Fault constants, or ""
	Dribble time.Duration   `json:"dribble,omitempty"` // how long a dribbled body takes

	carries bool // Body holds an errcode
}

// Covers reports whether the scenario answers for the operation.
func (s *Scenario) Covers(opID string) bool { return slices.Contains(s.Operations, opID) }

type scenarioYAML struct {
	Name        string     `yaml:"name"`
	Description string     `yaml:"description"`
	Operations  []string   `yaml:"operations"`
	Single      stepYAML   `yaml:",inline"` // a scenario of one answer
	Sequence    []stepYAML `yaml:"sequence"`
}

type stepYAML struct {
	Errcode *int   `yaml:"errcode"`
	Body    any    `yaml:"body"`
	Natural bool   `yaml:"natural"`
	Delay   string `yaml:"delay"`
	Fault   string `yaml:"fault"`
	Dribble string `yaml:"dribble"`
}

var nameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func (c *Config) addScenarios(ctx context.Context, d *fileDoc) error {
	var errs tcbmock.FileErrors
	for i, y := range d.file.Scenarios {
		at := []any{"scenarios", i}
		sc, err := c.scenario(ctx, y)
		if err != nil {
			errs.Add(d.doc.Errorf(append(at, fieldOf(err)...), "scenario %q: %v", y.Name, err))
			continue
		}
		if prev := c.scenarios[sc.Name]; prev != nil {
			errs.Add(d.doc.Errorf(at, "scenario %q is already defined at %s", sc.Name, prev.File))
			continue
		}
		sc.File = fmt.Sprintf("%s:%d", d.doc.File, d.doc.Line(at...))
		c.scenarios[sc.Name] = sc
		c.Scenarios = append(c.Scenarios, sc)
	}
	return errs.Err()
}

func (c *Config) scenario(ctx context.Context, y scenarioYAML) (*Scenario, error) {
	if !nameRe.MatchString(y.Name) {
		return nil, &fieldError{path: []any{"name"}, msg: "a scenario needs a name of lowercase letters, digits, '.', '_' and '-'"}
	}
	if y.Description == "" {
		return nil, &fieldError{msg: "a scenario needs a description"}
	}
	sc := &Scenario{Name: y.Name, Description: y.Description, Operations: y.Operations}
	if len(sc.Operations) == 0 {
		sc.Operations = []string{OpGetEnvInfo}
	}
	for i, id := range sc.Operations {
		if c.Spec.Operation(id) == nil {
			return nil, &fieldError{path: []any{"operations", i}, msg: fmt.Sprintf("the spec has no operation %q", id)}
		}
	}
	steps := y.Sequence
	if len(steps) == 0 {
		steps = []stepYAML{y.Single}
	} else if !reflect.ValueOf(y.Single).IsZero() {
		return nil, &fieldError{msg: "a scenario has a sequence, or one answer (errcode, body, natural, delay, fault), not both"}
	}
	for i, sy := range steps {
		var at []any
		if len(y.Sequence) > 0 {
			at = []any{"sequence", i}
		}
		st, err := c.step(ctx, sc, sy)
		if err != nil {
			return nil, &fieldError{path: append(at, fieldOf(err)...), msg: err.Error()}
		}
		sc.Steps = append(sc.Steps, st)
	}
	return sc, nil
}

func (c *Config) step(ctx context.Context, sc *Scenario, y stepYAML) (Step, error) {
	st, err := delivery(y)
	if err != nil {
		return Step{}, err
	}
	_, replaces := replacing[st.Fault]
	answers := countTrue(y.Errcode != nil, y.Body != nil, y.Natural)
	switch {
	case replaces && answers != 0:
		return Step{}, &fieldError{path: []any{"fault"}, msg: fmt.Sprintf("fault %s answers in place of the server: drop errcode, body and natural", st.Fault)}
	case replaces:
		return st, nil
	case answers != 1:
		return Step{}, &fieldError{msg: "an answer has exactly one of errcode, body, natural: true, or a fault that answers in place of the server"}
	case y.Natural:
		st.Natural = true
		return st, nil
	case y.Errcode != nil:
		if *y.Errcode == 0 {
			return Step{}, &fieldError{path: []any{"errcode"}, msg: "errcode 0 is no error: use body, or natural: true"}
		}
		st.Errcode = *y.Errcode
		return st, c.checkCode(sc, *y.Errcode, "errcode")
	}
	body, err := json.Marshal(y.Body)
	if err != nil {
		return Step{}, &fieldError{path: []any{"body"}, msg: "body is not JSON: " + err.Error()}
	}
	var head struct {
		Errcode *int `json:"errcode"`
	}
	_ = json.Unmarshal(body, &head)
	st.Body = body
	if head.Errcode != nil {
		st.Errcode, st.carries = *head.Errcode, true
	}
	if err := c.checkCode(sc, st.Errcode, "body", "errcode"); err != nil {
		return Step{}, err
	}
	for _, id := range sc.Operations {
		answer := st.render("00000000-00000000-00000000")
		if err := answerError(c.Spec.ValidateAnswer(ctx, c.Spec.Operation(id), answer), func(field string) []any {
			return append([]any{"body"}, pointerPath(field)...)
		}); err != nil {
			return Step{}, err
		}
	}
	return st, nil
}

// delivery reads how a step's answer is delivered: its delay and fault.
func delivery(y stepYAML) (Step, error) {
	var st Step
	if y.Delay != "" {
		d, err := ParseDelay(y.Delay)
		if err != nil {
			return Step{}, &fieldError{path: []any{"delay"}, msg: err.Error()}
		}
		st.Delay = &d
	}
	if y.Fault != "" && !slices.Contains(faults, y.Fault) {
		return Step{}, &fieldError{path: []any{"fault"}, msg: fmt.Sprintf("unknown fault %q: want one of %s", y.Fault, quoteList(faults))}
	}
	st.Fault = y.Fault
	switch {
	case y.Dribble != "" && y.Fault != FaultDribble:
		return Step{}, &fieldError{path: []any{"dribble"}, msg: "dribble goes with fault: dribble"}
	case y.Fault == FaultDribble:
		st.Dribble = defaultDribble
		if y.Dribble != "" {
			d, err := time.ParseDuration(y.Dribble)
			if err != nil || d <= 0 || d > maxDelay {
				return Step{}, &fieldError{path: []any{"dribble"}, msg: fmt.Sprintf("dribble %q: want a duration such as 3s, up to %v", y.Dribble, maxDelay)}
			}
			st.Dribble = d
		}
	}
	return st, nil
}

// checkCode requires code in the table of every operation of sc.
func (c *Config) checkCode(sc *Scenario, code int, at ...any) error {
	for _, id := range sc.Operations {
		if _, ok := c.Spec.Operation(id).Errcode(code); !ok {
			return &fieldError{path: at, msg: fmt.Sprintf("errcode %d is not in %s's x-errcodes in %s", code, id, c.Spec.File)}
		}
	}
	return nil
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

// render returns the step's full body for a request with rid: errmsg gets
// the rid suffix, as every errmsg of an error does.
func (st Step) render(rid string) []byte {
	if st.Errcode == 0 {
		return st.Body
	}
	var m map[string]any
	if err := json.Unmarshal(st.Body, &m); err != nil {
		return st.Body
	}
	m["errmsg"] = fmt.Sprintf("%v rid: %s", m["errmsg"], rid)
	out, err := json.Marshal(m)
	if err != nil {
		return st.Body
	}
	return out
}
