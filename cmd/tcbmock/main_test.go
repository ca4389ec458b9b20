package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/syncbuf"
	"github.com/tcbmock/tcbmock/mocktest"
)

// runCLI runs a command line in-process.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(t.Context(), args, &out, &errb)
	if err != nil {
		code = exitCode(err)
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), code
}

func TestHelpListsTheCommands(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		out, _, code := runCLI(t, args...)
		if code != 0 || !strings.Contains(out, "tcbmock serve") || !strings.Contains(out, "tcbmock lint") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}

func TestEachCommandHasHelp(t *testing.T) {
	for _, name := range []string{"serve", "lint"} {
		out, _, code := runCLI(t, name, "-h")
		if code != 0 || !strings.Contains(out, "Usage: tcbmock "+name) || !strings.Contains(out, "-scenarios") {
			t.Errorf("%s -h: exit %d, %q", name, code, out)
		}
		out, _, code = runCLI(t, "help", name)
		if code != 0 || !strings.Contains(out, "Usage: tcbmock "+name) {
			t.Errorf("help %s: exit %d, %q", name, code, out)
		}
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{{}, {"nope"}, {"serve", "--nope"}, {"lint", "extra"}, {"help", "nope"}, {"serve", "--scenario", "nope", "--addr", "127.0.0.1:0"}} {
		if _, errOut, code := runCLI(t, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, %q; want 2 and a message", args, code, errOut)
		}
	}
}

func TestLintIsSilentOnTheEmbeddedFiles(t *testing.T) {
	out, errOut, code := runCLI(t, "lint")
	if code != 0 || out != "" || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0 and silence", code, out, errOut)
	}
}

// badScenarios writes scenario files with one problem each.
func badScenarios(t *testing.T) string {
	return writeFiles(t, map[string]string{
		"a.yaml": "scenarios:\n  - name: a\n    description: unknown key\n    errcod: -1\n",
		"b.yaml": "scenarios:\n  - name: b\n    description: wrong type\n    errcode: [1]\n",
		"c.yaml": "scenarios:\n  - name: c\n    description: refused by the spec\n    body:\n      errcode: 0\n      errmsg: fine\n      info_list: []\n",
	})
}

// wantProblems are badScenarios' problems: a.yaml's unknown key hides
// neither the problem it makes (the scenario has no answer) nor the other
// files'.
var wantProblems = []string{
	`a.yaml:2: scenario "a": an answer has exactly one of errcode, body`,
	`a.yaml:4: unknown key "errcod"`,
	`b.yaml:4: want an integer, got a list`,
	`c.yaml:6: scenario "c": breaks the spec of getEnvInfo: /errmsg: expected one of ["ok"], received "fine"`,
}

func TestLintPrintsFileLineAndExits1(t *testing.T) {
	dir := badScenarios(t)
	out, _, code := runCLI(t, "lint", "--scenarios", dir)
	if code != 1 {
		t.Errorf("exit %d; want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(wantProblems) {
		t.Fatalf("got %d lines %q; want %d", len(lines), out, len(wantProblems))
	}
	for i, want := range wantProblems {
		if !strings.HasPrefix(lines[i], filepath.Join(dir, want)) {
			t.Errorf("line %d: got %q; want %q", i+1, lines[i], filepath.Join(dir, want))
		}
	}
}

func TestLintReportsABadSpec(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(spec, []byte("openapi: 3.0.3\ninfo: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := runCLI(t, "lint", "--spec", spec)
	if code != 1 || !strings.HasPrefix(out, spec+":") {
		t.Errorf("exit %d, %q; want 1 and %s:LINE: …", code, out, spec)
	}
	out, _, code = runCLI(t, "lint", "--spec", spec+".missing")
	if code != 1 || !strings.Contains(out, "no such file") {
		t.Errorf("missing spec: exit %d, %q", code, out)
	}
}

func TestServeRefusesBadFilesWithTheSameMessages(t *testing.T) {
	dir := badScenarios(t)
	_, errOut, code := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--scenarios", dir)
	if code != 1 {
		t.Errorf("exit %d; want 1", code)
	}
	for _, want := range wantProblems {
		if !strings.Contains(errOut, filepath.Join(dir, want)) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}
}

// syncBuffer is a log a test reads while a server writes it.
type syncBuffer = syncbuf.Buffer

func TestServeStopsCleanlyWhenItsContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, &bytes.Buffer{}, &stderr) }()
	url := waitForURL(t, stderr.String)
	if rep := get(t, url+"/__tcbmock/health"); rep != `{"status":"ok"}` {
		t.Errorf("health: %s", rep)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(stderr.String(), "tcbmock stopped") {
		t.Errorf("stderr %q lacks the stop line", stderr.String())
	}
}

func TestCheckUsageErrorsExit2(t *testing.T) {
	clearCredentials(t)
	wrong := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(wrong.Close)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check"}, "--target is required"},
		{[]string{"check", "--target", "ftp://x"}, "not an http:// or https:// URL"},
		{[]string{"check", "--target", wrong.URL}, "needs --appid and --secret"},
		{[]string{"check", "--target", wrong.URL, "--live", "--appid", "wx0123456789abcdef"}, "needs --appid and --secret"},
		{[]string{"check", "--target", wrong.URL, "--token", "97_x", "--format", "html"}, `unknown format "html"`},
		{[]string{"check", "--target", wrong.URL, "--token", "97_x", "--tags", "@live &&"}, "bad tag expression"},
		{[]string{"check", "--target", wrong.URL, "--token", "97_x", "--out", "/nonexistent/dir/report.xml"}, "no such file"},
	} {
		_, errOut, code := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

func TestCheckFailsAgainstAWrongServer(t *testing.T) {
	// A server that answers every request with HTTP 405 and an HTML page.
	wrong := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = w.Write([]byte("<html>405</html>"))
	}))
	t.Cleanup(wrong.Close)
	out, errOut, code := runCLI(t, "check", "--target", wrong.URL, "--token", "97_"+strings.Repeat("a", 140))
	if code != 1 || !strings.Contains(out, "HTTP status: expected HTTP 200, received 405") || !strings.Contains(errOut, "FAILED") {
		t.Errorf("exit %d; want 1 and the deviation named\n%s\n%s", code, out, errOut)
	}
}

func TestCheckTakesCredentialsFromTheEnvironment(t *testing.T) {
	srv := httptest.NewServer(withoutAdminAPI(t))
	t.Cleanup(srv.Close)
	t.Setenv("TCBMOCK_APPID", mocktest.DemoAppID)
	t.Setenv("TCBMOCK_SECRET", mocktest.DemoSecret)
	if out, errOut, code := runCLI(t, "check", "--target", srv.URL, "--format", "progress", "--tags", "@live"); code != 0 {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestOnlyLoopbackAddressesCountAsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:80": true, "[::1]:80": true, "0.0.0.0:80": false, "[::]:80": false, "10.1.2.3:80": false} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := isLoopback(a); got != want {
			t.Errorf("isLoopback(%s) = %v; want %v", addr, got, want)
		}
	}
}

func TestABadFlagIsSaidOnce(t *testing.T) {
	out, errOut, code := runCLI(t, "serve", "--nope")
	if code != 2 || strings.Count(errOut, "flag provided but not defined: -nope") != 1 || strings.Contains(errOut+out, "Usage:") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2 and one line naming the flag", code, out, errOut)
	}
}

func TestVersionPrintsTheBuildInfo(t *testing.T) {
	out, _, code := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "tcbmock ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("exit %d, %q; want tcbmock, the module's version, then %s", code, out, runtime.Version())
	}
}

func TestVersionSaysTagCommitAndWhatWasNotRecorded(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	for _, c := range []struct {
		name     string
		version  string
		settings []debug.BuildSetting
		want     string
	}{
		{"a tag", "v0.3.0", vcs("vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-12-05T05:00:00Z", "vcs.modified", "false"),
			"tcbmock v0.3.0 (commit 0123456789ab, 2026-12-05T05:00:00Z) go1.26.8"},
		{"a modified tree", "v0.3.1-0.20261205050000-0123456789ab+dirty", vcs("vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-12-05T05:00:00Z", "vcs.modified", "true"),
			"tcbmock v0.3.1-0.20261205050000-0123456789ab+dirty (commit 0123456789ab, modified, 2026-12-05T05:00:00Z) go1.26.8"},
		{"go install of a tag", "v0.3.0", nil, "tcbmock v0.3.0 go1.26.8"},
		{"no version control", "(devel)", nil, "tcbmock (devel) go1.26.8\n" + unstamped},
	} {
		t.Run(c.name, func(t *testing.T) {
			info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "tcbmock", Version: c.version}, Settings: c.settings}
			if got := describeBuild(info); got != c.want {
				t.Errorf("got %q; want %q", got, c.want)
			}
		})
	}
}

func TestServeHelpSaysHowDirectoriesCombineAndWhereTheAdminAPIIs(t *testing.T) {
	out, _, _ := runCLI(t, "help", "serve")
	for _, want := range []string{"/__tcbmock/", "health", "adds its *.yaml files", "--replace-scenarios serves the\ndirectories alone"} {
		if !strings.Contains(out, want) {
			t.Errorf("help serve lacks %q:\n%s", want, out)
		}
	}
}

func TestTheAddressDefaultsToTCBMOCK_ADDR(t *testing.T) {
	t.Setenv("TCBMOCK_ADDR", "127.0.0.1:18181")
	for _, cmd := range []string{"serve", "proxy"} {
		out, _, _ := runCLI(t, "help", cmd)
		if !strings.Contains(out, `(default "127.0.0.1:18181")`) {
			t.Errorf("help %s with $TCBMOCK_ADDR set lacks it as --addr's default:\n%s", cmd, out)
		}
	}
}

func TestTheStartupLineShowsTheHostAsGivenAndThePortAsGot(t *testing.T) {
	for _, c := range []struct{ requested, listened, want string }{
		{"0.0.0.0:0", "[::]:41234", "0.0.0.0:41234"},
		{":8080", "[::]:8080", "0.0.0.0:8080"},
		{"127.0.0.1:0", "127.0.0.1:41234", "127.0.0.1:41234"},
		{"localhost:8080", "127.0.0.1:8080", "localhost:8080"},
		{"[::1]:0", "[::1]:41234", "[::1]:41234"},
	} {
		ln := fakeListener{addr: c.listened}
		if got := shownAddr(c.requested, ln); got != c.want {
			t.Errorf("shownAddr(%q, %s) = %q; want %q", c.requested, c.listened, got, c.want)
		}
	}
}

// fakeListener is a listener that only says its address.
type fakeListener struct {
	net.Listener
	addr string
}

func (l fakeListener) Addr() net.Addr { return addrString(l.addr) }

type addrString string

func (a addrString) Network() string { return "tcp" }
func (a addrString) String() string  { return string(a) }

func TestAMisspeltCommandGetsASuggestion(t *testing.T) {
	for _, args := range [][]string{{"sreve"}, {"help", "sreve"}} {
		_, errOut, code := runCLI(t, args...)
		if code != 2 || !strings.Contains(errOut, `unknown command "sreve" (did you mean "serve"?)`) {
			t.Errorf("%v: exit %d, %q; want 2 and a suggestion of serve", args, code, errOut)
		}
	}
}

func TestHelpTakesHelpFlags(t *testing.T) {
	for _, flag := range []string{"-h", "--help"} {
		out, _, code := runCLI(t, "help", flag)
		if code != 0 || !strings.Contains(out, "tcbmock serve [flags]") {
			t.Errorf("help %s: exit %d, %q; want the usage", flag, code, out)
		}
	}
}
