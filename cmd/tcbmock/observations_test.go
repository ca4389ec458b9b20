package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
)

// choosingOtherwise is production as the fake sees it, but for a choice
// made otherwise: it answers -1 where the fake chose 47001 (no page says
// what getenvinfo or stable_token answer to a body that is not JSON). It
// remembers every token it issued.
func choosingOtherwise(t *testing.T) (http.Handler, func() []string) {
	t.Helper()
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	h := testkit.WithoutAdmin(m)
	var mu sync.Mutex
	var tokens []string
	tokenRe := regexp.MustCompile(`"(?:access_token|component_access_token|authorizer_access_token)":"([^"]+)"`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			body := strings.Replace(rec.Body.String(), `"errcode":47001,"errmsg":"data format error`, `"errcode":-1,"errmsg":"system error`, 1)
			mu.Lock()
			for _, m := range tokenRe.FindAllStringSubmatch(body, -1) {
				tokens = append(tokens, m[1])
			}
			mu.Unlock()
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			_, _ = w.Write([]byte(body))
		}), func() []string {
			mu.Lock()
			defer mu.Unlock()
			return append([]string(nil), tokens...)
		}
}

func TestCheckWritesObservationsWithoutACredential(t *testing.T) {
	clearCredentials(t)
	h, issued := choosingOtherwise(t)
	url := serve(t, h)
	file := filepath.Join(t.TempDir(), "observations.json")
	out, errOut, code := runCLI(t, "check", "--target", url, "--appid", demoAppID, "--secret", demoSecret, "--observations", file)
	if code != 0 {
		t.Fatalf("exit %d; want 0: a choice made otherwise is no deviation\n%s\n%s", code, errOut, out)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Observations []contract.Observation }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range doc.Observations {
		found = found || o.Row == 47001 && o.Fake.Errcode == 47001 && o.Target.Errcode == -1 && o.Request.Path != ""
	}
	t.Logf("observations file:\n%s\nreport:\n%s\nstderr:\n%s", data, out[max(0, strings.Index(out, "--- Observations:")):], errOut)
	if !found {
		t.Errorf("observations %s; want 47001 answered -1, with its request", data)
	}
	if !strings.Contains(out, "--- Observations:") || !strings.Contains(errOut, "observations: the target answered otherwise") {
		t.Errorf("the report or the summary does not name the observations:\n%s\n%s", out, errOut)
	}
	tokens := issued()
	if len(tokens) == 0 {
		t.Fatal("no token issued: the test proves nothing")
	}
	for _, secret := range append(tokens, demoSecret) {
		if strings.Contains(string(data), secret) {
			t.Errorf("the observations file carries the credential %.12s…", secret)
		}
	}
}

func TestCheckLiveAgainstAFakeDoesNotCallItProduction(t *testing.T) {
	clearCredentials(t)
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	_, errOut, _ := runCLI(t, "check", "--target", serve(t, m), "--live", "--appid", demoAppID, "--secret", demoSecret)
	if strings.Contains(errOut, "is production") || !strings.Contains(errOut, "is treated as production (--live)") {
		t.Errorf("stderr %q; want it treated as production because of --live, not called production", errOut)
	}
}

// TestCheckLiveSaysWhatPassedOnTheShapeAlone: treated as production, the
// fake's world is unknown to the suite; stderr counts the scenarios whose
// pass says nothing of the answer's content. Against it as a fake, none.
func TestCheckLiveSaysWhatPassedOnTheShapeAlone(t *testing.T) {
	clearCredentials(t)
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, m)
	_, errOut, _ := runCLI(t, "check", "--target", url, "--live", "--appid", demoAppID, "--secret", demoSecret, "--tags", "@live,@derived")
	if !strings.Contains(errOut, "tcbmock check: 2 of the passed scenarios checked an answer's shape alone (shape only)") {
		t.Errorf("stderr %q; want the two scenarios that passed on the shape alone counted", errOut)
	}
	_, errOut, _ = runCLI(t, "check", "--target", url, "--tags", "@live,@derived")
	if strings.Contains(errOut, "shape only") {
		t.Errorf("stderr %q; want no shape only against a fake", errOut)
	}
}
