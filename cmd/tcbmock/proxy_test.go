package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/drift"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
	"github.com/tcbmock/tcbmock/proxy"
)

// runningProxy is "tcbmock proxy" run in-process on a free port.
type runningProxy struct {
	url    string
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

// startProxyCLI runs "tcbmock proxy --addr 127.0.0.1:0" with args.
func startProxyCLI(t *testing.T, args ...string) *runningProxy {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	p := &runningProxy{stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	go func() {
		p.done <- run(ctx, append([]string{"proxy", "--addr", "127.0.0.1:0"}, args...), &bytes.Buffer{}, p.stderr)
	}()
	t.Cleanup(func() { cancel(); <-p.done })
	p.url = waitForURL(t, p.stderr.String)
	return p
}

// stop ends the proxy as SIGINT does (main's context ends), and returns
// its exit status.
func (p *runningProxy) stop(t *testing.T) int {
	t.Helper()
	p.cancel()
	select {
	case err := <-p.done:
		p.done <- err // for the clean-up
		if err != nil {
			return exitCode(err)
		}
		return 0
	case <-time.After(10 * time.Second):
		t.Fatal("the proxy did not stop")
	}
	return -1
}

func newFake(t *testing.T) *mock.Server {
	t.Helper()
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// stableToken gets a stable token of the demo app through base.
func stableToken(t *testing.T, base string, secret string) string {
	t.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	body := post(t, base+"/cgi-bin/stable_token", `{"grant_type":"client_credential","appid":"`+mocktest.DemoAppID+`","secret":"`+secret+`"}`)
	if err := json.Unmarshal([]byte(body), &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("stable_token: %s", body)
	}
	return tok.AccessToken
}

func TestProxyRefusesABadCommandLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no upstream", []string{"proxy"}, 2, "--upstream is required"},
		{"an http upstream off this machine", []string{"proxy", "--upstream", "http://api.weixin.qq.com"}, 2, "http:// is only for this machine"},
		{"an upstream with a path", []string{"proxy", "--upstream", "https://api.weixin.qq.com/tcb"}, 2, "only a scheme and a host"},
		{"an argument", []string{"proxy", "--upstream", "https://api.weixin.qq.com", "extra"}, 2, "unexpected arguments"},
		{"a journal too large", []string{"proxy", "--upstream", "https://api.weixin.qq.com", "--journal-size", "1000000"}, 2, "want 0 to 100000"},
		{"a spec that is not there", []string{"proxy", "--upstream", "https://api.weixin.qq.com", "--spec", "/nonexistent/openapi.yaml"}, 1, "/nonexistent/openapi.yaml: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, errOut, code := runCLI(t, tc.args...); code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, %q; want %d and %q", code, errOut, tc.code, tc.want)
			}
		})
	}
}

func TestProxyReportsEachDriftAndSumsThemUpOnShutdown(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"exit 0 without --fail-on-violation", nil, 0},
		{"exit 1 with --fail-on-violation", []string{"--fail-on-violation"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startProxyCLI(t, append([]string{"--upstream", serve(t, drift.Handler(newFake(t)))}, tc.args...)...)
			tok := stableToken(t, p.url, mocktest.DemoSecret)
			for _, d := range drift.Cases() {
				req, _ := http.NewRequestWithContext(t.Context(), "POST", p.url+"/tcb/getenvinfo?access_token="+tok, strings.NewReader("{}"))
				req.Header.Set(drift.Header, d.Name)
				if d.Scenario != "" {
					req.Header.Set(mock.ScenarioHeader, d.Scenario)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if got := resp.Header.Get(proxy.ViolationsHeader); got != d.Want {
					t.Errorf("%s: header %q; want %q", d.Name, got, d.Want)
				}
			}
			if got := get(t, p.url+"/__tcbmock/requests?violations=1"); strings.Count(got, `"violations":["`) != len(drift.Cases()) {
				t.Errorf("journal: %s; want %d entries with violations", got, len(drift.Cases()))
			}
			if code := p.stop(t); code != tc.code {
				t.Errorf("exit %d; want %d\n%s", code, tc.code, p.stderr.String())
			}
			log := p.stderr.String()
			for _, want := range []string{
				`msg="tcbmock proxy stopped" exchanges=7 violating=6 not_in_spec=0 upstream_failures=0 unvalidated=0`,
				`msg=violations operation=getEnvInfo content-type=1 errcode=1 rid=1 schema=2 status=1`,
			} {
				if !strings.Contains(log, want) {
					t.Errorf("the log lacks %q:\n%s", want, log)
				}
			}
			if n := strings.Count(log, "the answer breaks the spec"); n != len(drift.Cases()) {
				t.Errorf("the log has %d violation lines; want %d", n, len(drift.Cases()))
			}
		})
	}
}

// replayCommand reads the arguments of "tcbmock serve" that the header
// comment of the recording in dir names to replay it.
func replayCommand(t *testing.T, dir string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, proxy.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if _, args, ok := strings.Cut(line, "#   tcbmock serve "); ok {
			return strings.Fields(args)
		}
	}
	t.Fatalf("the recording names no command that replays it:\n%s", data)
	return nil
}

func TestProxyRecordsAWorldThatLintPassesAndServeReplays(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "recorded")
	p := startProxyCLI(t, "--upstream", serve(t, newFake(t)), "--record", dir)
	tok := stableToken(t, p.url, mocktest.DemoSecret)
	through := post(t, p.url+"/tcb/getenvinfo?access_token="+tok, "{}")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, proxy.RecordFile)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the recording was not written while the proxy ran")
		}
	}
	post(t, p.url+"/tcb/getenvinfo?access_token=97_"+strings.Repeat("x", 40), "{}") // 40001, just before the end
	if code := p.stop(t); code != 0 {
		t.Fatalf("exit %d\n%s", code, p.stderr.String())
	}
	if out, errOut, code := runCLI(t, "lint", "--scenarios", dir, "--replace-scenarios"); code != 0 || out != "" {
		t.Fatalf("lint of the recording: exit %d\n%s%s", code, out, errOut)
	}
	replay, _ := serveInProcess(t, replayCommand(t, dir)...)
	var world struct {
		Apps []*mock.App `json:"apps"`
	}
	if err := json.Unmarshal([]byte(get(t, replay+"/__tcbmock/apps")), &world); err != nil || len(world.Apps) != 1 || world.Apps[0].Secret == mocktest.DemoSecret {
		t.Fatalf("the replay's apps: %+v (%v); want the demo app with a stand-in secret", world.Apps, err)
	}
	again := post(t, replay+"/tcb/getenvinfo?access_token="+stableToken(t, replay, world.Apps[0].Secret), "{}")
	if again != through {
		t.Errorf("the replay answered %s; want what the upstream answered through the proxy, %s", again, through)
	}
	if got := post(t, replay+"/tcb/getenvinfo?access_token="+tok, "{}"); !strings.Contains(got, `"errcode":40001`) {
		t.Errorf("the upstream's token on the replay: %s; want 40001, the replay issues its own", got)
	}
	data, err := os.ReadFile(filepath.Join(dir, proxy.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "name: recorded-getenvinfo-40001") {
		t.Errorf("the recording lacks the last exchange's errcode, written on shutdown:\n%s", data)
	}
	for where, text := range map[string]string{"the recording": string(data), "the log": p.stderr.String()} {
		for _, secret := range []string{mocktest.DemoSecret, tok} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds %.20s… in clear", where, secret)
			}
		}
	}
}

func TestCheckThroughTheProxyAgainstAFakeTreatedAsProductionFindsNoViolation(t *testing.T) {
	p := startProxyCLI(t, "--upstream", serve(t, withoutAdminAPI(t)), "--fail-on-violation")
	t.Setenv("TCBMOCK_APPID", mocktest.SecondAppID)
	t.Setenv("TCBMOCK_SECRET", mocktest.SecondSecret)
	out, errOut, code := runCLI(t, "check", "--target", p.url, "--live", "--format", "progress")
	if code != 0 {
		t.Fatalf("check through the proxy: exit %d\n%s\n%s", code, out, errOut)
	}
	if got := get(t, p.url+"/__tcbmock/requests?violations=1"); got != `{"requests":[]}` {
		t.Errorf("journal of violations: %s; want none", got)
	}
	if code := p.stop(t); code != 0 {
		t.Errorf("exit %d with --fail-on-violation; want 0\n%s", code, p.stderr.String())
	}
	m := regexp.MustCompile(`exchanges=(\d+) violating=0 not_in_spec=0 upstream_failures=0`).FindStringSubmatch(p.stderr.String())
	if m == nil {
		t.Fatalf("the summary: %s; want none violating", p.stderr.String())
	}
	if n, _ := strconv.Atoi(m[1]); n < 10 {
		t.Errorf("the summary counts %d exchanges; want the suite's", n)
	}
}

func TestProxyHasHelpAndIsListed(t *testing.T) {
	out, errOut, code := runCLI(t, "proxy", "-h")
	if help := out + errOut; code != 0 || !strings.Contains(help, "Usage: tcbmock proxy") || !strings.Contains(help, "-upstream URL") || !strings.Contains(help, "-fail-on-violation") {
		t.Errorf("proxy -h: exit %d, %q", code, help)
	}
	if out, _, _ := runCLI(t, "help"); !strings.Contains(out, "tcbmock proxy [flags]") {
		t.Errorf("help lacks proxy: %q", out)
	}
}

func TestProxyGuardsItsJournalWithTheAdminToken(t *testing.T) {
	t.Setenv("TCBMOCK_ADMIN_TOKEN", "s3cret")
	p := startProxyCLI(t, "--upstream", serve(t, newFake(t)))
	for _, tc := range []struct {
		path, token string
		want        int
	}{
		{"/__tcbmock/requests", "", http.StatusUnauthorized},
		{"/__tcbmock/requests", "s3cret", http.StatusOK},
		{"/__tcbmock/health", "", http.StatusOK},
	} {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", p.url+tc.path, nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("GET %s with token %q: HTTP %d; want %d", tc.path, tc.token, resp.StatusCode, tc.want)
		}
	}
}
