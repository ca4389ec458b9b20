package mock_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
	"github.com/tcbmock/tcbmock/mock"
)

// FuzzRequest sends arbitrary requests: every answer on a WeChat path must
// be HTTP 200 JSON the spec accepts, whatever comes in.
func FuzzRequest(f *testing.F) {
	f.Add("POST", "/tcb/getenvinfo?access_token=97_"+strings.Repeat("a", 40), []byte(`{"env":"x"}`), "")
	f.Add("GET", "/tcb/getenvinfo", []byte(nil), "")
	f.Add("POST", "/tcb/getenvinfo?access_token=&access_token=x", []byte(`{"env":[1,{"a":null}]}`), "retry-then-ok; key=1")
	f.Add("POST", "/cgi-bin/stable_token", []byte(`{"grant_type":"client_credential","appid":"wxd0c0ffee00000001","secret":"d0c0ffee0000000000000000000000a1","force_refresh":true}`), "")
	f.Add("GET", "/cgi-bin/token?grant_type=client_credential&appid=wxd0c0ffee00000001&secret=d0c0ffee0000000000000000000000a1", []byte(nil), "token-system-busy")
	f.Add("PATCH", "/cgi-bin/token?appid=%ff%00", []byte("\x00\xff"), "system-busy")
	f.Add("POST", "/cgi-bin/stable_token", []byte(`{"appid":1e400,"secret":{"$ref":"#"}}`), "")
	f.Add("POST", "/__tcbmock/clock", []byte(`{"advance":"9999999h"}`), "")
	f.Add("POST", "/__tcbmock/tokens", []byte(`{"appid":"wxd0c0ffee00000001","expires_in":-1}`), "")
	s, err := mock.New()
	if err != nil {
		f.Fatal(err)
	}
	spec := s.Config().Spec()
	f.Fuzz(func(t *testing.T, method, target string, body []byte, scenario string) {
		r, err := http.NewRequestWithContext(t.Context(), method, "http://api.test"+target, strings.NewReader(string(body)))
		if err != nil || !strings.HasPrefix(r.URL.Path, "/") {
			t.Skip("not a request net/http would deliver: no method, URL or path of that form reaches a handler")
		}
		r.RequestURI = target
		r.Header.Set(mock.ScenarioHeader, scenario)
		if r.Header.Get(mock.ScenarioHeader) != scenario {
			t.Skip() // not a header value net/http would deliver
		}
		name, _, _ := strings.Cut(scenario, ";")
		if sc := s.Config().Scenario(strings.TrimSpace(name)); sc != nil && sc.DeliversAFault() {
			t.Skip() // delays and broken connections are tested on a real connection
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		resp := w.Result()
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %s: answer is not JSON: %q", method, target, w.Body.Bytes())
		}
		if strings.HasPrefix(r.URL.Path, mock.AdminPrefix) || spec.Match(r) == nil || resp.StatusCode == http.StatusBadRequest {
			return
		}
		if err := spec.ValidateResponse(t.Context(), r, resp.StatusCode, resp.Header, w.Body.Bytes()); err != nil {
			t.Fatalf("%s %s %q: answer breaks the spec: %v", method, target, body, err)
		}
	})
}

// FuzzLoad loads arbitrary scenario files: a problem is always reported as
// file:line, never a panic.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(goodApp))
	f.Add([]byte("scenarios:\n  - name: x\n    description: d\n    sequence:\n      - errcode: -1\n      - natural: true\n"))
	f.Add([]byte("scenarios:\n  - name: x\n    description: d\n    body: {errcode: 0, errmsg: ok, info_list: [{env: 1}]}\n"))
	f.Add([]byte("apps: &a\n  - *a\n"))
	f.Add([]byte("scenarios: [{name: x, description: d, operations: [], body: {1: 2}}]"))
	f.Add([]byte("\t- bad"))
	f.Add([]byte("unknown_env_errcode: 99999999999999999999\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := loadScenarios(t, string(data))
		if err == nil {
			return
		}
		var list yamlfile.List
		if !errors.As(err, &list) {
			list = yamlfile.List{err}
		}
		for _, e := range list {
			var fe *yamlfile.Error
			if !errors.As(e, &fe) || fe.File != "dir/test.yaml" {
				t.Fatalf("problem %v (%T) is not a FileError of dir/test.yaml", e, e)
			}
		}
	})
}
