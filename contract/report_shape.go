package contract

import (
	"fmt"
	"strings"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v34"
)

// What the report says of a scenario that passed having checked an
// answer's shape alone: its step carries the shape attachment (see
// report.go), and these read it back from the stored results.

// shapeOfStep returns why a passed step checked an answer's shape alone,
// or "".
func (r *reporter) shapeOfStep(stepID string) string {
	res := r.Storage.MustGetPickleStepResult(stepID)
	if res.Status != godog.StepPassed {
		return ""
	}
	for _, a := range res.Attachments {
		if a.Name == shapeAttachment {
			return string(a.Data)
		}
	}
	return ""
}

// shapeOf returns why a scenario that passed checked an answer's shape
// alone, or "": every step passed, and one says so.
func (r *reporter) shapeOf(p *messages.Pickle) string {
	reason := ""
	for _, res := range r.Storage.MustGetPickleStepResultsByPickleID(p.Id) {
		if res.Status != godog.StepPassed {
			return ""
		}
		if why := r.shapeOfStep(res.PickleStepID); why != "" && reason == "" {
			reason = why
		}
	}
	return reason
}

// shapes returns, by pickle id, why each scenario that passed checked an
// answer's shape alone.
func (r *reporter) shapes(order [][]*messages.Pickle) map[string]string {
	out := map[string]string{}
	for _, pickles := range order {
		for _, p := range pickles {
			if reason := r.shapeOf(p); reason != "" {
				out[p.Id] = reason
			}
		}
	}
	return out
}

// shapeList lists, for a text summary, each scenario that passed having
// checked an answer's shape alone, with why: its pass says nothing of the
// answer's content.
func (r *reporter) shapeList(order [][]*messages.Pickle) string {
	var list strings.Builder
	for _, pickles := range order {
		for _, p := range pickles {
			if reason := r.shapeOf(p); reason != "" {
				fmt.Fprintf(&list, "  Scenario: %s # %s\n    %s: %s\n\n", p.Name, r.location(p), shapeAttachment, reason)
			}
		}
	}
	if list.Len() == 0 {
		return ""
	}
	return "--- Passed on the answer's shape alone (shape only; its content was not compared):\n\n" + list.String()
}
