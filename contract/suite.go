package contract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/cucumber/godog"

	"github.com/tcbmock/tcbmock"
)

// Formats are the report formats Run writes: godog's own formatters.
var Formats = []string{"pretty", "progress", "junit", "cucumber"}

// ErrFeatures is returned when godog cannot read or parse the features.
var ErrFeatures = errors.New("contract: the features cannot be run")

// Options configure a run of the suite.
type Options struct {
	Target   *Target
	Spec     *tcbmock.Spec // nil: the embedded openapi.yaml
	Features fs.FS         // holding a features directory; nil: the embedded one
	Tags     string        // a godog tag expression, such as "@live && ~@slow"
	Format   string        // one of Formats; "" is pretty
	Output   io.Writer     // where the report goes; nil is os.Stdout
	// TestingT runs each scenario as a subtest of a Go test.
	TestingT *testing.T
}

// Result is how a run went.
type Result struct {
	Passed  bool   // every scenario that ran passed
	Skipped []Skip // what the target could not run, and why
}

// Run runs the features against the target.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Target == nil {
		return nil, errors.New("contract: no target")
	}
	if err := checkTags(o.Tags); err != nil {
		return nil, err
	}
	if o.Format == "" {
		o.Format = "pretty"
	}
	if !slices.Contains(Formats, o.Format) {
		return nil, fmt.Errorf("contract: unknown format %q: want one of %v", o.Format, Formats)
	}
	if err := o.defaults(ctx); err != nil {
		return nil, err
	}
	sess := &session{target: o.Target, spec: o.Spec}
	suite := godog.TestSuite{
		Name:                "tcbmock",
		ScenarioInitializer: func(sc *godog.ScenarioContext) { initScenario(sc, sess) },
		Options: &godog.Options{
			Format:         o.Format,
			Output:         o.Output,
			FS:             o.Features,
			Paths:          []string{tcbmock.FeatureDir},
			Tags:           o.Tags,
			Strict:         true,
			NoColors:       true,
			TestingT:       o.TestingT,
			DefaultContext: ctx,
		},
	}
	skipped, err := sess.plan(suite)
	if err != nil {
		return nil, err
	}
	if !o.Target.Admin {
		live := liveOnly
		if !o.Target.ThirdParty.Complete() {
			live += " && ~@third-party"
		}
		suite.Options.Tags = andTags(o.Tags, live)
	}
	if status := suite.Run(); status == 0 || status == 1 {
		return &Result{Passed: status == 0, Skipped: skipped}, nil
	}
	return nil, ErrFeatures
}

func (o *Options) defaults(ctx context.Context) error {
	if o.Output == nil {
		o.Output = os.Stdout
	}
	if o.Features == nil {
		o.Features = tcbmock.FS()
	}
	if o.Spec == nil {
		data, err := fs.ReadFile(tcbmock.FS(), tcbmock.SpecFile)
		if err != nil {
			return err
		}
		if o.Spec, err = tcbmock.LoadSpec(ctx, tcbmock.SpecFile, data); err != nil {
			return err
		}
	}
	return nil
}

// initScenario prepares one scenario: its state and its clean-up.
func initScenario(sc *godog.ScenarioContext, sess *session) {
	s := &scenario{session: sess}
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		s.id = p.Id
		return ctx, nil
	})
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		if !s.movedClock {
			return ctx, nil
		}
		// The fake's clock moved: put the fake back, and get a new token next time.
		sess.forget()
		return ctx, sess.target.admin(ctx, http.MethodPost, "reset", nil, nil)
	})
	s.register(sc)
}
