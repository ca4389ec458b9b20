package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
	"github.com/tcbmock/tcbmock/proxy"
)

// The second demo app's credentials, as the embedded world has them.
const (
	demoAppID  = mocktest.SecondAppID
	demoSecret = mocktest.SecondSecret
)

// clearCredentials empties the credentials check reads from the environment.
func clearCredentials(t *testing.T) {
	t.Helper()
	for _, v := range []string{"TCBMOCK_APPID", "TCBMOCK_SECRET", "TCBMOCK_TOKEN", "TCBMOCK_ADMIN_TOKEN", "TCBMOCK_ENV",
		"TCBMOCK_COMPONENT_APPID", "TCBMOCK_COMPONENT_SECRET", "TCBMOCK_VERIFY_TICKET", "TCBMOCK_AUTHORIZER_APPID", "TCBMOCK_REFRESH_TOKEN"} {
		t.Setenv(v, "")
	}
}

// deadURL returns a URL where nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	return url
}

// serve serves h on a free 127.0.0.1 port until the test ends.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestCheckSetupMistakesExit2WithOneLine(t *testing.T) {
	clearCredentials(t)
	dead := deadURL(t)
	production := serve(t, withoutAdminAPI(t))
	guarded, err := mock.New(mock.WithAdminToken("the-admin-token"))
	if err != nil {
		t.Fatal(err)
	}
	guardedURL := serve(t, guarded)
	busy, err := mock.New(mock.WithScenario("system-busy"))
	if err != nil {
		t.Fatal(err)
	}
	serverWide := serve(t, busy)
	px, err := proxy.New(serve(t, withoutAdminAPI(t)))
	if err != nil {
		t.Fatal(err)
	}
	proxied := serve(t, px)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"nothing listening", []string{"--target", dead}, "nothing answers at " + dead},
		{"nothing listening, live", []string{"--target", dead, "--live", "--appid", demoAppID, "--secret", demoSecret}, "nothing answers at " + dead},
		{"a wrong secret", []string{"--target", production, "--appid", demoAppID, "--secret", strings.Repeat("0", 32)}, "the credentials were refused: /cgi-bin/stable_token answered 40125 invalid appsecret"},
		{"an unknown token", []string{"--target", production, "--token", "97_" + strings.Repeat("x", 140)}, "the credentials were refused: /tcb/getenvinfo answered 40001 invalid credential"},
		{"an admin API that needs --admin-token", []string{"--target", guardedURL}, "admin API refused the suite: it needs --admin-token"},
		{"a wrong --admin-token", []string{"--target", guardedURL, "--admin-token", "not-it"}, "admin API refused the suite: it refused the admin token given"},
		{"a missing --spec", []string{"--target", production, "--spec", filepath.Join(t.TempDir(), "missing.yaml")}, "no such file"},
		{"a server-wide scenario", []string{"--target", serverWide}, `the target answers every request with its server default scenario "system-busy" (serve --scenario)`},
		{"a proxy without --live", []string{"--target", proxied, "--appid", demoAppID, "--secret", demoSecret}, "the target is tcbmock proxy, in front of production: check it as production (--live)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, append([]string{"check"}, tc.args...)...)
			if code != 2 || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want 2 and one line saying %q\nstdout: %s", code, errOut, tc.want, out)
			}
		})
	}
}

// TestCheckPassesAFakeWithExit0; a deviating target's exit 1 is
// TestCheckAgainstAServerThatNeverListsAnEnv's.
func TestCheckPassesAFakeWithExit0(t *testing.T) {
	clearCredentials(t)
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, m)
	if _, errOut, code := runCLI(t, "check", "--target", url, "--format", "progress"); code != 0 {
		t.Errorf("a fake: exit %d; want 0\n%s", code, errOut)
	}
}

// neverListsAnEnv is the fake, or the fake without its admin API, whose
// info_list is always empty.
func neverListsAnEnv(t *testing.T, admin bool) string {
	t.Helper()
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = m
	if !admin {
		h = testkit.WithoutAdmin(m)
	}
	list := regexp.MustCompile(`"info_list":\[.*\]`)
	return serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if r.URL.Path == "/tcb/getenvinfo" {
			body = list.ReplaceAll(body, []byte(`"info_list":[]`))
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
}

func TestCheckAgainstAServerThatNeverListsAnEnv(t *testing.T) {
	clearCredentials(t)
	fake, production := neverListsAnEnv(t, true), neverListsAnEnv(t, false)
	live := []string{"--target", production, "--appid", demoAppID, "--secret", demoSecret, "--format", "progress", "--tags", "~@third-party"}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"a fake", []string{"--target", fake, "--format", "progress"}, 1, "info_list: expected the app's 2 environments"},
		{"production without --env", live, 0, "skipped 2 scenarios, the app lists no environment, and no --env names one it has"},
		{"production without --env, --strict", append(live, "--strict"), 1, "FAILED (--strict): 2 scenarios selected for the target were skipped"},
		{"production with --env", append(live, "--env", "prod-7g3h5j"), 1, `expected the environment "prod-7g3h5j" (--env) among those listed`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, append([]string{"check"}, tc.args...)...)
			if code != tc.code || !strings.Contains(out+errOut, tc.want) {
				t.Errorf("exit %d; want %d and %q\n%s\n%s", code, tc.code, tc.want, out, errOut)
			}
		})
	}
}

func TestCheckStrictIgnoresWhatProductionExcludes(t *testing.T) {
	clearCredentials(t)
	production := serve(t, withoutAdminAPI(t))
	out, errOut, code := runCLI(t, "check", "--target", production, "--appid", demoAppID, "--secret", demoSecret,
		"--tags", "~@third-party", "--strict", "--format", "progress")
	if code != 0 || !strings.Contains(errOut, "excluded by the target's kind") {
		t.Errorf("exit %d; want 0: only excluded scenarios were skipped\n%s\n%s", code, out, errOut)
	}
}

func TestCheckTakesEnvsFromTheEnvironment(t *testing.T) {
	clearCredentials(t)
	production := serve(t, withoutAdminAPI(t))
	t.Setenv("TCBMOCK_ENV", "prod-7g3h5j,no-such-env-000000")
	_, errOut, code := runCLI(t, "check", "--target", production, "--appid", demoAppID, "--secret", demoSecret, "--tags", "@live && ~@third-party")
	if code != 1 || !strings.Contains(errOut, "FAILED") {
		t.Errorf("exit %d; want 1: the app has no env no-such-env-000000\n%s", code, errOut)
	}
}

func TestCheckEndsAStalledRunWithExit2(t *testing.T) {
	clearCredentials(t)
	fake := withoutAdminAPI(t)
	stalled := make(chan struct{})
	url := serve(t, stalling(stalled)(t, fake))
	t.Cleanup(func() { close(stalled) }) // before the server's Close, which waits for its handlers
	out, errOut, code := runCLI(t, "check", "--target", url, "--appid", demoAppID, "--secret", demoSecret, "--timeout", "300ms")
	if code != 2 || !strings.Contains(errOut, "the run did not finish within 300ms (--timeout)") {
		t.Errorf("exit %d; want 2 and the deadline named\n%s\n%s", code, out, errOut)
	}
}

func TestCheckRunsTheFeaturesOfFeaturesDir(t *testing.T) {
	clearCredentials(t)
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, m)
	dir := t.TempDir()
	feature := "@mine\nFeature: My own\n  Scenario: My app lists its environments\n    Given a token for the app\n    When I list the environments\n    Then the answer lists every environment of the app\n"
	if err := os.WriteFile(filepath.Join(dir, "mine.feature"), []byte(feature), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "check", "--target", url, "--features", dir, "--tags", "@mine")
	if code != 0 || !strings.Contains(out, "Scenario: My app lists its environments") || !strings.Contains(out, "1 scenarios (1 passed)") {
		t.Errorf("exit %d; want my scenario run and passed\n%s\n%s", code, out, errOut)
	}
	if _, errOut, code := runCLI(t, "check", "--target", url, "--features", filepath.Join(dir, "missing")); code != 2 || !strings.Contains(errOut, "not a directory") {
		t.Errorf("a missing --features: exit %d, %q; want 2", code, errOut)
	}
}
