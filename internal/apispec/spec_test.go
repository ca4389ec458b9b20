package apispec_test

import (
	"errors"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

func embeddedSpec(t *testing.T) string {
	t.Helper()
	data, err := fs.ReadFile(tcbmock.FS(), tcbmock.SpecFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// lineOf returns the line of text that needle, which must occur once, starts on.
func lineOf(t *testing.T, text, needle string) int {
	t.Helper()
	if n := strings.Count(text, needle); n != 1 {
		t.Fatalf("%q is in the spec %d times; want once", needle, n)
	}
	return strings.Count(text[:strings.Index(text, needle)], "\n") + 1
}

func TestEmbeddedSpecLoads(t *testing.T) {
	s, err := apispec.Load(t.Context(), "openapi.yaml", []byte(embeddedSpec(t)))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"getEnvInfo", "getAccessToken", "getStableAccessToken"} {
		if s.Operation(id) == nil {
			t.Errorf("no operation %s", id)
		}
	}
	op := s.Operation("getEnvInfo")
	for _, code := range []int{-1, 0, -1000, 40001, 40014, 40101, 41001, 42001, 43002, 40097, 44002, 45009, 47001, 48001, 61007, 85088} {
		if _, ok := op.Errcode(code); !ok {
			t.Errorf("getEnvInfo does not list errcode %d", code)
		}
	}
}

func TestLoadSpecReportsFileLine(t *testing.T) {
	spec := embeddedSpec(t)
	for _, tc := range []struct {
		name     string
		old, new string // the edit that breaks the spec
		line     string // text on the line of the broken spec that the error must name
		want     string // in the error
	}{
		{"yaml syntax", "paths:\n", "paths:\n  : :\n - x", " - x  /tcb/getenvinfo:", "did not find expected"},
		{"schema error", "          enum: [NORMAL, HALTED, UNAVAILABLE]", "          enum: NORMAL", "enum: NORMAL", "enum"},
		{"bad pattern", `pattern: "^wx[0-9a-f]{16}$"`, `pattern: "^wx[0-9a-f{16}$"`, "    AppID:", "error parsing regexp"},
		{"unknown errcode key", "          live: false\n          when: [invalid env]", "          live: false\n          wen: [invalid env]", "wen:", `unknown key "wen"`},
		{"errcode twice", "        - code: -1000\n", "        - code: -1\n", "code: -1\n          errmsg: system error\n          scenario: system-error\n          meaning: A system error.", "errcode -1 is listed twice"},
		{"row without a scenario", "          scenario: invalid-args\n", "", "code: 40097", "errcode 40097 needs a scenario name"},
		{"ok with a scenario", "        - code: 0\n          errmsg: ok\n", "        - code: 0\n          errmsg: ok\n          scenario: fine\n", "scenario: fine", "errcode 0 is no error: it has no scenario"},
		{"known outside when", "          known: {unknown token: ", "          known: {expired token: ", "known: {expired token: ", `known names "expired token", which is not a cause of errcode 40001's when`},
		{"known without a source", `known: {missing access_token: "https://developers.weixin.qq.com/doc/oplatform/openApi/cloudbase-common/env-management/api_getenvinfo.html"}`, `known: {missing access_token: " "}`, `known: {missing access_token: " "}`, `known "missing access_token" of errcode 41001 gives no evidence`},
		{"known for a value of the wrong JSON type", "          live: false\n          when: [invalid env]", "          live: false\n          when: [invalid env]\n          known: {invalid env: a page}", "known: {invalid env: a page}", `known "invalid env" of errcode 40097: the suite earns it with a value of the wrong JSON type`},
		{"a cause the suite cannot produce", "      pattern: \"^[0-9]+_[A-Za-z0-9_-]+$\"\n      minLength: 32\n", "", "when: [invalid access_token]\n        - code: 40001\n          errmsg: invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r\n          scenario: invalid-credential\n          meaning: The access_token is unknown, or a newer token retired it more than five minutes ago.\n", `cause "invalid access_token" cannot be produced: the schema of access_token takes any string`},
		{"a $ref to nothing", `$ref: "#/components/schemas/GetEnvInfoRequest"`, `$ref: "#/components/schemas/GetEnvInfoRequets"`, `GetEnvInfoRequets"`, `failed to resolve "GetEnvInfoRequets"`},
		{"a row without its code", "        - code: 43002\n          errmsg: require POST method\n", "        - errmsg: require POST method\n", "- errmsg: require POST method", "a row of x-errcodes needs its code"},
		{"an example without a required field", "                    package_name: 基础版 1\n      x-answer:\n        list: envs", "      x-answer:\n        list: envs", "              example:\n                errcode: 0\n                errmsg: ok\n                info_list:", `invalid example: doesn't match schema due to: Error at "/info_list/0/package_name": property "package_name" is missing`},
		{"a required query parameter without an example", "          example: login\n", "", "        - name: name\n", `the required query parameter "name" has no example`},
		{"an expression with an unknown name", "          resp_data: item.answer\n", "          resp_data: item.answer + bdy\n", "resp_data: item.answer + bdy", "resp_data: column 15: unknown name bdy"},
		{"an expression of the wrong type", "          resp_data: item.answer\n", "          resp_data: len(raw)\n", "resp_data: len(raw)", "resp_data: column 1: gives int, not a string"},
		{"a pick of a schema that is not there", "          items: CloudFunction\n", "          items: CloudFunctoin\n", "items: CloudFunctoin", `items "CloudFunctoin" is no object schema under components/schemas`},
		{"a computing answer whose failure is no row", "        failed: -504002\n", "        failed: -504003\n", "failed: -504003", "failed: errcode -504003 is not in invokeCloudFunction's x-errcodes"},
		{"cause twice", "when: [invalid env]", "when: [invalid env, method]", "invalid env, method", `cause "method" is already errcode 43002's`},
		{"a quota limit no row answers", "      x-quota: {minute: 10000, daily: 500000}", "      x-quota: {minute: 10000, daily: 500000, monthly: 5}", "x-quota: {minute: 10000, daily: 500000, monthly: 5}", `x-quota limits monthly quota, but no row of getStableAccessToken's x-errcodes lists the cause "monthly quota"`},
		{"a negative quota limit", "      x-quota: {daily: 2000}", "      x-quota: {daily: -1}", "x-quota: {daily: -1}", "x-quota limits are counts of calls"},
		{"a quota shared with no operation", "      x-quota: {monthly: 10, with: clearQuota}", "      x-quota: {monthly: 10, with: clearQuote}", "x-quota: {monthly: 10, with: clearQuote}", `with: "clearQuote" is no operation with an x-quota of its own, whose count clearQuotaByAppSecret could share`},
		{"a clear of no field", "      x-clear-quota: {api: cgi_path}", "      x-clear-quota: {api: path}", "x-clear-quota: {api: path}", `x-clear-quota names "path", which is no field of clearApiQuota`},
		{"an unknown access cause", "          when: [frozen account]\n          known: {frozen account:", "          when: [frozen acount]\n          known: {frozen acount:", "when: [frozen acount]", `unknown cause "frozen acount"`},
		{"a listing that takes a platform's token", "        params: [access_token]\n        kinds: [app, authorizer]", "        params: [access_token]\n        kinds: [app, component]", "        list: envs", "takes an account's tokens alone"},
		{"an authorizer token for an account's token", "        params: [component_access_token, access_token]\n        kinds: [component]", "        params: [component_access_token, access_token]\n        kinds: [component, app]", "        issue: authorizer-token", "takes a platform's token alone"},
		{"no -1", "        - code: -1\n          errmsg: system error\n          scenario: system-busy\n          meaning: The system is busy.\n          solution: The system is busy; wait and try again.\n          live: false\n        - code: -1000", "        - code: -1000",
			"        - code: 0\n          errmsg: ok\n          meaning: The call succeeded.", "must list errcode -1"}, // the table's first row
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(spec, tc.old, tc.new, 1)
			if bad == spec {
				t.Fatalf("the spec has no %q", tc.old)
			}
			_, err := apispec.Load(t.Context(), "spec.yaml", []byte(bad))
			var fe *yamlfile.Error
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v; want a FileError about %q", err, tc.want)
			}
			if want := lineOf(t, bad, tc.line); fe.Line != want {
				t.Errorf("got line %d (%v); want %d", fe.Line, err, want)
			}
		})
	}
}

func TestValidateResponseNamesFieldExpectedReceived(t *testing.T) {
	s, err := apispec.Load(t.Context(), "openapi.yaml", []byte(embeddedSpec(t)))
	if err != nil {
		t.Fatal(err)
	}
	json := http.Header{"Content-Type": {apispec.ContentType}}
	env := `{"env":"e-1","alias":"a","create_time":"2020-01-01 00:00:00","update_time":"2020-01-01 00:00:00","status":"NORMAL","package_id":"basic","package_name":"b"}`
	for _, tc := range []struct {
		name, method, path string
		status             int
		header             http.Header
		body, want         string
	}{
		{"ok", "POST", "/tcb/getenvinfo", 200, json, `{"errcode":0,"errmsg":"ok","info_list":[` + env + `]}`, ""},
		{"error ok", "GET", "/tcb/getenvinfo", 200, json, `{"errcode":43002,"errmsg":"require POST method rid: 6b0a3da2-4052d381-4b42cbf1"}`, ""},
		{"status", "GET", "/tcb/getenvinfo", 405, json, `{}`, "HTTP status: expected HTTP 200, received 405"},
		{"content type", "POST", "/tcb/getenvinfo", 200, http.Header{"Content-Type": {"text/plain"}}, `{}`, `Content-Type: expected application/json, received "text/plain"`},
		{"not json", "POST", "/tcb/getenvinfo", 200, json, `<html>`, "body: expected JSON, received <html>"},
		{"env field missing", "POST", "/tcb/getenvinfo", 200, json, `{"errcode":0,"errmsg":"ok","info_list":[` + strings.Replace(env, `"alias":"a",`, "", 1) + `]}`, "/info_list/0/alias: expected present, received absent"},
		{"time format", "POST", "/tcb/getenvinfo", 200, json, `{"errcode":0,"errmsg":"ok","info_list":[` + strings.Replace(env, `"2020-01-01 00:00:00"`, `"2020-01-01T00:00:00Z"`, 1) + `]}`, `/info_list/0/create_time: expected a string matching`},
		{"errcode a string", "POST", "/tcb/getenvinfo", 200, json, `{"errcode":"40001","errmsg":"x rid: 6b0a3da2-4052d381-4b42cbf1"}`, `/errcode: expected a value of type integer, received "40001"`},
		{"no rid", "POST", "/tcb/getenvinfo", 200, json, `{"errcode":40001,"errmsg":"invalid credential"}`, `/errmsg: expected a string matching`},
		{"token without expiry", "GET", "/cgi-bin/token", 200, json, `{"access_token":"97_` + strings.Repeat("a", 140) + `"}`, "/expires_in: expected present, received absent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := http.NewRequestWithContext(t.Context(), tc.method, tc.path, nil)
			err := s.ValidateResponse(t.Context(), r, tc.status, tc.header, []byte(tc.body))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("got %v; want valid", err)
				}
				return
			}
			var ae *apispec.AnswerError
			if !errors.As(err, &ae) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v; want an AnswerError with %q", err, tc.want)
			}
		})
	}
}

func TestRIDStartsWithTheUnixTimeInHex(t *testing.T) {
	got := apispec.RID(time.Unix(0x69db55a2, 0), 0x0123456789abcdef)
	if got != "69db55a2-01234567-89abcdef" {
		t.Errorf("got %s; want 69db55a2-01234567-89abcdef", got)
	}
	if !apispec.RIDPattern.MatchString("system error rid: " + got) {
		t.Error("RIDPattern does not match a RID")
	}
}

func TestValidateResponseRefusesAnUndeclaredRedirect(t *testing.T) {
	s, err := apispec.Load(t.Context(), "openapi.yaml", []byte(embeddedSpec(t)))
	if err != nil {
		t.Fatal(err)
	}
	for _, status := range []int{301, 304, 307, 308, 302} {
		r, _ := http.NewRequestWithContext(t.Context(), "POST", "/tcb/getenvinfo", nil)
		err := s.ValidateResponse(t.Context(), r, status, http.Header{"Location": {"http://127.0.0.1:1/"}}, nil)
		var ae *apispec.AnswerError
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), "HTTP status: expected HTTP 200, received "+strconv.Itoa(status)) {
			t.Errorf("HTTP %d: got %v; want an AnswerError naming the status", status, err)
		}
	}
}

// TestCauseTakesTheTablesOrderOverTheCallers: when several causes apply,
// the row listed first in the spec wins, whatever order the causes come in
// (kin-openapi's order of failures is not the table's).
func TestCauseTakesTheTablesOrderOverTheCallers(t *testing.T) {
	s, err := apispec.Load(t.Context(), "openapi.yaml", []byte(embeddedSpec(t)))
	if err != nil {
		t.Fatal(err)
	}
	op := s.Operation("getAccessToken") // lists "missing appid" (41002) before "missing secret" (41004)
	e, cause, ok := op.Cause("missing secret", "missing appid")
	if !ok || cause != "missing appid" || e.Code != 41002 {
		t.Errorf("got errcode %d for cause %q (%v); want 41002 for missing appid, the row listed first", e.Code, cause, ok)
	}
}

// TestGrantsAnyOfTheAPIsPermissionSets: getEnvInfo is held by permission
// sets 49 and 64; an authorization granting any one of them grants it,
// wherever that set comes in its list.
func TestGrantsAnyOfTheAPIsPermissionSets(t *testing.T) {
	s, err := apispec.Load(t.Context(), "openapi.yaml", []byte(embeddedSpec(t)))
	if err != nil {
		t.Fatal(err)
	}
	op := s.Operation("getEnvInfo")
	for _, tc := range []struct {
		granted []int
		want    bool
	}{
		{[]int{49}, true},
		{[]int{64}, true},
		{[]int{1, 64}, true},
		{[]int{1, 2}, false},
		{nil, false},
	} {
		if got := op.Grants(tc.granted); got != tc.want {
			t.Errorf("Grants(%v) = %v; want %v", tc.granted, got, tc.want)
		}
	}
}

func TestLoadSpecKeepsAnExampleErrorToItsFirstLine(t *testing.T) {
	bad := strings.Replace(embeddedSpec(t), "                    package_name: 基础版 1\n      x-answer:\n        list: envs", "      x-answer:\n        list: envs", 1)
	_, err := apispec.Load(t.Context(), "spec.yaml", []byte(bad))
	if err == nil || strings.Count(err.Error(), "\n") > 0 || strings.Contains(err.Error(), "Schema:") {
		t.Fatalf("got %q; want one line, without kin-openapi's schema dump", err)
	}
}
