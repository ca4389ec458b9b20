package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

const checkSummary = `Run the conformance suite (the feature files, and the checks generated from
the spec's errcode tables) against a target: a running fake, or production.
A target that answers GET /__tcbmock/health is a fake and needs no
credentials; any other is production, and needs --appid and --secret, or
--token. Against production only @live scenarios run: the others are shown
as skipped, with their reason, and so is any scenario that could not check
what it says (for example, no environment to ask for: give --env).

Exit status:
  0  every scenario that ran passed (with --strict: and none was skipped,
     but for the scenarios a production target excludes: @fake, not @live)
  1  the target answered and deviated from openapi.yaml or the features;
     with --strict, also a scenario skipped for want of an --env, a
     credential or an environment (deselect those with --tags)
  2  usage or configuration: bad flags, a missing or broken --spec, a
     feature file that does not parse or has an undefined, ambiguous or no
     step, nothing answering at --target, credentials the target refused, an
     admin API that needs --admin-token, a production target without
     credentials, or a run longer than --timeout

Before any scenario it gets the token (or checks the one given): credentials
the spec's when column says are wrong end the run with exit 2. It never
follows a redirect (a 3xx answer is a deviation), and never prints a
credential: secrets, tickets, refresh tokens, tokens given or received and
the admin token (of six characters or more; appids are not secrets) are
[redacted] in every message and report.`

// checkOptions are check's flags.
type checkOptions struct {
	target, tags, format, out, spec, features string
	overlays                                  []string
	observations                              string
	creds                                     contract.Credentials
	adminToken                                string
	envs                                      envFlag
	timeout                                   time.Duration
	live, verbose, strict, phrases            bool
}

// defaultTimeout bounds a whole check run unless --timeout says otherwise.
const defaultTimeout = 2 * time.Minute

// credentialFlags are check's credential flags, each with the environment
// variable it falls back to.
func (o *checkOptions) credentialFlags() []credentialFlag {
	c, tp := &o.creds, &o.creds.ThirdParty
	return []credentialFlag{
		{&c.AppID, "appid", "the app's `APPID`, for stable_token"},
		{&c.Secret, "secret", "the app's `SECRET`"},
		{&c.Token, "token", "an access `TOKEN` to use as it is"},
		{&o.adminToken, "admin-token", "the bearer `TOKEN` of a fake served with --admin-token"},
		{&tp.ComponentAppID, "component-appid", "a third-party platform's `APPID`, for the @third-party scenarios"},
		{&tp.ComponentSecret, "component-secret", "the platform's `SECRET`"},
		{&tp.VerifyTicket, "verify-ticket", "the latest component_verify_ticket `TICKET` WeChat pushed to the platform"},
		{&tp.AuthorizerAppID, "authorizer-appid", "the `APPID` of a mini program that granted the platform permission set 49 or 64"},
		{&tp.RefreshToken, "refresh-token", "that mini program's authorizer_refresh_token `TOKEN`"},
	}
}

// credentialFlag is a credential given as a flag or in the environment.
type credentialFlag struct {
	ptr         *string
	name, usage string
}

// env is the flag's environment variable: TCBMOCK_ and its name.
func (f credentialFlag) env() string {
	return "TCBMOCK_" + strings.ToUpper(strings.ReplaceAll(f.name, "-", "_"))
}

// envFlag is --env, which may be given more than once.
type envFlag []string

func (e *envFlag) String() string { return strings.Join(*e, ",") }

func (e *envFlag) Set(id string) error {
	if id == "" {
		return errors.New("an empty environment id")
	}
	*e = append(*e, id)
	return nil
}

func checkFlags(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	var o checkOptions
	fs.StringVar(&o.target, "target", "", "the `URL` to check: a running fake, or https://api.weixin.qq.com")
	for _, f := range o.credentialFlags() {
		fs.StringVar(f.ptr, f.name, "", f.usage+" (or $"+f.env()+")")
	}
	fs.Var(&o.envs, "env", "an environment `ID` the app is known to have: it must be listed, and asking for it must answer exactly it;\nmay be given more than once (or $TCBMOCK_ENV, ids separated by commas)")
	fs.StringVar(&o.tags, "tags", "", "run only the scenarios whose tags match `EXPR`, such as \"@live\" or \"~@third-party\"")
	fs.StringVar(&o.format, "format", "pretty", "the report `FORMAT`: "+strings.Join(contract.Formats, ", "))
	fs.StringVar(&o.out, "out", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&o.observations, "observations", "", "write to `FILE`, as JSON, what a production target answered where the fake answers as it chose\n(the row, the request, both answers; no credential): never a failure")
	fs.StringVar(&o.spec, "spec", "", "validate answers against the OpenAPI spec `FILE` (default: the embedded openapi.yaml)")
	registerOverlays(fs, &o.overlays)
	fs.StringVar(&o.features, "features", "", "run the .feature files below `DIR` too, with the same steps")
	fs.BoolVar(&o.live, "live", false, "treat the target as production: never touch its /__tcbmock/ API, run only @live scenarios")
	fs.BoolVar(&o.strict, "strict", false, "fail (exit 1) when a scenario selected for the target was skipped at run time;\nthose a production target excludes (@fake, not @live) never count")
	fs.DurationVar(&o.timeout, "timeout", defaultTimeout, "end the whole run after `DURATION` (exit 2); each request is bounded by "+contract.DefaultRequestTimeout.String())
	fs.BoolVar(&o.verbose, "v", false, "list every skipped scenario on standard error")
	fs.BoolVar(&o.phrases, "phrases", false, "list the step phrases a feature file can use, each with an example, and exit")
	return func(ctx context.Context, stdout, stderr io.Writer) error {
		if o.phrases {
			writePhrases(stdout)
			return nil
		}
		for _, f := range o.credentialFlags() {
			*f.ptr = cmp.Or(*f.ptr, os.Getenv(f.env()))
		}
		if len(o.envs) == 0 {
			o.envs = strings.FieldsFunc(os.Getenv("TCBMOCK_ENV"), func(r rune) bool { return r == ',' || r == ' ' })
		}
		return o.check(ctx, stdout, stderr)
	}
}

func (o *checkOptions) check(ctx context.Context, stdout, stderr io.Writer) error {
	if o.target == "" {
		return misused("tcbmock check: --target is required, for example --target http://127.0.0.1:8080")
	}
	if o.timeout <= 0 {
		return misused("tcbmock check: --timeout must be more than 0")
	}
	spec, overlays, err := o.loadSpec(ctx)
	if err != nil {
		printProblems(stderr, err)
		return &exitError{code: misuse}
	}
	more, err := o.moreFeatures()
	if err != nil {
		return misused("tcbmock check: " + err.Error())
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	target, err := contract.NewTarget(ctx, o.target, &contract.TargetOptions{Credentials: o.creds, AdminToken: o.adminToken, Envs: o.envs, Live: o.live})
	if err != nil {
		return o.configError(err)
	}
	report, done, err := o.report(stdout)
	if err != nil {
		return misused("tcbmock check: " + err.Error())
	}
	res, err := contract.Run(ctx, contract.Options{Target: target, Spec: spec, SpecName: cmp.Or(o.spec, tcbmock.SpecFile), Overlays: overlays, MoreFeatures: more, MoreFeaturesName: o.features, Tags: o.tags, Format: o.format, Output: report})
	if derr := done(); err == nil && derr != nil {
		err = derr
	}
	if res != nil {
		if werr := o.writeObservations(res.Observations); err == nil && werr != nil {
			err = werr
		}
		o.summarize(stderr, target, res)
	}
	var se *contract.StepError
	if errors.As(err, &se) { // the features' mistakes: one line each, no count
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(stderr, line)
		}
		return &exitError{code: misuse}
	}
	if err != nil {
		return o.configError(err)
	}
	if !res.Passed(o.strict) {
		return errFailed
	}
	return nil
}

// writePhrases lists the suite's step phrases, each with an example.
func writePhrases(w io.Writer) {
	fmt.Fprintln(w, "The steps a feature file can use (Given, When, Then or And before each), with an example:")
	for _, p := range contract.Phrases() {
		fmt.Fprintf(w, "\n  %s\n    e.g. %s\n", p.Pattern, p.Example)
	}
}

// writeObservations writes the run's observations to --observations.
func (o *checkOptions) writeObservations(obs []contract.Observation) error {
	if o.observations == "" {
		return nil
	}
	f, err := os.Create(o.observations)
	if err != nil {
		return err
	}
	if err := contract.WriteObservations(f, obs); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// report returns where the report goes, and what to call once it is written.
func (o *checkOptions) report(stdout io.Writer) (io.Writer, func() error, error) {
	if o.out == "" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(o.out)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// configError is the exit-2 error of a run that could not judge the target.
func (o *checkOptions) configError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "contract: ")
	switch {
	case errors.Is(err, contract.ErrNoCredentials):
		msg = fmt.Sprintf("%s is treated as production (--live, or it has no %s API), which needs --appid and --secret (or $TCBMOCK_APPID and $TCBMOCK_SECRET), or --token", redactURL(o.target), contract.AdminPrefix)
	case errors.Is(err, contract.ErrTimeout):
		msg = fmt.Sprintf("the run did not finish within %v (--timeout): the target stalled, or the run needs a longer --timeout", o.timeout)
	}
	return &exitError{code: misuse, msg: "tcbmock check: " + msg}
}

// loadSpec reads and checks --spec and the --overlay files, so that a
// problem in them is reported before the target is reached; nil is the
// embedded spec.
func (o *checkOptions) loadSpec(ctx context.Context) ([]byte, []contract.Overlay, error) {
	if o.spec == "" && len(o.overlays) == 0 {
		return nil, nil, nil
	}
	file, data := tcbmock.SpecFile, []byte(nil)
	var err error
	if o.spec == "" {
		data, err = fs.ReadFile(tcbmock.FS(), tcbmock.SpecFile)
	} else {
		file = o.spec
		data, err = os.ReadFile(o.spec)
	}
	if err != nil {
		return nil, nil, &yamlfile.Error{File: file, Msg: err.Error()}
	}
	var overlays []contract.Overlay
	var checked []apispec.Overlay
	for _, name := range o.overlays {
		od, err := os.ReadFile(name)
		if err != nil {
			return nil, nil, &yamlfile.Error{File: name, Msg: err.Error()}
		}
		overlays = append(overlays, contract.Overlay{Name: name, Data: od})
		checked = append(checked, apispec.Overlay{File: name, Data: od})
	}
	_, err = apispec.LoadWith(ctx, file, data, checked...)
	return data, overlays, err
}

// moreFeatures returns the directory of --features, or nil.
func (o *checkOptions) moreFeatures() (fs.FS, error) {
	if o.features == "" {
		return nil, nil
	}
	if fi, err := os.Stat(o.features); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("--features %s: not a directory", o.features)
	}
	return os.DirFS(o.features), nil
}

// summarize says on stderr what kind of target it was, what was skipped and
// why, and the verdict.
func (o *checkOptions) summarize(w io.Writer, target *contract.Target, res *contract.Result) {
	kind := "is a fake (it has the " + contract.AdminPrefix + " API)"
	switch {
	case o.live:
		kind = "is treated as production (--live): only @live scenarios run"
	case !target.Admin:
		kind = "is production (no " + contract.AdminPrefix + " API): only @live scenarios run"
	}
	fmt.Fprintf(w, "tcbmock check: %s %s\n", redactURL(o.target), kind)
	reasons := map[string]int{}
	var order []string
	excluded := 0
	for _, s := range res.Skipped {
		if reasons[s.Reason] == 0 {
			order = append(order, s.Reason)
		}
		reasons[s.Reason]++
		if s.Excluded {
			excluded++
		}
		if o.verbose {
			fmt.Fprintf(w, "  skipped %s: %s\n", s.Scenario, s.Reason)
		}
	}
	for _, r := range order {
		fmt.Fprintf(w, "tcbmock check: skipped %d scenarios, %s\n", reasons[r], r)
	}
	passed := res.Scenarios - len(res.Failed) - len(res.Skipped)
	fmt.Fprintf(w, "tcbmock check: %d scenarios: %d passed, %d failed, %d skipped (%d excluded by the target's kind)\n",
		res.Scenarios, passed, len(res.Failed), len(res.Skipped), excluded)
	if n := len(res.Observations); n > 0 {
		where := "see the report"
		if o.observations != "" {
			where = "written to " + o.observations
		}
		fmt.Fprintf(w, "tcbmock check: %d observations: the target answered otherwise where the fake answers as it chose; no failure (%s)\n", n, where)
	}
	if n := len(res.ShapeOnly); n > 0 {
		fmt.Fprintf(w, "tcbmock check: %d of the passed scenarios checked an answer's shape alone (shape only): the target's world is unknown, so its content was not compared (see the report)\n", n)
		if o.verbose {
			for _, s := range res.ShapeOnly {
				fmt.Fprintf(w, "  shape only %s: %s\n", s.Scenario, s.Reason)
			}
		}
	}
	switch {
	case len(res.Failed) > 0:
		fmt.Fprintf(w, "tcbmock check: FAILED: %d scenarios show the target deviating from openapi.yaml or the features (see the report)\n", len(res.Failed))
	case !res.Passed(o.strict):
		fmt.Fprintf(w, "tcbmock check: FAILED (--strict): %d scenarios selected for the target were skipped\n", len(res.Skipped)-excluded)
	default:
		fmt.Fprintln(w, "tcbmock check: every scenario that ran passed")
	}
}

// redactURL returns the URL without the password it may carry.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Redacted()
}
