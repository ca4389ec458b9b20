package contract

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v34"
)

// The report is written by godog's own formatters, wrapped as little as
// godog v0.16 requires to show a skipped scenario as skipped, with its reason:
//
//   - godog drops a skipped step's error (its step result is stored without
//     it), so the reason travels as an attachment and the wrapper puts it
//     back into the stored result's error before the formatter reads it:
//     pretty prints it under the step, cucumber as the step's error_message;
//   - godog's summary counts a scenario whose steps were skipped as passed
//     ("N scenarios (N passed)"), so pretty and progress end with tcbmock's
//     own summary, counted from the stored results: the failed steps, the
//     skipped scenarios with their reasons, and the counts;
//   - godog's junit writes a skipped step as <error type="skipped">, which
//     CI tools count as an error, so the wrapper rewrites each skipped
//     scenario's testcase with <skipped message="REASON"/>;
//   - a step that checked an answer's shape alone (the target's world is
//     unknown) passes with an attachment that says why: cucumber writes it
//     as the step's embedding, pretty prints it under the step, the text
//     summaries list its scenario, and junit's testcase gets it as its
//     <system-out>. The generated valid calls say so in their own words too
//     (their scenario's name and last step).
//
// godog finds formatters by name only, in a registry of its own: the
// wrappers are registered there once, under "tcbmock-" and godog's name,
// and keep no state between runs.
const reporterPrefix = "tcbmock-"

var registerReporters = sync.OnceFunc(func() {
	for _, name := range Formats {
		godog.Format(reporterPrefix+name, "godog's "+name+", with skipped scenarios shown as skipped", newReporter(name))
	}
})

// reporterFormat returns godog's name of the wrapped formatter for a format.
func reporterFormat(name string) string {
	registerReporters()
	return reporterPrefix + name
}

// reporter is one of godog's formatters, wrapped.
type reporter struct {
	*godog.BaseFmt // the inner formatter's own: its storage, which SetStorage sets
	inner          godog.Formatter
	name           string
	junit          *bytes.Buffer // the inner formatter's report, to rewrite (junit)
	report         io.Writer
}

// newReporter returns the formatter function of the wrapped format name.
func newReporter(name string) godog.FormatterFunc {
	return func(suite string, out io.Writer) godog.Formatter {
		r := &reporter{name: name, report: out}
		switch name {
		case "pretty":
			f := godog.NewPrettyFmt(suite, out)
			r.BaseFmt, r.inner = f.Base, f
		case "progress":
			f := godog.NewProgressFmt(suite, out)
			r.BaseFmt, r.inner = f.Base, f
		case "junit":
			r.junit = &bytes.Buffer{}
			f := godog.NewJUnitFmt(suite, r.junit)
			r.BaseFmt, r.inner = f.Base, f
		default:
			f := godog.NewCukeFmt(suite, out)
			r.BaseFmt, r.inner = f.Base, f
		}
		return r
	}
}

var _ godog.Formatter = (*reporter)(nil)

func (r *reporter) TestRunStarted() { r.inner.TestRunStarted() }

func (r *reporter) Feature(doc *messages.GherkinDocument, uri string, content []byte) {
	r.inner.Feature(doc, uri, content)
}

func (r *reporter) Pickle(p *messages.Pickle) { r.inner.Pickle(p) }

func (r *reporter) Defined(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	r.inner.Defined(p, st, d)
}

// Passed prints, under a step of a scenario that checked an answer's
// shape alone, why: pretty prints a scenario's steps as they pass.
func (r *reporter) Passed(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	r.inner.Passed(p, st, d)
	if r.name == "pretty" && len(p.AstNodeIds) < 2 {
		if reason := r.shapeOfStep(st.Id); reason != "" {
			fmt.Fprintf(r.report, "        %s: %s\n", shapeAttachment, reason)
		}
	}
	r.stepDone(p, st)
}

func (r *reporter) Failed(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition, err error) {
	r.inner.Failed(p, st, d, err)
	r.stepDone(p, st)
}

func (r *reporter) Undefined(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	r.inner.Undefined(p, st, d)
	r.stepDone(p, st)
}

func (r *reporter) Pending(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	r.inner.Pending(p, st, d)
	r.stepDone(p, st)
}

func (r *reporter) Ambiguous(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition, err error) {
	r.inner.Ambiguous(p, st, d, err)
	r.stepDone(p, st)
}

// Skipped puts the step's skip reason, carried by an attachment, back into
// its stored result before the formatter reads it.
func (r *reporter) Skipped(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	res := r.Storage.MustGetPickleStepResult(st.Id)
	for i, a := range res.Attachments {
		if a.Name == skipAttachment || a.Name == excludedAttachment {
			res.Err = &skipError{reason: string(a.Data), excluded: a.Name == excludedAttachment}
			res.Attachments = append(res.Attachments[:i:i], res.Attachments[i+1:]...)
			r.Storage.MustInsertPickleStepResult(res)
			break
		}
	}
	r.inner.Skipped(p, st, d)
	r.stepDone(p, st)
}

// stepDone prints, under a skipped example row of a Scenario Outline, its
// reason: godog's pretty prints a step's error for a scenario, not for a row.
func (r *reporter) stepDone(p *messages.Pickle, st *messages.PickleStep) {
	if r.name != "pretty" || len(p.AstNodeIds) < 2 || p.Steps[len(p.Steps)-1].Id != st.Id {
		return
	}
	if se := r.skipOf(p); se != nil {
		fmt.Fprintf(r.report, "        skipped: %s\n", se.reason)
	} else if reason := r.shapeOf(p); reason != "" {
		fmt.Fprintf(r.report, "        %s: %s\n", shapeAttachment, reason)
	}
}

// skipOf returns why a scenario was skipped, or nil: none of its steps
// failed, and one was skipped.
func (r *reporter) skipOf(p *messages.Pickle) *skipError {
	var skip *skipError
	for _, res := range r.Storage.MustGetPickleStepResultsByPickleID(p.Id) {
		switch res.Status {
		case godog.StepSkipped:
			if skip == nil {
				skip = &skipError{reason: "a step was skipped"}
				if se, ok := res.Err.(*skipError); ok {
					skip = se
				}
			}
		case godog.StepPassed:
		default:
			return nil
		}
	}
	return skip
}

// skippedScenarios returns the skipped scenarios by pickle id, and every
// scenario, features by name and scenarios in order, as godog's own
// summaries sort them.
func (r *reporter) skippedScenarios() (map[string]*skipError, [][]*messages.Pickle) {
	skips := map[string]*skipError{}
	features := r.Storage.MustGetFeatures()
	sort.Slice(features, func(i, j int) bool { return features[i].Feature.Name < features[j].Feature.Name })
	var order [][]*messages.Pickle
	for _, f := range features {
		pickles := r.Storage.MustGetPickles(f.Uri)
		sort.Slice(pickles, func(i, j int) bool { return pickleNumber(pickles[i]) < pickleNumber(pickles[j]) })
		for _, p := range pickles {
			if se := r.skipOf(p); se != nil {
				skips[p.Id] = se
			}
		}
		order = append(order, pickles)
	}
	return skips, order
}

// Summary ends the report: junit's and cucumber's as godog writes them
// (junit's skipped scenarios rewritten), pretty's and progress's with
// tcbmock's own summary.
func (r *reporter) Summary() {
	switch r.name {
	case "cucumber": // its steps carry their skip reasons
		r.inner.Summary()
	case "junit":
		r.inner.Summary()
		skips, order := r.skippedScenarios()
		if err := rewriteJUnit(r.report, r.junit.Bytes(), skips, r.shapes(order), order); err != nil {
			fmt.Fprintf(r.report, "<!-- tcbmock: the junit report could not be rewritten: %v -->\n%s", err, r.junit.Bytes())
		}
	default:
		if p, ok := r.inner.(*godog.ProgressFmt); ok && *p.Steps%p.StepsPerRow != 0 {
			// the last row of progress marks, ended as godog ends the others
			fmt.Fprintf(r.report, "%s %d\n", strings.Repeat(" ", max(0, p.StepsPerRow-*p.Steps%p.StepsPerRow)), *p.Steps)
		}
		skips, order := r.skippedScenarios()
		lists := r.failedList(order) + r.skippedList(skips, order) + r.shapeList(order)
		if lists == "" {
			lists = "\n"
		}
		io.WriteString(r.report, lists+r.counts(skips, order))
	}
}

// failedList lists, for a text summary, each failed step with its
// scenario and error.
func (r *reporter) failedList(order [][]*messages.Pickle) string {
	var list strings.Builder
	for _, pickles := range order {
		for _, p := range pickles {
			for _, res := range r.Storage.MustGetPickleStepResultsByPickleID(p.Id) {
				if res.Status != godog.StepFailed {
					continue
				}
				feature := r.Storage.MustGetFeature(p.Uri)
				step := r.Storage.MustGetPickleStep(res.PickleStepID)
				line := step.Text
				if st := feature.FindStep(step.AstNodeIds[0]); st != nil {
					line = fmt.Sprintf("%s %s # %s:%d", strings.TrimSpace(st.Keyword), step.Text, p.Uri, st.Location.Line)
				}
				fmt.Fprintf(&list, "  Scenario: %s # %s\n    %s\n      Error: %v\n\n", p.Name, r.location(p), line, res.Err)
			}
		}
	}
	if list.Len() == 0 {
		return ""
	}
	return "\n--- Failed steps:\n\n" + list.String()
}

// counts is the summary's last lines: scenarios and steps by status, and
// the run's time.
func (r *reporter) counts(skips map[string]*skipError, order [][]*messages.Pickle) string {
	var scenarios, steps [godog.StepAmbiguous + 1]int
	total, totalSteps := 0, 0
	for _, pickles := range order {
		for _, p := range pickles {
			total++
			status := godog.StepPassed
			results := r.Storage.MustGetPickleStepResultsByPickleID(p.Id)
			if len(results) == 0 {
				status = godog.StepUndefined
			}
			for _, res := range results {
				totalSteps++
				steps[res.Status]++
				if res.Status != godog.StepPassed && res.Status != godog.StepSkipped && status == godog.StepPassed {
					status = res.Status
				}
			}
			if skips[p.Id] != nil {
				status = godog.StepSkipped
			}
			scenarios[status]++
		}
	}
	started := r.Storage.MustGetTestRunStarted().StartedAt
	return fmt.Sprintf("%d scenarios (%s)\n%d steps (%s)\n%s\n", total, byStatus(scenarios[:]), totalSteps, byStatus(steps[:]), time.Since(started).Round(time.Millisecond))
}

// byStatus writes counts by status in godog's order of words, leaving out
// the statuses none has.
func byStatus(counts []int) string {
	var parts []string
	for _, s := range []godog.StepResultStatus{godog.StepPassed, godog.StepFailed, godog.StepPending, godog.StepAmbiguous, godog.StepUndefined, godog.StepSkipped} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// skippedList lists, for a text summary, each skipped scenario with its
// reason, and how many the target's kind excluded, by reason.
func (r *reporter) skippedList(skips map[string]*skipError, order [][]*messages.Pickle) string {
	var list strings.Builder
	excluded := map[string]int{}
	var reasons []string
	for _, pickles := range order {
		for _, p := range pickles {
			se := skips[p.Id]
			switch {
			case se == nil:
			case se.excluded:
				if excluded[se.reason] == 0 {
					reasons = append(reasons, se.reason)
				}
				excluded[se.reason]++
			default:
				fmt.Fprintf(&list, "  Scenario: %s # %s\n    skipped: %s\n\n", p.Name, r.location(p), se.reason)
			}
		}
	}
	for _, reason := range reasons {
		fmt.Fprintf(&list, "  %d scenarios excluded by the target's kind: %s\n\n", excluded[reason], reason)
	}
	if list.Len() == 0 {
		return ""
	}
	return "--- Skipped scenarios:\n\n" + list.String()
}

// location is a scenario's file and line.
func (r *reporter) location(p *messages.Pickle) string {
	if sc := r.Storage.MustGetFeature(p.Uri).FindScenario(p.AstNodeIds[0]); sc != nil && sc.Location != nil {
		return fmt.Sprintf("%s:%d", p.Uri, sc.Location.Line)
	}
	return p.Uri
}

// pickleNumber is the number godog's parser gave a scenario, by which its
// formatters order them.
func pickleNumber(p *messages.Pickle) int {
	n, _ := strconv.Atoi(p.Id)
	return n
}
