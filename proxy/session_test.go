package proxy_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// creds are what a session's client knows: its apps' secrets, its
// platform's secret and ticket, the refresh tokens of its authorizations.
type creds struct {
	demoSecret, secondSecret      string
	componentSecret, verifyTicket string
	demoRefresh, secondRefresh    string
	componentAppID, unknownAppID  string
	demoAppID, secondAppID        string
}

// realCreds are the default world's.
func realCreds() creds {
	return creds{
		demoAppID: demoAppID, demoSecret: demoSecret, secondAppID: secondAppID, secondSecret: secondSecret,
		componentAppID: mocktest.ComponentAppID, componentSecret: mocktest.ComponentSecret, verifyTicket: mocktest.VerifyTicket,
		demoRefresh: mocktest.DemoRefreshToken, secondRefresh: mocktest.SecondRefreshToken, unknownAppID: "wx00000000000000ff",
	}
}

// session is what a client does: tokens of both kinds, listings whole and
// by id, the errors a client earns, a forced one, the third-party chain.
// It returns each answer, normalized: tokens and rids are the server's
// own, the rest is what it answered. tokens gets each token it received.
func session(t *testing.T, base string, c creds, tokens *[]string) []string {
	t.Helper()
	var seen []string
	call := func(method, target, body string, header ...string) map[string]any {
		t.Helper()
		rep := do(t, base, method, target, body, header...)
		var obj, shown map[string]any
		_ = json.Unmarshal(rep.Body, &obj)
		_ = json.Unmarshal(rep.Body, &shown)
		seen = append(seen, fmt.Sprintf("%s %s -> HTTP %d %s", method, strings.Split(target, "?")[0], rep.Status, normalize(shown, tokens)))
		return obj
	}
	str := func(obj map[string]any, key string) string { s, _ := obj[key].(string); return s }
	stable := `{"grant_type":"client_credential","appid":"%s","secret":"%s"}`
	a := str(call("POST", "/cgi-bin/stable_token", fmt.Sprintf(stable, c.demoAppID, c.demoSecret)), "access_token")
	b := str(call("GET", "/cgi-bin/token?grant_type=client_credential&appid="+c.secondAppID+"&secret="+c.secondSecret, ""), "access_token")
	call("POST", "/tcb/getenvinfo?access_token="+a, "{}")
	call("POST", "/tcb/getenvinfo?access_token="+b, "{}")
	call("POST", "/tcb/getenvinfo?access_token="+b, `{"env":"prod-7g3h5j"}`)
	call("POST", "/tcb/getenvinfo?access_token="+b, `{"env":"no-such-env-0000"}`)
	call("GET", "/tcb/getenvinfo?access_token="+a, "")
	call("POST", "/tcb/getenvinfo", "{}")
	call("POST", "/tcb/getenvinfo?access_token=97_"+strings.Repeat("u", 60), "{}")
	call("POST", "/tcb/getenvinfo?access_token="+a, "{")
	call("POST", "/tcb/getenvinfo?access_token="+a, "{}", mock.ScenarioHeader+": system-busy")
	call("POST", "/cgi-bin/stable_token", fmt.Sprintf(stable, c.demoAppID, strings.Repeat("0", 32)))
	call("POST", "/cgi-bin/stable_token", fmt.Sprintf(stable, c.unknownAppID, strings.Repeat("0", 32)))
	ct := str(call("POST", "/cgi-bin/component/api_component_token", fmt.Sprintf(
		`{"component_appid":"%s","component_appsecret":"%s","component_verify_ticket":"%s"}`, c.componentAppID, c.componentSecret, c.verifyTicket)), "component_access_token")
	authorizer := `{"component_appid":"%s","authorizer_appid":"%s","authorizer_refresh_token":"%s"}`
	at := str(call("POST", "/cgi-bin/component/api_authorizer_token?component_access_token="+ct, fmt.Sprintf(authorizer, c.componentAppID, c.demoAppID, c.demoRefresh)), "authorizer_access_token")
	call("POST", "/tcb/getenvinfo?access_token="+at, "{}")
	at2 := str(call("POST", "/cgi-bin/component/api_authorizer_token?component_access_token="+ct, fmt.Sprintf(authorizer, c.componentAppID, c.secondAppID, c.secondRefresh)), "authorizer_access_token")
	call("POST", "/tcb/getenvinfo?access_token="+at2, "{}")
	return seen
}

// normalize writes an answer with its tokens as TOKEN and its errmsg
// without the rid, noting each token in tokens.
func normalize(obj map[string]any, tokens *[]string) string {
	for _, k := range []string{"access_token", "component_access_token", "authorizer_access_token", "authorizer_refresh_token"} {
		if v, ok := obj[k].(string); ok {
			*tokens = append(*tokens, v)
			obj[k] = "TOKEN"
		}
	}
	if errmsg, ok := obj["errmsg"].(string); ok {
		obj["errmsg"] = apispec.RIDPattern.ReplaceAllString(errmsg, " rid: RID")
	}
	b, _ := json.Marshal(obj)
	return string(b)
}
