package proxy_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/drift"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
	"github.com/tcbmock/tcbmock/proxy"
)

// recordedFile is the part of a recording the tests read.
type recordedFile struct {
	Apps []struct {
		AppID  string           `yaml:"appid"`
		Secret string           `yaml:"secret"`
		Envs   []map[string]any `yaml:"envs"`
	} `yaml:"apps"`
	Components []mock.Component `yaml:"components"`
	Scenarios  []struct {
		Name string `yaml:"name"`
	} `yaml:"scenarios"`
}

func readRecording(t *testing.T, dir string) (recordedFile, string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, proxy.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	var f recordedFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		t.Fatalf("the recording is not YAML: %v\n%s", err, data)
	}
	return f, string(data)
}

// withRegion adds a field the spec does not have to each env a listing answers.
func withRegion(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Test-Region") == "" {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := strings.ReplaceAll(rec.Body.String(), `"env":"`, `"region":"ap-shanghai","env":"`)
		w.Header().Set("Content-Type", apispec.ContentType)
		_, _ = w.Write([]byte(body))
	})
}

func TestARecordingLeavesOutWhatItCannotReplay(t *testing.T) {
	dir := t.TempDir()
	s := newSetup(t, func(h http.Handler) http.Handler { return withRegion(drift.Handler(h)) }, proxy.WithRecording(dir))
	tok := token(t, s.srv.URL, demoAppID, demoSecret)
	do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+tok, "{}")
	direct := token(t, s.upstream.URL, secondAppID, secondSecret) // not seen issued by the proxy
	for range 2 {
		do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+tok, "{}", drift.Header+": missing-field")
		do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+tok, "{}", drift.Header+": errcode-outside-table")
		do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+tok, "{}", "X-Test-Region: 1")
		do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+direct, "{}")
	}
	if err := s.proxy.Flush(); err != nil {
		t.Fatal(err)
	}
	f, text := readRecording(t, dir)
	if len(f.Apps) != 1 || f.Apps[0].AppID != demoAppID || len(f.Apps[0].Envs) != 1 || f.Apps[0].Envs[0]["alias"] != "test2" {
		t.Errorf("apps %+v; want the demo app alone, its env whole", f.Apps)
	}
	for _, absent := range []string{"region", "99999", secondAppID} {
		if strings.Contains(text, absent) {
			t.Errorf("the recording holds %q:\n%s", absent, text)
		}
	}
	for _, said := range []string{
		"recording: an answer that breaks the spec is not recorded",
		"recording: an errcode outside the operation's x-errcodes is not recorded",
		"recording: a field the spec does not have is not recorded",
		"recording: a listing for a token the proxy did not see issued is not recorded",
	} {
		if strings.Count(s.log.String(), said) != 1 {
			t.Errorf("the log says %q %d times; want once:\n%s", said, strings.Count(s.log.String(), said), s.log.String())
		}
	}
}

func TestARecordingSaysWhichPermissionSetsEachAuthorizationShowed(t *testing.T) {
	dir := t.TempDir()
	s := newSetup(t, nil, proxy.WithRecording(dir))
	var tokens []string
	session(t, s.srv.URL, realCreds(), &tokens)
	if err := s.proxy.Flush(); err != nil {
		t.Fatal(err)
	}
	f, text := readRecording(t, dir)
	if len(f.Components) != 1 {
		t.Fatalf("components %+v; want the platform", f.Components)
	}
	c := f.Components[0]
	if got := fmt.Sprint(c.Authorization(demoAppID).PermissionSets, c.Authorization(secondAppID).PermissionSets); got != "[49] []" {
		t.Errorf("permission sets %s; want [49] for the app whose listing answered, [] for the one that answered 61007", got)
	}
	if strings.Contains(text, "add them") {
		t.Errorf("the recording asks for permission sets a listing showed:\n%s", text)
	}
	// An authorization whose token no listing used says so.
	dir2 := t.TempDir()
	s2 := newSetup(t, nil, proxy.WithRecording(dir2))
	ct := do(t, s2.srv.URL, "POST", "/cgi-bin/component/api_component_token", `{"component_appid":"`+mocktest.ComponentAppID+
		`","component_appsecret":"`+mocktest.ComponentSecret+`","component_verify_ticket":"`+mocktest.VerifyTicket+`"}`)
	var comp struct {
		Token string `json:"component_access_token"`
	}
	_ = json.Unmarshal(ct.Body, &comp)
	do(t, s2.srv.URL, "POST", "/cgi-bin/component/api_authorizer_token?component_access_token="+comp.Token,
		`{"component_appid":"`+mocktest.ComponentAppID+`","authorizer_appid":"`+demoAppID+`","authorizer_refresh_token":"`+mocktest.DemoRefreshToken+`"}`)
	if err := s2.proxy.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, text := readRecording(t, dir2); !strings.Contains(text, "# No listing showed which permission sets it granted: add them.") {
		t.Errorf("the recording of an authorization no listing used:\n%s\nwant a comment asking for its permission sets", text)
	}
}

func TestTwoRecordingsGiveTheSameStandIns(t *testing.T) {
	var secrets [2]string
	for i := range secrets {
		dir := t.TempDir()
		s := newSetup(t, nil, proxy.WithRecording(dir))
		token(t, s.srv.URL, demoAppID, demoSecret)
		if err := s.proxy.Flush(); err != nil {
			t.Fatal(err)
		}
		f, _ := readRecording(t, dir)
		if len(f.Apps) != 1 {
			t.Fatalf("apps %+v; want the demo app", f.Apps)
		}
		secrets[i] = f.Apps[0].Secret
	}
	if secrets[0] != secrets[1] || secrets[0] == demoSecret || len(secrets[0]) != 32 {
		t.Errorf("stand-in secrets %q; want the same 32 hex digits twice, not the real one", secrets)
	}
}

func TestFlushReportsARecordingThatDoesNotLoad(t *testing.T) {
	data, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// A spec whose secrets all start d0c0ffee, as the demo world's do: the stand-ins do not.
	spec := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(spec, []byte(strings.Replace(string(data), `pattern: "^[0-9a-f]{32}$"`, `pattern: "^d0c0ffee[0-9a-f]{24}$"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := newSetup(t, nil, proxy.WithRecording(dir), proxy.WithSpec(mock.File{FS: os.DirFS(filepath.Dir(spec)), Path: "openapi.yaml", Name: spec}))
	token(t, s.srv.URL, demoAppID, demoSecret)
	err = s.proxy.Flush()
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, proxy.RecordFile)+":") || !strings.Contains(err.Error(), "does not fit the spec") {
		t.Errorf("got %v; want the recording's file:line and why", err)
	}
}

// halting answers as h, every env HALTED when the request says X-Test-Halted.
func halting(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Test-Halted") == "" {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		w.Header().Set("Content-Type", apispec.ContentType)
		_, _ = w.Write([]byte(strings.ReplaceAll(rec.Body.String(), `"NORMAL"`, `"HALTED"`)))
	})
}

func TestAListingByIDUpdatesThatEnvAndKeepsTheOthers(t *testing.T) {
	dir := t.TempDir()
	s := newSetup(t, halting, proxy.WithRecording(dir))
	tok := token(t, s.srv.URL, secondAppID, secondSecret)
	do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+tok, "{}")
	do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+tok, `{"env":"prod-7g3h5j"}`, "X-Test-Halted: 1")
	if err := s.proxy.Flush(); err != nil {
		t.Fatal(err)
	}
	f, _ := readRecording(t, dir)
	var got []string
	for _, e := range f.Apps[0].Envs {
		got = append(got, fmt.Sprint(e["env"], " ", e["status"]))
	}
	if want := "[prod-7g3h5j HALTED staging-2k4m6n HALTED]"; fmt.Sprint(got) != want {
		t.Errorf("envs %v; want %s: prod as its listing by id said, staging as before", got, want)
	}
}

func TestFlushWritesOnlyWhenSomethingNewWasRecorded(t *testing.T) {
	dir := t.TempDir()
	s := newSetup(t, nil, proxy.WithRecording(dir))
	file := filepath.Join(dir, proxy.RecordFile)
	if err := s.proxy.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("nothing recorded yet: got %v; want no file", err)
	}
	token(t, s.srv.URL, demoAppID, demoSecret)
	if err := s.proxy.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := s.proxy.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("nothing new: got %v; want the file left as it was, here removed", err)
	}
	do(t, s.srv.URL, "GET", "/tcb/getenvinfo", "")
	if err := s.proxy.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("something new: %v; want the file written", err)
	}
}
