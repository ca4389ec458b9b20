package contract

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v34"
)

// scenario is the state of one running scenario; godog makes one per scenario.
type scenario struct {
	session   *session
	id        string         // unique to the scenario: its key in the fake's sequences
	excluded  *skipError     // set before the first step: the scenario cannot run on this target
	skipped   *skipError     // why a step skipped the rest of the scenario
	token     string         // the token "I" call with
	tokens    []string       // the tokens got in this scenario, in order
	last      *received      // the last answer
	listed    *received      // the last full list of environments
	asked     string         // the environment asked for
	askedEnv  map[string]any // what the app is known to have under that id, or nil
	forced    string         // the fake's scenario "I" call with
	component string         // the platform's component token
	refreshes []string       // the old and the new refresh token, after a reauthorization
	changed   bool           // the fake's state changed (clock, authorizations): reset it afterwards

	// shape says why the running step checked the answer's shape alone
	// (the target's world is unknown), or ""; shaped is the scenario's,
	// once a step that did so passed.
	shape, shaped string

	name       string  // the scenario's name, for observations
	lastReq    request // the last request sent
	chosenCode bool    // the last answer's errcode differs from a choice: an observation, already recorded
}

// The attachments that carry a skip's reason from the step to the report,
// since godog drops a skipped step's error: one for a scenario the target's
// kind excludes, one for any other skip.
const (
	skipAttachment     = "tcbmock-skip-reason"
	excludedAttachment = "tcbmock-skip-excluded"
)

// shapeAttachment carries, on a passed step, why it checked the answer's
// shape alone: the formatters show it (cucumber as the step's embedding
// of this name), and tcbmock's summaries list its scenario.
const shapeAttachment = "shape only"

// initScenario prepares one scenario: its state, its steps and its clean-up;
// each outcome goes to rec.
func initScenario(sc *godog.ScenarioContext, sess *session, rec *recorder) {
	s := &scenario{session: sess}
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		s.id, s.name = p.Id, fmt.Sprintf("%s (%s)", p.Name, p.Uri)
		s.excluded = sess.exclusion(tagNames(p.Tags))
		return ctx, nil
	})
	sc.StepContext().After(func(ctx context.Context, _ *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
		if se, ok := asSkip(err); ok && status == godog.StepSkipped {
			name := skipAttachment
			if se.excluded {
				name = excludedAttachment
			}
			ctx = godog.Attach(ctx, godog.Attachment{Body: []byte(se.reason), FileName: name, MediaType: "text/plain"})
		}
		if status == godog.StepPassed && s.shape != "" {
			ctx = godog.Attach(ctx, godog.Attachment{Body: []byte(s.shape), FileName: shapeAttachment, MediaType: "text/plain"})
			s.shaped = s.shape
		}
		s.shape = ""
		return ctx, nil
	})
	sc.After(func(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
		var resetErr error
		if s.changed {
			// The fake's state changed: put the fake back, and get new tokens next time.
			sess.forget()
			resetErr = sess.redactErr(sess.target.admin().Reset(ctx))
			if resetErr == nil { // the reset may have changed the world (its refresh tokens): read it as it is now
				resetErr = sess.redactErr(sess.readWorld(ctx))
			}
		}
		rec.add(p, s.skipped, s.shaped, errors.Join(err, resetErr))
		return ctx, resetErr
	})
	for _, st := range s.steps() {
		sc.Step(phrase(st.phrase), s.guard(st.fn))
	}
}

// exclusion says why the target's kind, or the credentials it was given,
// keep a scenario with tags from running, or nil.
func (s *session) exclusion(tags []string) *skipError {
	switch {
	case s.target.Admin:
		return nil
	case slices.Contains(tags, "@fake"):
		return &skipError{reason: "@fake: needs the fake's " + AdminPrefix + " API, which the target does not have", excluded: true}
	case !slices.Contains(tags, "@live"):
		return &skipError{reason: "not @live: not known to be safe and true against production", excluded: true}
	case slices.Contains(tags, "@third-party") && !s.target.ThirdParty.Complete():
		return &skipError{reason: "@third-party: needs a third-party platform's credentials (--component-appid, --component-secret, --verify-ticket, --authorizer-appid, --refresh-token)"}
	}
	return nil
}

// guard wraps a step function: a scenario the target cannot run skips at
// its first step, a skip is remembered for the report, and no error leaves
// with a credential in its message.
func (s *scenario) guard(fn any) any {
	run := func(step func() error) error {
		if s.excluded != nil {
			s.skipped = s.excluded
			return s.excluded
		}
		err := s.session.redactErr(step())
		if se, ok := asSkip(err); ok {
			s.skipped = se
		}
		return err
	}
	switch f := fn.(type) {
	case func(context.Context) error:
		return func(ctx context.Context) error { return run(func() error { return f(ctx) }) }
	case func(context.Context, string) error:
		return func(ctx context.Context, a string) error { return run(func() error { return f(ctx, a) }) }
	case func(context.Context, string, string) error:
		return func(ctx context.Context, a, b string) error { return run(func() error { return f(ctx, a, b) }) }
	}
	panic(fmt.Sprintf("contract: a step function of type %T: want func(context.Context, string...) error with up to two strings", fn))
}

// redactErr returns err without any credential the session knows of.
func (s *session) redactErr(err error) error { return s.secret.err(err) }

func tagNames(tags []*messages.PickleTag) []string {
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = t.Name
	}
	return names
}
