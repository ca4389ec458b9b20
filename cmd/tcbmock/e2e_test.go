package main

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/mocktest"
)

// binary is tcbmock, built once for the package's tests that run it, into
// a directory TestMain makes and removes.
var binary struct {
	dir  string
	once sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) { os.Exit(withBinaryDir(m)) }

// withBinaryDir runs the tests with a directory for the binary.
func withBinaryDir(m *testing.M) int {
	dir, err := os.MkdirTemp("", "tcbmock-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary.dir = dir
	return m.Run()
}

// buildBinary returns tcbmock's binary, built by its first caller.
func buildBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		path := filepath.Join(binary.dir, "tcbmock")
		if out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput(); err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		binary.path = path
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

var urlRe = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)

// waitForURL waits for the startup line and returns the URL it names.
func waitForURL(t *testing.T, log func() string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := urlRe.FindStringSubmatch(log()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no startup line in %q", log())
	return ""
}

// startBinary runs "tcbmock serve" with args on a free port.
func startBinary(t *testing.T, bin string, args ...string) (url string, cmd *exec.Cmd, stderr *syncBuffer) {
	t.Helper()
	stderr = &syncBuffer{}
	cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return waitForURL(t, stderr.String), cmd, stderr
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

func post(t *testing.T, url, body string) string {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return string(out)
}

// TestBinary drives tcbmock's binary as a user would.
func TestBinary(t *testing.T) {
	bin := buildBinary(t)
	// These set $TCBMOCK_…, which the in-process check reads: first, and alone.
	t.Run("guards the admin API with --admin-token", func(t *testing.T) { guardsAdmin(t, bin) })
	t.Run("passes the live part of check, treated as production", func(t *testing.T) { passesLiveCheck(t, bin) })
	for _, tc := range []struct {
		name string
		test func(*testing.T, string)
	}{
		{"serves over HTTP and stops on SIGTERM", servesAndStops},
		{"closes a slow request", closesSlowRequest},
		{"passes check, with a JUnit report", passesCheck},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each runs a server of its own
			tc.test(t, bin)
		})
	}
}

const watchedWorld = `apps:
  - appid: wx0123456789abcdef
    secret: 0123456789abcdef0123456789abcdef
    envs: []
scenarios:
  - name: edited
    description: the scenario being edited
    errcode: %s
`

func TestBinaryReloadsAnEditedScenarioWithWatch(t *testing.T) {
	t.Parallel() // a server of its own
	bin := buildBinary(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "world.yaml")
	write := func(errcode string) { // as an editor saves: a temporary file renamed over the file
		tmp := filepath.Join(dir, ".world.yaml.swp")
		if err := os.WriteFile(tmp, []byte(fmt.Sprintf(watchedWorld, errcode)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, file); err != nil {
			t.Fatal(err)
		}
	}
	write("-1")
	url, _, stderr := startBinary(t, bin, "--scenarios", dir, "--watch")
	answer := func() string {
		req, _ := http.NewRequestWithContext(t.Context(), "POST", url+"/tcb/getenvinfo", strings.NewReader("{}"))
		req.Header.Set("X-Tcbmock-Scenario", "edited")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	write("45009")
	waitLogged(t, stderr, "msg=reloaded", 1)
	if got := answer(); !strings.Contains(got, `"errcode":45009`) {
		t.Errorf("after the reload the answer is %s; want errcode 45009", got)
	}
	write("busy")
	waitLogged(t, stderr, "reload refused", 1)
	if !strings.Contains(stderr.String(), file+":8: want an integer") || !strings.Contains(answer(), `"errcode":45009`) {
		t.Errorf("a broken edit: log %q, answer %q; want file:line logged and the old answer", stderr.String(), answer())
	}
}

// waitLogged waits until log holds n lines containing what: the event a
// test waits for, rather than polling the answers in a race with the
// server. It gives up after a minute, a guard against a hang, not a bound
// on speed.
func waitLogged(t *testing.T, log *syncBuffer, what string, n int) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); strings.Count(log.String(), what) < n; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%q was not logged %d times:\n%s", what, n, log.String())
		}
	}
}

func guardsAdmin(t *testing.T, bin string) {
	url, _, _ := startBinary(t, bin, "--admin-token", "s3cret")
	if got := get(t, url+"/__tcbmock/apps"); !strings.Contains(got, "Bearer") {
		t.Errorf("apps without the token: %s", got)
	}
	if got := get(t, url+"/__tcbmock/health"); got != `{"status":"ok"}` {
		t.Errorf("health: %s", got)
	}
	t.Setenv("TCBMOCK_ADMIN_TOKEN", "s3cret")
	if _, errOut, code := runCLI(t, "check", "--target", url, "--format", "progress", "--tags", "@fake"); code != 0 {
		t.Errorf("check with $TCBMOCK_ADMIN_TOKEN: exit %d\n%s", code, errOut)
	}
}

func servesAndStops(t *testing.T, bin string) {
	url, cmd, stderr := startBinary(t, bin)
	if !strings.Contains(stderr.String(), "appid="+mocktest.DemoAppID+" secret="+mocktest.DemoSecret) {
		t.Errorf("startup line %q lacks the demo app's appid and secret", stderr.String())
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	body := get(t, url+"/cgi-bin/token?grant_type=client_credential&appid="+mocktest.DemoAppID+"&secret="+mocktest.DemoSecret)
	if err := json.Unmarshal([]byte(body), &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %s", body)
	}
	if got := post(t, url+"/tcb/getenvinfo?access_token="+tok.AccessToken, `{"env":"test2-4a89da"}`); !strings.Contains(got, `"env":"test2-4a89da"`) {
		t.Errorf("getenvinfo: %s", got)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	if !strings.Contains(stderr.String(), "tcbmock stopped") {
		t.Errorf("stderr %q lacks the stop line", stderr.String())
	}
}

func closesSlowRequest(t *testing.T, bin string) {
	url, _, _ := startBinary(t, bin, "--read-header-timeout", "200ms")
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("POST /tcb/getenvinfo HTTP/1.1\r\nHost: x\r\n")); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = bufio.NewReader(conn).ReadByte()
	if err == nil {
		t.Fatal("the server answered a request whose headers never ended")
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server kept the slow connection open for 10 s")
	}
}

// junitReport is the part of a JUnit file the test reads.
type junitReport struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Cases []struct {
			Name   string `xml:"name,attr"`
			Status string `xml:"status,attr"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func passesCheck(t *testing.T, bin string) {
	url, _, _ := startBinary(t, bin)
	report := filepath.Join(t.TempDir(), "report.xml")
	_, errOut, code := runCLI(t, "check", "--target", url, "--format", "junit", "--out", report)
	if code != 0 {
		t.Fatalf("check: exit %d\n%s", code, errOut)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var r junitReport
	if err := xml.Unmarshal(data, &r); err != nil {
		t.Fatalf("report.xml is not JUnit XML: %v\n%s", err, data)
	}
	if r.Tests < 50 || r.Failures != 0 || len(r.Suites) < 4 {
		t.Errorf("report: %d tests, %d failures, %d suites; want every scenario, passed", r.Tests, r.Failures, len(r.Suites))
	}
	for _, s := range r.Suites {
		for _, c := range s.Cases {
			if c.Status != "passed" {
				t.Errorf("%s / %s: status %q", s.Name, c.Name, c.Status)
			}
		}
	}
}

func passesLiveCheck(t *testing.T, bin string) {
	url, _, _ := startBinary(t, bin)
	t.Setenv("TCBMOCK_APPID", mocktest.SecondAppID)
	t.Setenv("TCBMOCK_SECRET", mocktest.SecondSecret)
	for k, v := range map[string]string{
		"TCBMOCK_COMPONENT_APPID": mocktest.ComponentAppID, "TCBMOCK_COMPONENT_SECRET": mocktest.ComponentSecret,
		"TCBMOCK_VERIFY_TICKET": mocktest.VerifyTicket, "TCBMOCK_AUTHORIZER_APPID": mocktest.DemoAppID,
		"TCBMOCK_REFRESH_TOKEN": mocktest.DemoRefreshToken,
	} {
		t.Setenv(k, v)
	}
	out, errOut, code := runCLI(t, "check", "--target", url, "--live")
	if code != 0 {
		t.Fatalf("check --live: exit %d\n%s\n%s", code, out, errOut)
	}
	m := regexp.MustCompile(`(\d+) scenarios \((\d+) passed, (\d+) skipped\)`).FindStringSubmatch(out)
	if m == nil || atoi(m[1]) != atoi(m[2])+atoi(m[3]) || atoi(m[2]) < 15 || !strings.Contains(out, "Scenario: The whole chain") ||
		!regexp.MustCompile(`skipped \d+ scenarios, @fake`).MatchString(errOut) || !strings.Contains(errOut, "only @live scenarios run") {
		t.Errorf("check --live said:\n%s\n%s", out, errOut)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
