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
	target, err := contract.HandlerTarget(t.Context(), m, contract.Credentials{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out, Format: godogOpts.Format, Tags: godogOpts.Tags, TestingT: t})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed || len(res.Skipped) != 0 {
		t.Errorf("passed %v, skipped %v\n%s", res.Passed, res.Skipped, out.String())
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
	target, err := contract.HandlerTarget(t.Context(), withoutAdmin(m), contract.Credentials{
		AppID: "wxd0c0ffee00000002", Secret: "d0c0ffee0000000000000000000000a2",
		ThirdParty: contract.ThirdParty{
			ComponentAppID: "wxd0c0ffee0000c001", ComponentSecret: "d0c0ffee00000000000000000000c0a1", VerifyTicket: "ticket@@@d0c0ffee-verify-ticket",
			AuthorizerAppID: "wxd0c0ffee00000001", RefreshToken: "refreshtoken@@@d0c0ffee-demo-app-refresh-token",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed || !strings.Contains(out.String(), "Scenario: The whole chain") || !strings.Contains(out.String(), "Scenario: List every environment") {
		t.Errorf("passed %v; want the @live scenarios, the third-party chain among them, to pass:\n%s", res.Passed, out.String())
	}
	for _, s := range res.Skipped {
		if strings.Contains(s.Reason, "@third-party") {
			t.Errorf("skipped %s though the third-party credentials were given", s.Scenario)
		}
	}
}
