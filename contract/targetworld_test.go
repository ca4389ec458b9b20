package contract_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// admin sends the fake m an admin request, and fails the test unless it
// answers 200.
func admin(t *testing.T, m http.Handler, method, path, body string) {
	t.Helper()
	r := httptest.NewRequest(method, mock.AdminPrefix+path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	m.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d %s", method, path, w.Code, w.Body)
	}
}

// TestTheSuiteUsesTheTargetsWorldAsItIsNow: after the tour's reauthorize
// and five minutes on the fake's clock, the embedded world's refresh token
// no longer works; the suite uses the one the target lists.
func TestTheSuiteUsesTheTargetsWorldAsItIsNow(t *testing.T) {
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	admin(t, m, http.MethodPost, "reauthorize", `{"component_appid":"`+mocktest.ComponentAppID+`","authorizer_appid":"`+mocktest.DemoAppID+`"}`)
	admin(t, m, http.MethodPost, "clock", `{"advance":"5m1s"}`)
	out, res := runFake(t, m, contractOptions())
	if !res.Passed(false) {
		t.Errorf("failed %v; want a pass\n%s", res.Failed, out)
	}
}

func contractOptions() contract.Options { return contract.Options{} }
