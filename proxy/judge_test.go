package proxy_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/proxy"
)

// noRIDHeader asks withoutRID to drop the rid of the answer.
const noRIDHeader = "X-Test-No-Rid"

// withoutRID answers as h, without the rid when the request asks so.
func withoutRID(h http.Handler) http.Handler {
	rid := regexp.MustCompile(` rid: [0-9a-f-]+`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if r.Header.Get(noRIDHeader) != "" {
			body = rid.ReplaceAll(body, nil)
		}
		w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// recorded reads every file of a recording.
func recorded(t *testing.T, dir string) string {
	t.Helper()
	var all strings.Builder
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(data)
	}
	return all.String()
}

// TestTheProxyJudgesAnErrmsgAsCheckDoes: an errmsg other than a text the
// spec knows is a violation, left out of the recording; other than a text
// the spec chose, an observation, recorded; an error without its rid a
// violation, left out.
func TestTheProxyJudgesAnErrmsgAsCheckDoes(t *testing.T) {
	dir := t.TempDir()
	s := newSetup(t, func(h http.Handler) http.Handler { return withoutRID(withErrmsg(h)) }, proxy.WithRecording(dir))
	tok := token(t, s.srv.URL, demoAppID, demoSecret)

	known := do(t, s.srv.URL, "POST", "/tcb/getenvinfo", "{}", errmsgHeader+": access_token absent")
	if got := known.Header.Get(proxy.ViolationsHeader); !strings.Contains(got, `/errmsg: expected "access_token missing", then the rid, received "access_token absent rid: `) {
		t.Errorf("41001 with another text: violations %q; want the errmsg named", got)
	}
	chosen := do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+tok, "{}", mock.ScenarioHeader+": invalid-credential", errmsgHeader+": invalid credential, in other words")
	if got := chosen.Header.Get(proxy.ViolationsHeader); got != "" || !strings.Contains(chosen.Header.Get(proxy.ObservationsHeader), "in other words") {
		t.Errorf("40001 with another text: violations %q, observations %q; want none and one", got, chosen.Header.Get(proxy.ObservationsHeader))
	}
	noRID := do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+tok, "{}", mock.ScenarioHeader+": system-busy", noRIDHeader+": 1")
	if got := noRID.Header.Get(proxy.ViolationsHeader); !strings.Contains(got, "rid") {
		t.Errorf("-1 without a rid: violations %q; want the rid named", got)
	}
	if err := s.proxy.Flush(); err != nil {
		t.Fatal(err)
	}
	rec := recorded(t, dir)
	if !strings.Contains(rec, "in other words") {
		t.Errorf("the recording lacks the observed 40001:\n%s", rec)
	}
	for _, flagged := range []string{"access_token absent", "minus1"} {
		if strings.Contains(rec, flagged) {
			t.Errorf("the recording holds the flagged answer %q:\n%s", flagged, rec)
		}
	}
}
