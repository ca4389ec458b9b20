package contract_test

import (
	"bytes"
	"flag"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/cucumber/godog"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// godogOpts are godog's own flags, such as -godog.tags=@live or -godog.format=pretty.
var godogOpts = godog.Options{Format: "progress"}

func TestMain(m *testing.M) {
	godog.BindFlags("godog.", flag.CommandLine, &godogOpts)
	flag.Parse()
	os.Exit(m.Run())
}

func TestFeaturesAgainstTheInProcessFake(t *testing.T) {
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	target, err := contract.HandlerTarget(t.Context(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out, Format: godogOpts.Format, Tags: godogOpts.Tags, TestingT: t})
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		t.Log("the report:\n" + out.String())
	}
	if !res.Passed(true) || res.Scenarios < 100 {
		t.Errorf("%d scenarios, failed %v, skipped %v\n%s", res.Scenarios, res.Failed, res.Skipped, out.String())
	}
}

// withoutAdmin hides the fake's admin API, as production has none.
func withoutAdmin(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, contract.AdminPrefix) {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func TestLivePartAgainstAFakeWithoutAdminAPI(t *testing.T) {
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	target, err := contract.HandlerTarget(t.Context(), withoutAdmin(m), &contract.TargetOptions{Credentials: contract.Credentials{
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
