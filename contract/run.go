package contract

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cucumber/godog"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// Formats are the report formats Run writes: godog's own formatters.
var Formats = []string{"pretty", "progress", "junit", "cucumber"}

// ErrFeatures is returned when godog cannot read or parse the features.
var ErrFeatures = errors.New("contract: the features cannot be run")

// ErrTimeout is returned when the run's context reached its deadline before
// the run ended: the target stalled, or the deadline was too short.
var ErrTimeout = errors.New("contract: the run did not finish in time")

// ErrFormat is returned for a report format that is not one of [Formats].
var ErrFormat = errors.New("contract: unknown format")

// Options configure a run of the suite.
type Options struct {
	Target *Target
	// Spec is the contents of an openapi.yaml to check against; nil: the
	// embedded one. A problem in it is reported under SpecName.
	Spec     []byte
	SpecName string
	// Overlays add operations and schemas to the spec (check --overlay),
	// in order.
	Overlays []Overlay
	// Features holds a features directory; nil: the embedded one.
	Features fs.FS
	// MoreFeatures holds more feature files, at its root or below, run with
	// the same steps (check --features DIR); nil: none.
	MoreFeatures fs.FS
	// MoreFeaturesName is the directory MoreFeatures was read from, as the
	// user named it: a mistake in its files is reported under that name.
	MoreFeaturesName string
	Tags             string    // a godog tag expression, such as "@live && ~@slow"
	Format           string    // one of Formats; "" is pretty
	Output           io.Writer // where the report goes; nil is os.Stdout
	// TestingT runs each scenario as a subtest of a Go test.
	TestingT *testing.T
}

// Result is how a run went.
type Result struct {
	Scenarios int      // how many scenarios the tags selected
	Failed    []string // the scenarios that failed: the target deviates
	Skipped   []Skip   // the scenarios that did not check what they say, and why
	// Observations are what a target without the fake's admin API
	// answered where the fake answers as it chose: never a failure.
	Observations []Observation
	// ShapeOnly are the scenarios that passed having checked an answer's
	// shape (its schema) alone, where a fake's answer is compared with its
	// world: the target's world is unknown, so a pass says nothing of the
	// content.
	ShapeOnly []ShapeOnly
}

// ShapeOnly is a scenario that passed on an answer's shape alone, and why.
type ShapeOnly struct {
	Scenario string `json:"scenario"`
	Reason   string `json:"reason"`
}

// Skip is a scenario the run skipped, and why.
type Skip struct {
	Scenario string `json:"scenario"`
	Reason   string `json:"reason"`
	// Excluded says that the target's kind excluded the scenario: it is
	// tagged @fake, or not @live, and the target is production.
	Excluded bool `json:"excluded"`
}

// Passed reports whether no scenario failed and, if strict, no scenario
// selected for the target was skipped: scenarios the target's kind
// excludes never count.
func (r *Result) Passed(strict bool) bool {
	if len(r.Failed) > 0 {
		return false
	}
	return !strict || !slices.ContainsFunc(r.Skipped, func(s Skip) bool { return !s.Excluded })
}

// Run runs the features, and the checks generated from the spec's errcode
// tables, against the target. The report, in every format, shows each
// skipped scenario as skipped, with its reason.
func Run(ctx context.Context, o Options) (*Result, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if err := o.defaults(ctx); err != nil {
		return nil, err
	}
	spec, err := o.loadSpec(ctx)
	if err != nil {
		return nil, err
	}
	fsys, paths, err := featureFS(o.Features, o.MoreFeatures, spec, o.Target.Admin)
	if err != nil {
		return nil, err
	}
	sess, rec := newSession(o.Target, spec), &recorder{}
	out := &lineWriter{w: o.Output}
	suite := godog.TestSuite{
		Name:                "tcbmock",
		ScenarioInitializer: func(sc *godog.ScenarioContext) { initScenario(sc, sess, rec) },
		Options: &godog.Options{
			Format:         reporterFormat(o.Format),
			Output:         out,
			FS:             fsys,
			Paths:          paths,
			Tags:           o.Tags,
			Strict:         true,
			NoColors:       textFormat(o.Format), // the others print no colours
			TestingT:       o.TestingT,
			DefaultContext: ctx,
		},
	}
	features, err := suite.RetrieveFeatures()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFeatures, err)
	}
	if err := sess.start(ctx); err != nil {
		return nil, sess.redactErr(err)
	}
	pf := make([]pickled, len(features))
	for i, f := range features {
		pf[i] = pickled{uri: f.Uri, doc: f.GherkinDocument, pickles: f.Pickles}
	}
	if err := sess.checkSteps(pf, o.MoreFeaturesName); err != nil {
		return nil, err
	}
	status := suite.Run()
	selected := 0
	for _, f := range features {
		selected += len(f.Pickles)
	}
	res, unrunnable := rec.result(selected)
	res.Observations = sess.observed.all()
	if textFormat(o.Format) {
		writeObservationSection(out, res.Observations)
	}
	if err := out.Flush(); err != nil {
		return nil, fmt.Errorf("contract: writing the report: %w", err)
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return res, ErrTimeout
	case ctx.Err() != nil:
		return res, ctx.Err()
	case status > 1:
		return nil, ErrFeatures
	case len(unrunnable) > 0:
		return res, fmt.Errorf("%w: steps undefined, ambiguous or missing in %s", ErrFeatures, strings.Join(unrunnable, "; "))
	}
	return res, nil
}

func (o *Options) validate() error {
	if o.Target == nil {
		return errors.New("contract: no target")
	}
	if err := checkTags(o.Tags); err != nil {
		return err
	}
	if o.Format == "" {
		o.Format = "pretty"
	}
	if !slices.Contains(Formats, o.Format) {
		return fmt.Errorf("%w %q: want one of %v", ErrFormat, o.Format, Formats)
	}
	return nil
}

func (o *Options) defaults(ctx context.Context) error {
	if o.Output == nil {
		o.Output = os.Stdout
	}
	if o.Features == nil {
		o.Features = tcbmock.FS()
	}
	return nil
}

// loadSpec loads the spec of o, or the embedded one.
func (o *Options) loadSpec(ctx context.Context) (*apispec.Spec, error) {
	if o.Spec == nil && len(o.Overlays) == 0 {
		return apispec.Shared()
	}
	name, data := cmp.Or(o.SpecName, "the spec"), o.Spec
	if data == nil {
		var err error
		if data, err = fs.ReadFile(tcbmock.FS(), tcbmock.SpecFile); err != nil {
			return nil, err
		}
		name = tcbmock.SpecFile
	}
	overlays := make([]apispec.Overlay, len(o.Overlays))
	for i, ov := range o.Overlays {
		overlays[i] = apispec.Overlay{File: ov.Name, Data: ov.Data}
	}
	return apispec.LoadWith(ctx, name, data, overlays...)
}

// Overlay is a spec file of paths and components that adds operations
// and schemas to the spec: a problem in it is reported under Name.
type Overlay struct {
	Name string
	Data []byte
}

// recorder gathers how each scenario went.
type recorder struct {
	mu         sync.Mutex
	res        Result
	unrunnable []string // scenarios the features got wrong, not the target
}

// add records a scenario: skipped when a step skipped it, failed when err
// is not a skip, unrunnable when a step is undefined or ambiguous; passed
// on the shape alone when shape says why.
func (r *recorder) add(p *godog.Scenario, skipped *skipError, shape string, err error) {
	name := fmt.Sprintf("%s (%s)", p.Name, p.Uri)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.res.Scenarios++
	_, skip := asSkip(err)
	switch {
	case errors.Is(err, godog.ErrUndefined) || errors.Is(err, godog.ErrAmbiguous):
		r.unrunnable = append(r.unrunnable, name)
	case err != nil && !skip:
		r.res.Failed = append(r.res.Failed, name)
	case skipped != nil:
		r.res.Skipped = append(r.res.Skipped, Skip{Scenario: name, Reason: skipped.reason, Excluded: skipped.excluded})
	case shape != "":
		r.res.ShapeOnly = append(r.res.ShapeOnly, ShapeOnly{Scenario: name, Reason: shape})
	}
}

// result is how the run went, of selected scenarios, and the scenarios
// the features got wrong: those with an undefined or ambiguous step, and
// those without steps, which godog runs no hook of.
func (r *recorder) result(selected int) (*Result, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, unrunnable := r.res, slices.Clone(r.unrunnable)
	if n := selected - res.Scenarios; n > 0 {
		unrunnable = append(unrunnable, fmt.Sprintf("%d scenarios without steps", n))
		res.Scenarios = selected
	}
	return &res, unrunnable
}
