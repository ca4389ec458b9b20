package mock_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock"
)

func TestEveryAnswerIsHTTP200WithTheRealContentType(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	for _, rep := range []reply{f.envs(tok, "{}"), f.envs("", "{}"), f.do("GET", "/tcb/getenvinfo", "")} {
		if rep.Status != http.StatusOK {
			t.Errorf("got HTTP %d; want 200", rep.Status)
		}
		if got := rep.Header.Get("Content-Type"); got != "application/json; encoding=utf-8" {
			t.Errorf("got Content-Type %q; want %q", got, "application/json; encoding=utf-8")
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, rep.Body); err != nil || compact.String() != string(rep.Body) {
			t.Errorf("body is not compact JSON: %s", rep.Body)
		}
	}
}

func TestGetEnvInfoListsEveryEnvOfTheApp(t *testing.T) {
	f := newFake(t)
	rep := f.envs(f.token(secondAppID, secondSecret), "{}")
	wantErrcode(t, rep, 0)
	got := decode[envReply](t, rep).InfoList
	if len(got) != 2 || got[0].Env != "prod-7g3h5j" || got[1].Env != "staging-2k4m6n" || got[1].Status != "HALTED" {
		t.Errorf("got %+v; want prod-7g3h5j and the HALTED staging-2k4m6n", got)
	}
}

func TestGetEnvInfoAnswersTheOfficialExample(t *testing.T) {
	f := newFake(t)
	rep := f.envs(f.token(demoAppID, demoSecret), "{}")
	want := `{"errcode":0,"errmsg":"ok","info_list":[{"env":"test2-4a89da","alias":"test2","create_time":"2019-04-04 14:10:28","update_time":"2019-04-04 14:10:36","status":"NORMAL","package_id":"basic","package_name":"基础版 1"}]}`
	if string(rep.Body) != want {
		t.Errorf("got %s; want %s", rep.Body, want)
	}
}

func TestGetEnvInfoFiltersOneEnv(t *testing.T) {
	f := newFake(t)
	rep := f.envs(f.token(secondAppID, secondSecret), `{"env":"staging-2k4m6n"}`)
	got := decode[envReply](t, rep).InfoList
	if len(got) != 1 || got[0].Env != "staging-2k4m6n" {
		t.Errorf("got %+v; want only staging-2k4m6n", got)
	}
}

func TestGetEnvInfoEmptyBodyOrEmptyEnvListsAll(t *testing.T) {
	f := newFake(t)
	tok := f.token(secondAppID, secondSecret)
	for _, body := range []string{"", "{}", `{"env":""}`, `{"other":1}`} {
		if got := decode[envReply](t, f.envs(tok, body)).InfoList; len(got) != 2 {
			t.Errorf("body %q: got %d envs; want 2", body, len(got))
		}
	}
}

func TestGetEnvInfoUnknownEnvIsAnEmptyList(t *testing.T) {
	f := newFake(t)
	rep := f.envs(f.token(demoAppID, demoSecret), `{"env":"nope-000000"}`)
	wantErrcode(t, rep, 0)
	if got := decode[envReply](t, rep).InfoList; got == nil || len(got) != 0 {
		t.Errorf("got %s; want an empty info_list", rep.Body)
	}
}

func TestGetEnvInfoAnswersNonPostWith43002(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	for _, m := range []string{"GET", "PUT", "DELETE", "PATCH", "OPTIONS"} {
		t.Run(m, func(t *testing.T) {
			rep := f.do(m, "/tcb/getenvinfo?access_token="+tok, "{}")
			wantErrcode(t, rep, 43002)
			if !strings.HasPrefix(rep.Errmsg, "require POST method rid: ") {
				t.Errorf("got errmsg %q", rep.Errmsg)
			}
		})
	}
}

func TestGetEnvInfoNaturalErrors(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	for _, tc := range []struct {
		name, target, body string
		header             []string
		want               int
	}{
		{"no token", "/tcb/getenvinfo", "{}", nil, 41001},
		{"empty token", "/tcb/getenvinfo?access_token=", "{}", nil, 41001},
		{"token in a header", "/tcb/getenvinfo", "{}", []string{"Authorization: Bearer " + tok, "access_token: " + tok}, 41001},
		{"token in the body", "/tcb/getenvinfo", `{"access_token":"` + tok + `"}`, nil, 41001},
		{"malformed token", "/tcb/getenvinfo?access_token=not-a-token", "{}", nil, 40014},
		{"unknown token", "/tcb/getenvinfo?access_token=97_" + strings.Repeat("A", 140), "{}", nil, 40001},
		{"body not JSON", "/tcb/getenvinfo?access_token=" + tok, "{", nil, 47001},
		{"body a list", "/tcb/getenvinfo?access_token=" + tok, "[]", nil, 47001},
		{"body a string", "/tcb/getenvinfo?access_token=" + tok, `"env"`, nil, 47001},
		{"env a number", "/tcb/getenvinfo?access_token=" + tok, `{"env":5}`, nil, 40097},
		{"env null", "/tcb/getenvinfo?access_token=" + tok, `{"env":null}`, nil, 40097},
		{"env an object", "/tcb/getenvinfo?access_token=" + tok, `{"env":{}}`, nil, 40097},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErrcode(t, f.do("POST", tc.target, tc.body, tc.header...), tc.want)
		})
	}
}

func TestGetEnvInfoReadsJSONWhateverTheContentType(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	for _, ct := range []string{"application/json;charset=utf-8", "text/plain", "application/x-www-form-urlencoded", ""} {
		rep := f.envs(tok, `{"env":"test2-4a89da"}`, "Content-Type: "+ct)
		if got := decode[envReply](t, rep); got.Errcode != 0 || len(got.InfoList) != 1 {
			t.Errorf("Content-Type %q: got %s; want the env", ct, rep.Body)
		}
	}
}

func TestGetEnvInfoBodyOver1MiBGetsTheBadBodyErrcode(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	big := `{"env":"` + strings.Repeat("a", mock.MaxBodySize) + `"}`
	wantErrcode(t, f.envs(tok, big), 47001)
	// The server goes on answering.
	wantErrcode(t, f.envs(tok, "{}"), 0)
}

func TestChecksRunMethodThenTokenThenBody(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	for _, tc := range []struct {
		name, method, target, body string
		want                       int
	}{
		{"wrong method beats a missing token and a bad body", "GET", "/tcb/getenvinfo", "{", 43002},
		{"a missing token beats a bad body", "POST", "/tcb/getenvinfo", "{", 41001},
		{"a malformed token beats a bad body", "POST", "/tcb/getenvinfo?access_token=x", `{"env":5}`, 40014},
		{"an unknown token beats a bad body", "POST", "/tcb/getenvinfo?access_token=97_" + strings.Repeat("B", 140), "{", 40001},
		{"a good token leaves the bad body", "POST", "/tcb/getenvinfo?access_token=" + tok, "{", 47001},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErrcode(t, f.do(tc.method, tc.target, tc.body), tc.want) })
	}
}

func TestRIDIsTheClockInHexAndUniquePerRequest(t *testing.T) {
	f := newFake(t)
	seen := map[string]bool{}
	for i := range 500 {
		rep := f.envs("", "{}")
		rid := apispec.RIDPattern.FindString(rep.Errmsg)
		if rid == "" {
			t.Fatalf("errmsg %q has no rid", rep.Errmsg)
		}
		rid = strings.TrimPrefix(rid, " rid: ")
		if want := fmt.Sprintf("%08x-", fixedNow.Unix()); !strings.HasPrefix(rid, want) {
			t.Fatalf("rid %s does not start with the clock's Unix time %s", rid, want)
		}
		if seen[rid] {
			t.Fatalf("rid %s repeated at request %d", rid, i)
		}
		seen[rid] = true
	}
	f.advance("1h")
	rid := strings.TrimPrefix(apispec.RIDPattern.FindString(f.envs("", "{}").Errmsg), " rid: ")
	if want := fmt.Sprintf("%08x-", fixedNow.Unix()+3600); !strings.HasPrefix(rid, want) {
		t.Errorf("after 1h, rid %s; want it to start with %s", rid, want)
	}
}

func TestUnknownPathIsA404JSONErrcode(t *testing.T) {
	f := newFake(t)
	_, resp := f.raw("GET", "/cgi-bin/nope", "")
	body, _ := io.ReadAll(resp.Body)
	var answer struct {
		Errcode *int   `json:"errcode"`
		Errmsg  string `json:"errmsg"`
	}
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != apispec.ContentType {
		t.Errorf("got HTTP %d %s; want 404 JSON", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if err := json.Unmarshal(body, &answer); err != nil || answer.Errcode == nil || *answer.Errcode != -1 ||
		!strings.HasPrefix(answer.Errmsg, "tcbmock: no API at /cgi-bin/nope rid: ") || !apispec.RIDPattern.MatchString(answer.Errmsg) {
		t.Errorf("body %s; want errcode -1 and an errmsg naming the path, with a rid", body)
	}
}

func TestDemoAppAnswersTheSpecExample(t *testing.T) {
	f := newFake(t)
	op := f.Config().Spec().Operation("getEnvInfo")
	example := op.Op.Responses.Status(http.StatusOK).Value.Content.Get("application/json").Example
	want, err := json.Marshal(example)
	if err != nil {
		t.Fatal(err)
	}
	got := f.envs(f.token(demoAppID, demoSecret), "{}").Body
	if !jsonEqual(t, got, want) {
		t.Errorf("got %s; want the spec's example %s", got, want)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(va, vb)
}

func TestRequestWithNilBodyIsAnswered(t *testing.T) {
	f := newFake(t)
	r := httptest.NewRequestWithContext(t.Context(), "GET", "/tcb/getenvinfo", nil)
	r.Body = nil // as http.NewRequest leaves it, when a Go caller serves it directly
	w := httptest.NewRecorder()
	f.ServeHTTP(w, r)
	wantErrcode(t, f.check(r, w.Result()), 43002)
}

func TestABodyThatIsNotExactlyOneJSONValueIsMalformed(t *testing.T) {
	f := newFake(t)
	tok := f.token(secondAppID, secondSecret)
	for _, body := range []string{`{"env":"prod-7g3h5j"}}`, `{"env":"prod-7g3h5j"}xyz`, `{}{}`, `{"env":"prod-7g3h5j"} {"env":"x"}`} {
		wantErrcode(t, f.envs(tok, body), 47001)
	}
	wantErrcode(t, f.envs(tok, "{\"env\":\"prod-7g3h5j\"}\n"), 0) // a newline after the value, as SDKs send, is fine
	stable := `{"grant_type":"client_credential","appid":"` + demoAppID + `","secret":"` + demoSecret + `"}`
	wantErrcode(t, f.do("POST", "/cgi-bin/stable_token", stable+"}"), 47001)
}
