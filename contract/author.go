package contract

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	messages "github.com/cucumber/messages/go/v34"
)

// Phrase is a step phrase the features can use: its pattern, and a step it
// matches.
type Phrase struct {
	Pattern string
	Example string
}

// Phrases lists the phrases of the suite's steps, in the order of its step
// table: what a feature file given to check --features can say.
func Phrases() []Phrase {
	var out []Phrase
	for _, st := range (&scenario{}).steps() {
		out = append(out, Phrase{Pattern: st.phrase, Example: st.example})
	}
	return out
}

// StepError is a step of a feature file that cannot run as written: the
// features' mistake, never the target's. It is an [ErrFeatures].
type StepError struct {
	File    string // as the user named it
	Line    int
	Step    string
	Problem string
}

var _ error = (*StepError)(nil)

func (e *StepError) Error() string {
	return fmt.Sprintf("%s:%d: step \"%s\": %s", e.File, e.Line, e.Step, e.Problem)
}

// Unwrap makes a StepError an ErrFeatures.
func (e *StepError) Unwrap() error { return ErrFeatures }

// pickled is what checkSteps reads of a parsed feature file.
type pickled struct {
	uri     string
	doc     *messages.GherkinDocument
	pickles []*messages.Pickle
}

// checkSteps checks every step of the features before the run: it must
// match one phrase, and the operation, cause, request or (in the user's
// files) scenario it names must exist. moreName is the directory the
// user's files were read from, as the user named it.
func (s *session) checkSteps(features []pickled, moreName string) error {
	steps := (&scenario{session: s}).steps()
	var errs []error
	for _, f := range features {
		lines := stepLines(f.doc)
		file := f.uri
		if rel, ok := strings.CutPrefix(f.uri, moreDir+"/"); ok && moreName != "" {
			file = path.Join(moreName, rel)
		}
		seen := map[string]bool{}
		for _, p := range f.pickles {
			for _, st := range p.Steps {
				line := lines[st.AstNodeIds[0]]
				if key := fmt.Sprint(line, st.Text); !seen[key] {
					seen[key] = true
					if problem := s.stepProblem(steps, st.Text, strings.HasPrefix(f.uri, moreDir+"/")); problem != "" {
						errs = append(errs, &StepError{File: file, Line: line, Step: st.Text, Problem: problem})
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

// stepProblem says what is wrong with a step, or "".
func (s *session) stepProblem(steps []step, text string, users bool) string {
	var matched []step
	var groups []string
	for _, st := range steps {
		if m := phrase(st.phrase).FindStringSubmatch(text); m != nil {
			matched, groups = append(matched, st), m[1:]
		}
	}
	switch {
	case len(matched) == 0:
		return "no phrase of the suite says this (tcbmock check --phrases lists them)"
	case len(matched) > 1:
		return fmt.Sprintf("%d phrases of the suite match it", len(matched))
	}
	return s.namesProblem(matched[0].phrase, groups, users)
}

// namesProblem checks the names a step's groups give: an operation, then
// the request, cause or scenario its phrase names.
func (s *session) namesProblem(phrase string, groups []string, users bool) string {
	scenarioName := ""
	switch {
	case strings.HasPrefix(phrase, `^I ask (\S+) with`), strings.HasPrefix(phrase, `^I call (\S+)`):
		op, err := s.operation(groups[0])
		if err != nil {
			return strings.TrimPrefix(err.Error(), "contract: ")
		}
		switch {
		case strings.HasPrefix(phrase, `^I ask`):
			if _, ok := probes[groups[1]]; !ok && !strings.HasPrefix(groups[1], "the method ") {
				return fmt.Sprintf("no such request %q: want \"the method M\" or one of %s", groups[1], strings.Join(slices.Sorted(maps.Keys(probes)), ", "))
			}
		case strings.Contains(phrase, "the cause"):
			if _, _, ok := op.Cause(groups[1]); !ok {
				return fmt.Sprintf("%s lists no cause %q in its x-errcodes", op.ID, groups[1])
			}
		case strings.Contains(phrase, "the scenario"):
			scenarioName = groups[1]
		}
	case strings.Contains(phrase, "with the scenario"):
		scenarioName = groups[0]
	}
	if scenarioName != "" && users {
		if why := s.lacksScenario(scenarioName); why != "" {
			return why
		}
	}
	return ""
}

// stepLines maps the id of each step of a Gherkin document to its line.
func stepLines(doc *messages.GherkinDocument) map[string]int {
	lines := map[string]int{}
	add := func(steps []*messages.Step) {
		for _, st := range steps {
			lines[st.Id] = int(st.Location.Line)
		}
	}
	walk := func(children []*messages.FeatureChild) {
		for _, c := range children {
			switch {
			case c.Background != nil:
				add(c.Background.Steps)
			case c.Scenario != nil:
				add(c.Scenario.Steps)
			case c.Rule != nil:
				for _, rc := range c.Rule.Children {
					switch {
					case rc.Background != nil:
						add(rc.Background.Steps)
					case rc.Scenario != nil:
						add(rc.Scenario.Steps)
					}
				}
			}
		}
	}
	if doc != nil && doc.Feature != nil {
		walk(doc.Feature.Children)
	}
	return lines
}
