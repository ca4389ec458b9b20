package contract_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/mock"
)

// deviant serves the fake's answers, changed by change: a deliberately wrong server.
func deviant(t *testing.T, change func(r *http.Request, w *httptest.ResponseRecorder)) http.Handler {
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		if !strings.HasPrefix(r.URL.Path, contract.AdminPrefix) {
			change(r, rec)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(rec.Body.Len()))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// replace rewrites the body of the answers to path.
func replace(path string, re *regexp.Regexp, with string) func(*http.Request, *httptest.ResponseRecorder) {
	return func(r *http.Request, w *httptest.ResponseRecorder) {
		if r.URL.Path == path {
			body := re.ReplaceAll(w.Body.Bytes(), []byte(with))
			w.Body = bytes.NewBuffer(body)
		}
	}
}

var errcodeRe = regexp.MustCompile(`"errcode":(-?[1-9][0-9]*)`)

func TestSuiteCatchesDeviations(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*http.Request, *httptest.ResponseRecorder)
		want   string
	}{
		{"non-POST answered with HTTP 405", func(r *http.Request, w *httptest.ResponseRecorder) {
			if r.URL.Path == "/tcb/getenvinfo" && r.Method != http.MethodPost {
				w.Code = http.StatusMethodNotAllowed
			}
		}, "HTTP status: expected HTTP 200, received 405"},
		{"a wrong errcode for a missing token", replace("/tcb/getenvinfo", regexp.MustCompile(`"errcode":41001,"errmsg":"access_token missing`), `"errcode":40001,"errmsg":"invalid credential`), "errcode: expected 41001, received 40001"},
		{"a bad token answered with errcode 0", replace("/tcb/getenvinfo", regexp.MustCompile(`\{"errcode":40001,.*\}`), `{"errcode":0,"errmsg":"ok","info_list":[]}`), "errcode: expected 40001, received 0"},
		{"an env field missing", replace("/tcb/getenvinfo", regexp.MustCompile(`"alias":"[^"]*",`), ""), "/info_list/0/alias: expected present, received absent"},
		{"a time in the wrong format", replace("/tcb/getenvinfo", regexp.MustCompile(`"create_time":"(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)"`), `"create_time":"${1}T${2}+08:00"`), "/info_list/0/create_time: expected a string matching"},
		{"errcode as a string", replace("/tcb/getenvinfo", errcodeRe, `"errcode":"$1"`), "/errcode: expected a value of type integer, received \""},
		{"an ignored env filter", func(r *http.Request, w *httptest.ResponseRecorder) {}, "info_list: expected only the environment"},
		{"a non-JSON Content-Type", func(r *http.Request, w *httptest.ResponseRecorder) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		}, `Content-Type: expected application/json, received "text/plain; charset=utf-8"`},
		{"HTTP 500 on an error", func(r *http.Request, w *httptest.ResponseRecorder) {
			if errcodeRe.Match(w.Body.Bytes()) {
				w.Code = http.StatusInternalServerError
			}
		}, "HTTP status: expected HTTP 200, received 500"},
		{"an errcode outside the table", replace("/tcb/getenvinfo", regexp.MustCompile(`"errcode":41001`), `"errcode":41999`), "errcode: expected one of getEnvInfo's x-errcodes, received 41999"},
		{"an errmsg without the rid", replace("/tcb/getenvinfo", regexp.MustCompile(` rid: [0-9a-f-]+`), ""), "/errmsg: expected a string matching"},
	} {
		for _, live := range []bool{false, true} {
			name := tc.name
			if live {
				name += " (live)"
			}
			t.Run(name, func(t *testing.T) {
				h := deviant(t, tc.change)
				if tc.name == "an ignored env filter" {
					h = ignoreEnv(h)
				}
				out, res := runAgainst(t, h, live)
				if res.Passed {
					t.Fatalf("the suite passed a server with %s\n%s", tc.name, out)
				}
				if !strings.Contains(out, tc.want) {
					t.Errorf("the report does not say %q:\n%s", tc.want, out)
				}
			})
		}
	}
}

// ignoreEnv drops the env filter from getenvinfo requests.
func ignoreEnv(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/tcb/getenvinfo" && r.Body != nil {
			body, _ := io.ReadAll(r.Body)
			if bytes.Contains(body, []byte(`"env":"`)) {
				body = []byte("{}")
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		h.ServeHTTP(w, r)
	})
}

// runAgainst runs the suite against h: as a fake, or as production (no admin
// API, the second app's credentials).
func runAgainst(t *testing.T, h http.Handler, live bool) (string, *contract.Result) {
	t.Helper()
	creds := contract.Credentials{}
	if live {
		h = withoutAdmin(h)
		creds = contract.Credentials{AppID: "wxd0c0ffee00000002", Secret: "d0c0ffee0000000000000000000000a2"}
	}
	target, err := contract.HandlerTarget(t.Context(), h, creds)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out, Format: "pretty"})
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), res
}
