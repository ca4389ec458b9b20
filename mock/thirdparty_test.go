package mock_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// The default world's third-party platform and its authorizations.
const (
	componentAppID  = mocktest.ComponentAppID
	componentSecret = mocktest.ComponentSecret
	verifyTicket    = mocktest.VerifyTicket
	demoRefresh     = mocktest.DemoRefreshToken
	secondRefresh   = mocktest.SecondRefreshToken
)

var componentBody = `{"component_appid":"` + componentAppID + `","component_appsecret":"` + componentSecret + `","component_verify_ticket":"` + verifyTicket + `"}`

// componentToken gets the platform's component token.
func (f *fake) componentToken() string {
	f.t.Helper()
	var tok struct {
		ComponentAccessToken string `json:"component_access_token"`
		ExpiresIn            int    `json:"expires_in"`
	}
	rep := f.do("POST", "/cgi-bin/component/api_component_token", componentBody)
	if err := json.Unmarshal(rep.Body, &tok); err != nil || tok.ComponentAccessToken == "" || tok.ExpiresIn != 7200 {
		f.t.Fatalf("component token: %s", rep.Body)
	}
	return tok.ComponentAccessToken
}

// authorizerToken asks for an authorizer token, passing the component token as param.
func (f *fake) authorizerToken(param, componentToken, appid, refresh string, header ...string) reply {
	f.t.Helper()
	body, _ := json.Marshal(map[string]string{"component_appid": componentAppID, "authorizer_appid": appid, "authorizer_refresh_token": refresh})
	return f.do("POST", "/cgi-bin/component/api_authorizer_token?"+param+"="+componentToken, string(body), header...)
}

type authorizerReply struct {
	AuthorizerAccessToken  string `json:"authorizer_access_token"`
	ExpiresIn              int    `json:"expires_in"`
	AuthorizerRefreshToken string `json:"authorizer_refresh_token"`
}

func TestThirdPartyChainListsTheAuthorizersEnvs(t *testing.T) {
	f := newFake(t)
	for _, param := range []string{"component_access_token", "access_token"} {
		rep := f.authorizerToken(param, f.componentToken(), demoAppID, demoRefresh)
		got := decode[authorizerReply](t, rep)
		if got.AuthorizerAccessToken == "" || got.ExpiresIn != 7200 || got.AuthorizerRefreshToken != demoRefresh {
			t.Fatalf("?%s=: got %s", param, rep.Body)
		}
		envs := decode[envReply](t, f.envs(got.AuthorizerAccessToken, "{}"))
		if envs.Errcode != 0 || len(envs.InfoList) != 1 || envs.InfoList[0].Env != "test2-4a89da" {
			t.Errorf("getenvinfo with the authorizer token: %+v", envs)
		}
	}
	if e := f.Journal(mock.Filter{}); e[len(e)-1].Component != componentAppID || e[len(e)-1].AppID != demoAppID {
		t.Errorf("journal entry %+v; want the component and the authorizer appid", e[len(e)-1])
	}
}

func TestAuthorizationWithoutTheAPIsPermissionSetGets61007(t *testing.T) {
	f := newFake(t)
	tok := decode[authorizerReply](t, f.authorizerToken("component_access_token", f.componentToken(), secondAppID, secondRefresh)).AuthorizerAccessToken
	wantErrcode(t, f.envs(tok, "{}"), 61007)
}

func TestAccountThatDidNotAuthorizeThePlatformGets61003(t *testing.T) {
	f := newFake(t)
	wantErrcode(t, f.authorizerToken("component_access_token", f.componentToken(), flakyAppID, demoRefresh), 61003)
	wantErrcode(t, f.authorizerToken("component_access_token", f.componentToken(), "wx0000000000000000", demoRefresh), 61003)
}

// TestComponentTokenOnGetEnvInfoGets48001: the third-party troubleshooting
// page and a captured answer say 48001 api unauthorized, not 40001, which
// SDKs take as "refresh the token and retry".
func TestComponentTokenOnGetEnvInfoGets48001(t *testing.T) {
	f := newFake(t)
	wantErrcode(t, f.envs(f.componentToken(), "{}"), 48001)
}

func TestAppTokenIsNoComponentToken(t *testing.T) {
	f := newFake(t)
	wantErrcode(t, f.authorizerToken("component_access_token", f.token(demoAppID, demoSecret), demoAppID, demoRefresh), 61014)
	authorizer := decode[authorizerReply](t, f.authorizerToken("component_access_token", f.componentToken(), demoAppID, demoRefresh)).AuthorizerAccessToken
	wantErrcode(t, f.authorizerToken("access_token", authorizer, demoAppID, demoRefresh), 61014)
}

func TestComponentTokenErrors(t *testing.T) {
	f := newFake(t)
	for _, tc := range []struct {
		name, body string
		want       int
	}{
		{"no component_appid", `{"component_appsecret":"` + componentSecret + `","component_verify_ticket":"x"}`, 41018},
		{"malformed component_appid", `{"component_appid":"c1","component_appsecret":"` + componentSecret + `","component_verify_ticket":"x"}`, 61011},
		{"unknown component", `{"component_appid":"wx0000000000000000","component_appsecret":"` + componentSecret + `","component_verify_ticket":"x"}`, 61011},
		{"no secret", `{"component_appid":"` + componentAppID + `","component_verify_ticket":"x"}`, 41004},
		{"wrong secret", `{"component_appid":"` + componentAppID + `","component_appsecret":"` + demoSecret + `","component_verify_ticket":"` + verifyTicket + `"}`, 40125},
		{"no ticket", `{"component_appid":"` + componentAppID + `","component_appsecret":"` + componentSecret + `"}`, 61006},
		{"wrong ticket", `{"component_appid":"` + componentAppID + `","component_appsecret":"` + componentSecret + `","component_verify_ticket":"ticket@@@old"}`, 61006},
		{"empty body", ``, 44002},
		{"not JSON", `{`, 47001},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErrcode(t, f.do("POST", "/cgi-bin/component/api_component_token", tc.body), tc.want)
		})
	}
	wantErrcode(t, f.do("GET", "/cgi-bin/component/api_component_token", ""), 43002)
}

func TestAuthorizerTokenErrors(t *testing.T) {
	f := newFake(t)
	comp := f.componentToken()
	post := func(query, body string) reply {
		return f.do("POST", "/cgi-bin/component/api_authorizer_token"+query, body)
	}
	body := func(component, appid, refresh string) string {
		b, _ := json.Marshal(map[string]string{"component_appid": component, "authorizer_appid": appid, "authorizer_refresh_token": refresh})
		return string(b)
	}
	good := body(componentAppID, demoAppID, demoRefresh)
	for _, tc := range []struct {
		name        string
		query, body string
		want        int
	}{
		{"no token", "", good, 41001},
		{"malformed token", "?component_access_token=x", good, 40014},
		{"unknown token", "?component_access_token=97_" + strings.Repeat("A", 140), good, 40001},
		{"no component_appid", "?component_access_token=" + comp, `{"authorizer_appid":"` + demoAppID + `","authorizer_refresh_token":"` + demoRefresh + `"}`, 41018},
		{"another component", "?component_access_token=" + comp, body("wx0000000000000000", demoAppID, demoRefresh), 61011},
		{"no authorizer_appid", "?component_access_token=" + comp, `{"component_appid":"` + componentAppID + `","authorizer_refresh_token":"` + demoRefresh + `"}`, 61003},
		{"no refresh token", "?component_access_token=" + comp, `{"component_appid":"` + componentAppID + `","authorizer_appid":"` + demoAppID + `"}`, 61023},
		{"null refresh token", "?component_access_token=" + comp, `{"component_appid":"` + componentAppID + `","authorizer_appid":"` + demoAppID + `","authorizer_refresh_token":null}`, 61023},
		{"another account's refresh token", "?component_access_token=" + comp, body(componentAppID, demoAppID, secondRefresh), 61023},
		{"empty body", "?component_access_token=" + comp, "", 44002},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErrcode(t, post(tc.query, tc.body), tc.want) })
	}
	f.advance("2h")
	wantErrcode(t, post("?component_access_token="+comp, good), 42001)
}

func TestReauthorizationKeepsTheOldRefreshTokenFiveMinutes(t *testing.T) {
	f := newFake(t)
	rep := f.do("POST", "/__tcbmock/reauthorize", `{"component_appid":"`+componentAppID+`","authorizer_appid":"`+demoAppID+`"}`)
	fresh := decode[refreshReply](t, rep).AuthorizerRefreshToken
	if rep.Status != http.StatusOK || fresh == "" || fresh == demoRefresh {
		t.Fatalf("reauthorize: HTTP %d %s", rep.Status, rep.Body)
	}
	f.advance("4m")
	got := decode[authorizerReply](t, f.authorizerToken("component_access_token", f.componentToken(), demoAppID, demoRefresh))
	if got.AuthorizerAccessToken == "" || got.AuthorizerRefreshToken != fresh {
		t.Fatalf("old refresh token at +4m: %+v; want a token and the new refresh token", got)
	}
	f.advance("2m")
	wantErrcode(t, f.authorizerToken("component_access_token", f.componentToken(), demoAppID, demoRefresh), 61023)
	if got := decode[authorizerReply](t, f.authorizerToken("component_access_token", f.componentToken(), demoAppID, fresh)); got.AuthorizerAccessToken == "" {
		t.Error("the new refresh token gave no token")
	}
	f.Reset()
	if got := decode[authorizerReply](t, f.authorizerToken("component_access_token", f.componentToken(), demoAppID, demoRefresh)); got.AuthorizerAccessToken == "" {
		t.Error("after reset the world's refresh token gave no token")
	}
}

func TestNewAuthorizerTokenRetiresThePreviousAfterFiveMinutes(t *testing.T) {
	f := newFake(t)
	comp := f.componentToken()
	first := decode[authorizerReply](t, f.authorizerToken("component_access_token", comp, demoAppID, demoRefresh)).AuthorizerAccessToken
	f.authorizerToken("component_access_token", comp, demoAppID, demoRefresh)
	f.advance("4m")
	wantErrcode(t, f.envs(first, "{}"), 0)
	f.advance("2m")
	wantErrcode(t, f.envs(first, "{}"), 40001)
}

// componentList is GET apps' components.
type componentList struct {
	Components []struct {
		ComponentAppID string `json:"component_appid"`
		Secret         string `json:"component_appsecret"`
		Ticket         string `json:"component_verify_ticket"`
		Authorizations []struct {
			AppID          string `json:"authorizer_appid"`
			RefreshToken   string `json:"authorizer_refresh_token"`
			PermissionSets []int  `json:"permission_sets"`
		}
	}
}

type refreshReply struct {
	AuthorizerRefreshToken string `json:"authorizer_refresh_token"`
}

func TestAdminAppsListsComponentsWithTheirCurrentRefreshTokens(t *testing.T) {
	f := newFake(t)
	fresh := decode[refreshReply](t, f.do("POST", "/__tcbmock/reauthorize", `{"component_appid":"`+componentAppID+`","authorizer_appid":"`+secondAppID+`"}`)).AuthorizerRefreshToken
	got := decode[componentList](t, f.do("GET", "/__tcbmock/apps", ""))
	if len(got.Components) != 2 { // the demo platform and the guarded one
		t.Fatalf("got %+v", got)
	}
	c := got.Components[0]
	if c.ComponentAppID != componentAppID || c.Secret != componentSecret || c.Ticket != verifyTicket || len(c.Authorizations) != 2 ||
		c.Authorizations[0].RefreshToken != demoRefresh || c.Authorizations[0].PermissionSets[0] != 49 || c.Authorizations[1].RefreshToken != fresh {
		t.Errorf("got %+v", c)
	}
}

func TestReauthorizeRejectsUnknownAuthorizations(t *testing.T) {
	f := newFake(t)
	for _, body := range []string{`{"component_appid":"wx0000000000000000","authorizer_appid":"` + demoAppID + `"}`, `{"component_appid":"` + componentAppID + `","authorizer_appid":"` + flakyAppID + `"}`, `{`} {
		if rep := f.do("POST", "/__tcbmock/reauthorize", body); rep.Status != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d; want 400", body, rep.Status)
		}
	}
}
