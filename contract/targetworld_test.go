package contract_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// admin sends the fake m an admin request, and fails the test unless it
// answers 200.
func admin(t *testing.T, m http.Handler, method, path, body string) {
	t.Helper()
	w := httptest.NewRecorder()
	m.ServeHTTP(w, adminRequest(method, path, body))
	if w.Code != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d %s", method, path, w.Code, w.Body)
	}
}

// adminRequest is a call of the fake's admin API from the machine it runs
// on, as the suite makes it.
func adminRequest(method, path, body string) *http.Request {
	r := httptest.NewRequest(method, mock.AdminPrefix+path, strings.NewReader(body))
	r.Host = "127.0.0.1"
	r.Header.Set("Content-Type", "application/json")
	return r
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

// TestWhatTheTargetLacksIsSkippedWithTheReason: a fake replaying a
// recording has one app, no platform and none of the embedded scenarios;
// what needs them is skipped, with the reason, and nothing fails.
func TestWhatTheTargetLacksIsSkippedWithTheReason(t *testing.T) {
	dir := t.TempDir()
	world := "apps:\n  - appid: " + mocktest.DemoAppID + "\n    secret: " + mocktest.DemoSecret + "\n    envs:\n" +
		"      - {env: test2-4a89da, alias: test2, create_time: \"2019-04-04 14:10:28\", update_time: \"2019-04-04 14:10:36\", status: NORMAL, package_id: basic, package_name: 基础版 1}\n"
	if err := os.WriteFile(filepath.Join(dir, "recorded.yaml"), []byte(world), 0o644); err != nil {
		t.Fatal(err)
	}
	files := mock.Embedded()
	files.Scenarios = []mock.File{{FS: os.DirFS(dir), Path: "."}}
	m := testkit.Fake(t, files)
	out, res := runFake(t, m, contractOptions())
	if !res.Passed(false) {
		t.Errorf("failed %v; want a pass, what the target lacks skipped\n%s", res.Failed, out)
	}
	for _, reason := range []string{"the target has no scenario \"retry-then-ok\""} {
		if !strings.Contains(out, reason) {
			t.Errorf("the report does not say %q\n%s", reason, out)
		}
	}
}
