package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var getenvinfo = cases[0] // measures errcode 0

func TestCheckAnswerRefusesWhatTheCaseDoesNotMeasure(t *testing.T) {
	for _, tc := range []struct {
		name    string
		errcode int // of the case
		status  int
		body    string
		ok      bool
	}{
		{"ok", 0, 200, `{"errcode":0,"errmsg":"ok","info_list":[]}`, true},
		{"token answer", 0, 200, `{"access_token":"97_x","expires_in":7200}`, true},
		{"errcode measured", 40001, 200, `{"errcode":40001,"errmsg":"invalid credential rid: x"}`, true},
		{"HTTP 500", 0, 500, `{"errcode":0,"errmsg":"ok"}`, false},
		{"errcode 41001", 0, 200, `{"errcode":41001,"errmsg":"access_token missing rid: x"}`, false},
		{"ok for 40001", 40001, 200, `{"errcode":0,"errmsg":"ok","info_list":[]}`, false},
		{"errcode a string", 0, 200, `{"errcode":"0"}`, false},
		{"not JSON", 0, 200, `<html>`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := benchCase{errcode: tc.errcode}.checkAnswer(tc.status, []byte(tc.body))
			if (err == nil) != tc.ok {
				t.Errorf("got %v; want ok %v", err, tc.ok)
			}
		})
	}
}

func TestCheckRefusesALoadWithAnyAnswerNotGood(t *testing.T) {
	for _, tc := range []struct {
		name string
		load loadResult
		want string // in the error; "" for none
	}{
		{"all good", loadResult{Requests: 10, Good: 10}, ""},
		{"no answer", loadResult{}, "no answer"},
		{"HTTP 500", loadResult{Requests: 10, Good: 9, Statuses: map[int]int64{500: 1}, FirstBad: "HTTP 500 boom"}, "1 of 10 answers were not HTTP 2xx with errcode 0 (not 2xx, by status: map[500:1]"},
		{"errcode 41001", loadResult{Requests: 10, Errcodes: map[string]int64{"41001": 10}}, "10 of 10 answers were not HTTP 2xx with errcode 0 (not 2xx, by status: map[]; other errcodes: map[41001:10])"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := getenvinfo.check(tc.load)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("got %v; want %q", err, tc.want)
			}
		})
	}
}

// answering starts a server that answers every request with status and body.
func answering(t *testing.T, status int, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestSampleRefusesAnAnswerTheCaseDoesNotMeasure(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
	}{
		{"HTTP 500", `{"errcode":0,"errmsg":"ok"}`, 500},
		{"errcode 41001", `{"errcode":41001,"errmsg":"access_token missing rid: x"}`, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "answer")
			if _, err := sample(getenvinfo, answering(t, tc.status, tc.body)+"/tcb/getenvinfo", file); err == nil || !strings.Contains(err.Error(), "want") {
				t.Errorf("got %v; want the answer refused", err)
			}
			if _, err := os.Stat(file); !os.IsNotExist(err) {
				t.Errorf("the refused answer was kept for the bare server: %v", err)
			}
		})
	}
}

func TestSampleKeepsAGoodAnswer(t *testing.T) {
	file := filepath.Join(t.TempDir(), "answer")
	body := `{"errcode":0,"errmsg":"ok","info_list":[]}`
	if _, err := sample(getenvinfo, answering(t, 200, body)+"/tcb/getenvinfo", file); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(file); err != nil || string(got) != body {
		t.Errorf("kept %q, %v; want %s", got, err, body)
	}
}

func TestMintTokenRefusesAnErrorAnswer(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
	}{
		{"HTTP 500", `{"access_token":"97_x","expires_in":86400}`, 500},
		{"no token", `{"errcode":40013,"errmsg":"invalid appid"}`, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tok, err := mintToken(answering(t, tc.status, tc.body)); err == nil {
				t.Errorf("got token %q; want an error", tok)
			}
		})
	}
}

// TestMeasureRefusesACaseWhoseAnswersAreNotItsErrcode runs the bench's
// programs: the bare server answering errcode 41001 makes the getenvinfo
// case an error, not a row.
func TestMeasureRefusesACaseWhoseAnswersAreNotItsErrcode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the bare server and the load generator")
	}
	dir := t.TempDir()
	if err := build(dir, map[string]string{"bare": "./bare", "load": "./load"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, body, want string // want in the error; "" for none
	}{
		{"errcode 0", `{"errcode":0,"errmsg":"ok","info_list":[]}`, ""},
		{"errcode 41001", `{"errcode":41001,"errmsg":"access_token missing rid: x"}`, "50 of 50 answers were not HTTP 2xx with errcode 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "answer")
			if err := os.WriteFile(file, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := measure(pinning{server: "any", load: "any"}, getenvinfo, dir, 2, 10*time.Second, 50, false, filepath.Join(dir, "bare"), "-body", file)
			switch {
			case tc.want == "" && (err != nil || m.row.load.Good != 50):
				t.Errorf("got %+v, %v; want 50 good answers", m.row.load, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v; want %q", err, tc.want)
			}
		})
	}
}
