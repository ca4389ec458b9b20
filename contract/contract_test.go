package contract_test

import (
	"bytes"
	"flag"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/cucumber/godog"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// godogOpts are godog's own flags, such as -godog.tags=@live or -godog.format=pretty.
var godogOpts = godog.Options{Format: "progress"}

func TestMain(m *testing.M) {
	// The suite runs allocate much and keep little: a collection at four
	// times the live heap rather than twice takes a sixth off the package's
	// time under the race detector (docs/performance.md).
	debug.SetGCPercent(400)
	godog.BindFlags("godog.", flag.CommandLine, &godogOpts)
	flag.Parse()
	os.Exit(m.Run())
}

// minScenarios is how many scenarios a run selected by tags must have: the
// whole suite more than 100, a tag filter at least one.
func minScenarios(tags string) int {
	if tags != "" {
		return 1
	}
	return 100
}

func TestFeaturesAgainstTheInProcessFake(t *testing.T) {
	target := fakeTarget(t)
	var out bytes.Buffer
	res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out, Format: godogOpts.Format, Tags: godogOpts.Tags, TestingT: t})
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		t.Log("the report:\n" + out.String())
	}
	if !res.Passed(true) || res.Scenarios < minScenarios(godogOpts.Tags) {
		t.Errorf("%d scenarios, failed %v, skipped %v\n%s", res.Scenarios, res.Failed, res.Skipped, out.String())
	}
}

func TestLivePartAgainstAFakeWithoutAdminAPI(t *testing.T) {
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	target, err := contract.HandlerTarget(t.Context(), testkit.WithoutAdmin(m), &contract.TargetOptions{Credentials: contract.Credentials{
		AppID: mocktest.SecondAppID, Secret: mocktest.SecondSecret,
		ThirdParty: contract.ThirdParty{
			ComponentAppID: mocktest.ComponentAppID, ComponentSecret: mocktest.ComponentSecret, VerifyTicket: mocktest.VerifyTicket,
			AuthorizerAppID: mocktest.DemoAppID, RefreshToken: mocktest.DemoRefreshToken,
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed(false) || !strings.Contains(out.String(), "Scenario: The whole chain") || !strings.Contains(out.String(), "Scenario: List every environment") {
		t.Errorf("failed %v; want the @live scenarios, the third-party chain among them, to pass:\n%s", res.Failed, out.String())
	}
	for _, s := range res.Skipped {
		if !s.Excluded {
			t.Errorf("skipped %s: %s; want only the scenarios production excludes skipped", s.Scenario, s.Reason)
		}
	}
}

// fakeTarget is a fake of the embedded files, in-process.
func fakeTarget(t *testing.T) *contract.Target {
	t.Helper()
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	target, err := contract.HandlerTarget(t.Context(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return target
}

// runFake runs the suite with o against h, a fake in-process, and returns
// its pretty report.
func runFake(t *testing.T, h http.Handler, o contract.Options) (string, *contract.Result) {
	t.Helper()
	target, err := contract.HandlerTarget(t.Context(), h, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	o.Target, o.Output, o.Format = target, &out, "pretty"
	res, err := contract.Run(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), res
}

// TestNothingRetiresAProductionToken: against a target without the admin
// API, a feature asking /cgi-bin/token or stable_token with force_refresh
// fails without sending it, since either would retire the token a running
// service of the same app uses.
func TestNothingRetiresAProductionToken(t *testing.T) {
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	var retiring atomic.Int32
	h := testkit.WithoutAdmin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if r.URL.Path == "/cgi-bin/token" || bytes.Contains(body, []byte(`"force_refresh":true`)) {
			retiring.Add(1)
		}
		m.ServeHTTP(w, r)
	}))
	target, err := contract.HandlerTarget(t.Context(), h, &contract.TargetOptions{Credentials: contract.Credentials{AppID: mocktest.SecondAppID, Secret: mocktest.SecondSecret}})
	if err != nil {
		t.Fatal(err)
	}
	features := fstest.MapFS{"mine.feature": {Data: []byte(`@live
Feature: calls that retire the running token
  Scenario: the app token endpoint
    When I ask /cgi-bin/token with no secret
    Then the errcode is 41004

  Scenario: force_refresh
    When I get a stable token with force_refresh
    Then the errcode is 0
`)}}
	var out bytes.Buffer
	res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out, MoreFeatures: features, Tags: "@live"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"the app token endpoint (more/mine.feature)", "force_refresh (more/mine.feature)"} {
		if !slices.Contains(res.Failed, name) {
			t.Errorf("scenario %q: not failed; want it refused (failed %v)", name, res.Failed)
		}
	}
	if !strings.Contains(out.String(), "retire the token a running service uses") {
		t.Errorf("the report does not say why:\n%s", out.String())
	}
	if n := retiring.Load(); n != 0 {
		t.Errorf("%d retiring requests reached the target; want none", n)
	}
}
