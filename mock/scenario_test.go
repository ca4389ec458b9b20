package mock_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock"
)

// call sends a valid request of the operation for the demo app.
func (f *fake) call(opID string, header ...string) reply {
	f.t.Helper()
	switch opID {
	case "getEnvInfo":
		return f.envs(f.token(demoAppID, demoSecret), "{}", header...)
	case "getAccessToken":
		return f.do("GET", "/cgi-bin/token?grant_type=client_credential&appid="+demoAppID+"&secret="+demoSecret, "", header...)
	case "getStableAccessToken":
		return f.do("POST", "/cgi-bin/stable_token", `{"grant_type":"client_credential","appid":"`+demoAppID+`","secret":"`+demoSecret+`"}`, header...)
	case "getComponentAccessToken":
		return f.do("POST", "/cgi-bin/component/api_component_token", componentBody, header...)
	case "getAuthorizerAccessToken":
		return f.authorizerToken("component_access_token", f.componentToken(), demoAppID, demoRefresh, header...)
	case "invokeCloudFunction":
		return f.invoke(f.token(demoAppID, demoSecret), "env=test2-4a89da&name=login", "{}", header...)
	}
	if rep, ok := f.callQuota(opID, header...); ok {
		return rep
	}
	f.t.Fatalf("no call for operation %s", opID)
	return reply{}
}

func TestEveryRowCanBeForcedByItsScenario(t *testing.T) {
	f := newFake(t)
	for _, op := range f.Config().Spec().Operations() {
		for _, row := range op.Errcodes {
			if row.Code == 0 {
				continue
			}
			t.Run(fmt.Sprintf("%s/%d", op.ID, row.Code), func(t *testing.T) {
				sc := f.Config().Scenario(row.Scenario)
				if sc == nil || !sc.Covers(op.ID) {
					t.Fatalf("scenario %q does not answer %s", row.Scenario, op.ID)
				}
				rep := f.call(op.ID, mock.ScenarioHeader+": "+sc.Name)
				wantErrcode(t, rep, row.Code)
				errmsg := apispec.Addressed(row.Errmsg, callerAddr) // the caller's address where the row names it
				if want := errmsg + " rid: "; !strings.HasPrefix(rep.Errmsg, want) || !apispec.RIDPattern.MatchString(strings.TrimPrefix(rep.Errmsg, errmsg)) {
					t.Errorf("got errmsg %q; want exactly %q and the rid", rep.Errmsg, errmsg)
				}
			})
		}
	}
}

// provoke sends, for an operation and a cause of its x-errcodes table, a
// request that earns the cause without any scenario.
var provoke = map[string]func(f *fake) reply{
	"getEnvInfo/method": func(f *fake) reply {
		return f.do("GET", "/tcb/getenvinfo?access_token="+f.token(demoAppID, demoSecret), "")
	},
	"getEnvInfo/missing access_token": func(f *fake) reply { return f.envs("", "{}") },
	"invokeCloudFunction/method": func(f *fake) reply {
		return f.do("GET", "/tcb/invokecloudfunction?env=test2-4a89da&name=login&access_token="+f.token(demoAppID, demoSecret), "")
	},
	"invokeCloudFunction/missing access_token": func(f *fake) reply { return f.invoke("", "env=test2-4a89da&name=login", "{}") },
	"invokeCloudFunction/invalid access_token": func(f *fake) reply {
		return f.invoke("not-a-token", "env=test2-4a89da&name=login", "{}")
	},
	"invokeCloudFunction/unknown token": func(f *fake) reply {
		return f.invoke("97_"+strings.Repeat("u", 140), "env=test2-4a89da&name=login", "{}")
	},
	"invokeCloudFunction/wrong token kind": func(f *fake) reply {
		return f.invoke(f.componentToken(), "env=test2-4a89da&name=login", "{}")
	},
	"invokeCloudFunction/expired token": func(f *fake) reply {
		tok := f.token(demoAppID, demoSecret)
		f.advance("2h")
		return f.invoke(tok, "env=test2-4a89da&name=login", "{}")
	},
	"invokeCloudFunction/unauthorized api": func(f *fake) reply {
		return f.invoke(f.authorizer(secondAppID, secondRefresh), "env=prod-7g3h5j&name=login", "{}")
	},
	"invokeCloudFunction/empty body": func(f *fake) reply {
		return f.invoke(f.token(demoAppID, demoSecret), "env=test2-4a89da&name=login", "")
	},
	"invokeCloudFunction/malformed body": func(f *fake) reply {
		return f.invoke(f.token(demoAppID, demoSecret), "env=test2-4a89da&name=login", "{")
	},
	"invokeCloudFunction/missing env": func(f *fake) reply { return f.invoke(f.token(demoAppID, demoSecret), "name=login", "{}") },
	"invokeCloudFunction/missing name": func(f *fake) reply {
		return f.invoke(f.token(demoAppID, demoSecret), "env=test2-4a89da", "{}")
	},
	"getEnvInfo/invalid access_token":     func(f *fake) reply { return f.envs("not-a-token", "{}") },
	"getEnvInfo/unknown token":            func(f *fake) reply { return f.envs("97_"+strings.Repeat("u", 140), "{}") },
	"getEnvInfo/wrong token kind":         func(f *fake) reply { return f.envs(f.componentToken(), "{}") },
	"getEnvInfo/expired token":            func(f *fake) reply { tok := f.token(demoAppID, demoSecret); f.advance("2h"); return f.envs(tok, "{}") },
	"getEnvInfo/unauthorized api":         func(f *fake) reply { return f.envs(f.authorizer(secondAppID, secondRefresh), "{}") },
	"getEnvInfo/malformed body":           func(f *fake) reply { return f.envs(f.token(demoAppID, demoSecret), "{") },
	"getEnvInfo/invalid body":             func(f *fake) reply { return f.envs(f.token(demoAppID, demoSecret), "[]") },
	"getEnvInfo/invalid env":              func(f *fake) reply { return f.envs(f.token(demoAppID, demoSecret), `{"env":5}`) },
	"getAccessToken/method":               func(f *fake) reply { return f.do("POST", "/cgi-bin/token?"+plainQuery(nil), "") },
	"getAccessToken/missing grant_type":   func(f *fake) reply { return f.plain(map[string]string{"grant_type": ""}) },
	"getAccessToken/invalid grant_type":   func(f *fake) reply { return f.plain(map[string]string{"grant_type": "password"}) },
	"getAccessToken/missing appid":        func(f *fake) reply { return f.plain(map[string]string{"appid": ""}) },
	"getAccessToken/invalid appid":        func(f *fake) reply { return f.plain(map[string]string{"appid": "wx1"}) },
	"getAccessToken/unknown appid":        func(f *fake) reply { return f.plain(map[string]string{"appid": "wx0000000000000000"}) },
	"getAccessToken/missing secret":       func(f *fake) reply { return f.plain(map[string]string{"secret": ""}) },
	"getAccessToken/invalid secret":       func(f *fake) reply { return f.plain(map[string]string{"secret": "nope"}) },
	"getAccessToken/wrong secret":         func(f *fake) reply { return f.plain(map[string]string{"secret": secondSecret}) },
	"getStableAccessToken/method":         func(f *fake) reply { return f.do("GET", "/cgi-bin/stable_token", "") },
	"getStableAccessToken/empty body":     func(f *fake) reply { return f.do("POST", "/cgi-bin/stable_token", "") },
	"getStableAccessToken/malformed body": func(f *fake) reply { return f.do("POST", "/cgi-bin/stable_token", "{") },
	"getStableAccessToken/invalid body":   func(f *fake) reply { return f.do("POST", "/cgi-bin/stable_token", "[]") },
	"getStableAccessToken/missing grant_type": func(f *fake) reply {
		return f.stable(map[string]any{"grant_type": nil})
	},
	"getStableAccessToken/invalid grant_type": func(f *fake) reply {
		return f.stable(map[string]any{"grant_type": "password"})
	},
	"getStableAccessToken/missing appid":  func(f *fake) reply { return f.stable(map[string]any{"appid": nil}) },
	"getStableAccessToken/invalid appid":  func(f *fake) reply { return f.stable(map[string]any{"appid": "wx1"}) },
	"getStableAccessToken/unknown appid":  func(f *fake) reply { return f.stable(map[string]any{"appid": "wx0000000000000000"}) },
	"getStableAccessToken/missing secret": func(f *fake) reply { return f.stable(map[string]any{"secret": nil}) },
	"getStableAccessToken/invalid secret": func(f *fake) reply { return f.stable(map[string]any{"secret": 5}) },
	"getStableAccessToken/wrong secret":   func(f *fake) reply { return f.stable(map[string]any{"secret": secondSecret}) },
	"getComponentAccessToken/method": func(f *fake) reply {
		return f.do("GET", "/cgi-bin/component/api_component_token", "")
	},
	"getComponentAccessToken/empty body": func(f *fake) reply {
		return f.do("POST", "/cgi-bin/component/api_component_token", "")
	},
	"getComponentAccessToken/malformed body": func(f *fake) reply {
		return f.do("POST", "/cgi-bin/component/api_component_token", "{")
	},
	"getComponentAccessToken/invalid body": func(f *fake) reply {
		return f.do("POST", "/cgi-bin/component/api_component_token", "[]")
	},
	"getComponentAccessToken/missing component_appid": func(f *fake) reply { return f.component(map[string]any{"component_appid": nil}) },
	"getComponentAccessToken/invalid component_appid": func(f *fake) reply { return f.component(map[string]any{"component_appid": "wx1"}) },
	"getComponentAccessToken/unknown component": func(f *fake) reply {
		return f.component(map[string]any{"component_appid": "wx0000000000000000"})
	},
	"getComponentAccessToken/missing component_appsecret": func(f *fake) reply {
		return f.component(map[string]any{"component_appsecret": nil})
	},
	"getComponentAccessToken/invalid component_appsecret": func(f *fake) reply {
		return f.component(map[string]any{"component_appsecret": "nope"})
	},
	"getComponentAccessToken/wrong secret": func(f *fake) reply { return f.component(map[string]any{"component_appsecret": demoSecret}) },
	"getComponentAccessToken/missing component_verify_ticket": func(f *fake) reply {
		return f.component(map[string]any{"component_verify_ticket": nil})
	},
	"getComponentAccessToken/invalid component_verify_ticket": func(f *fake) reply {
		return f.component(map[string]any{"component_verify_ticket": ""})
	},
	"getComponentAccessToken/wrong ticket": func(f *fake) reply {
		return f.component(map[string]any{"component_verify_ticket": "ticket@@@wrong"})
	},
	"getAuthorizerAccessToken/method": func(f *fake) reply {
		return f.do("GET", "/cgi-bin/component/api_authorizer_token?component_access_token="+f.componentToken(), "")
	},
	"getAuthorizerAccessToken/missing component_access_token": func(f *fake) reply { return f.authorizerWith("", nil) },
	"getAuthorizerAccessToken/invalid component_access_token": func(f *fake) reply { return f.authorizerWith("not-a-token", nil) },
	"getAuthorizerAccessToken/invalid access_token": func(f *fake) reply {
		return f.do("POST", "/cgi-bin/component/api_authorizer_token?access_token=not-a-token", authorizerBody(nil))
	},
	"getAuthorizerAccessToken/unknown token": func(f *fake) reply { return f.authorizerWith("97_"+strings.Repeat("u", 140), nil) },
	"getAuthorizerAccessToken/expired token": func(f *fake) reply {
		tok := f.componentToken()
		f.advance("2h")
		return f.authorizerWith(tok, nil)
	},
	"getAuthorizerAccessToken/wrong token kind": func(f *fake) reply { return f.authorizerWith(f.token(demoAppID, demoSecret), nil) },
	"getAuthorizerAccessToken/empty body": func(f *fake) reply {
		return f.do("POST", "/cgi-bin/component/api_authorizer_token?component_access_token="+f.componentToken(), "")
	},
	"getAuthorizerAccessToken/malformed body": func(f *fake) reply {
		return f.do("POST", "/cgi-bin/component/api_authorizer_token?component_access_token="+f.componentToken(), "{")
	},
	"getAuthorizerAccessToken/invalid body": func(f *fake) reply {
		return f.do("POST", "/cgi-bin/component/api_authorizer_token?component_access_token="+f.componentToken(), "[]")
	},
	"getAuthorizerAccessToken/missing component_appid": func(f *fake) reply {
		return f.authorizerWith(f.componentToken(), map[string]any{"component_appid": nil})
	},
	"getAuthorizerAccessToken/invalid component_appid": func(f *fake) reply {
		return f.authorizerWith(f.componentToken(), map[string]any{"component_appid": "wx1"})
	},
	"getAuthorizerAccessToken/unknown component": func(f *fake) reply {
		return f.authorizerWith(f.componentToken(), map[string]any{"component_appid": "wx0000000000000000"})
	},
	"getAuthorizerAccessToken/missing authorizer_appid": func(f *fake) reply {
		return f.authorizerWith(f.componentToken(), map[string]any{"authorizer_appid": nil})
	},
	"getAuthorizerAccessToken/invalid authorizer_appid": func(f *fake) reply {
		return f.authorizerWith(f.componentToken(), map[string]any{"authorizer_appid": "wx1"})
	},
	"getAuthorizerAccessToken/unauthorized appid": func(f *fake) reply {
		return f.authorizerWith(f.componentToken(), map[string]any{"authorizer_appid": flakyAppID})
	},
	"getAuthorizerAccessToken/missing authorizer_refresh_token": func(f *fake) reply {
		return f.authorizerWith(f.componentToken(), map[string]any{"authorizer_refresh_token": nil})
	},
	"getAuthorizerAccessToken/invalid authorizer_refresh_token": func(f *fake) reply {
		return f.authorizerWith(f.componentToken(), map[string]any{"authorizer_refresh_token": ""})
	},
	"getAuthorizerAccessToken/wrong refresh token": func(f *fake) reply {
		return f.authorizerWith(f.componentToken(), map[string]any{"authorizer_refresh_token": "refreshtoken@@@wrong"})
	},
}

// plainQuery is the demo app's /cgi-bin/token query, with some parameters
// changed ("" drops one).
func plainQuery(change map[string]string) string {
	q := url.Values{}
	for k, v := range map[string]string{"grant_type": "client_credential", "appid": demoAppID, "secret": demoSecret} {
		if c, ok := change[k]; ok {
			v = c
		}
		if v != "" {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

func (f *fake) plain(change map[string]string) reply {
	return f.do("GET", "/cgi-bin/token?"+plainQuery(change), "")
}

// withFields returns fields as JSON, with some changed (nil drops one).
func withFields(fields, change map[string]any) string {
	for k, v := range change {
		if v == nil {
			delete(fields, k)
		} else {
			fields[k] = v
		}
	}
	b, _ := json.Marshal(fields)
	return string(b)
}

func (f *fake) stable(change map[string]any) reply {
	return f.do("POST", "/cgi-bin/stable_token", withFields(map[string]any{"grant_type": "client_credential", "appid": demoAppID, "secret": demoSecret}, change))
}

func (f *fake) component(change map[string]any) reply {
	return f.do("POST", "/cgi-bin/component/api_component_token", withFields(map[string]any{
		"component_appid": componentAppID, "component_appsecret": componentSecret, "component_verify_ticket": verifyTicket}, change))
}

func authorizerBody(change map[string]any) string {
	return withFields(map[string]any{"component_appid": componentAppID, "authorizer_appid": demoAppID, "authorizer_refresh_token": demoRefresh}, change)
}

func (f *fake) authorizerWith(componentToken string, change map[string]any) reply {
	target := "/cgi-bin/component/api_authorizer_token"
	if componentToken != "" {
		target += "?component_access_token=" + componentToken
	}
	return f.do("POST", target, authorizerBody(change))
}

// authorizer returns an authorizer token of the account appid.
func (f *fake) authorizer(appid, refresh string) string {
	f.t.Helper()
	return decode[authorizerReply](f.t, f.authorizerToken("component_access_token", f.componentToken(), appid, refresh)).AuthorizerAccessToken
}

func TestEveryRowWithCausesIsEarnedWithoutAScenario(t *testing.T) {
	spec := newFake(t).Config().Spec()
	for _, op := range spec.Operations() {
		for _, row := range op.Errcodes {
			for _, cause := range row.When {
				t.Run(op.ID+"/"+cause, func(t *testing.T) {
					send := provoke[op.ID+"/"+cause]
					if send == nil {
						send = provokeAccess[op.ID+"/"+cause]
					}
					if send == nil {
						t.Fatalf("no request earns %s of %s: add one to provoke", cause, op.ID)
					}
					f := newFake(t)
					rep := send(f)
					wantErrcode(t, rep, row.Code)
					if !strings.HasPrefix(rep.Errmsg, apispec.Addressed(row.Errmsg, callerAddr)+" rid: ") {
						t.Errorf("got errmsg %q; want %q and the rid", rep.Errmsg, row.Errmsg)
					}
					if got := f.Journal(mock.Filter{})[len(f.Journal(mock.Filter{}))-1]; got.Cause != cause {
						t.Errorf("journaled cause %q; want %q", got.Cause, cause)
					}
				})
			}
		}
	}
}

// forcedOnly are the rows no request earns by itself: only a scenario
// answers them. A row that gains a cause leaves this list.
var forcedOnly = []string{
	"getEnvInfo -1", "getEnvInfo -1000", "getEnvInfo 40101", "getEnvInfo 44002", "getEnvInfo 45009", "getEnvInfo 85088",
	"invokeCloudFunction -501000", "invokeCloudFunction -504002", "invokeCloudFunction -501001", "invokeCloudFunction -501007",
	"invokeCloudFunction -1", "invokeCloudFunction -1000", "invokeCloudFunction 85088",
	"getAccessToken -1", "getAccessToken 40001", "getAccessToken 50004",
	"getStableAccessToken -1",
	"getComponentAccessToken 61005", "getComponentAccessToken -1", "getComponentAccessToken 45009",
	"getComponentAccessToken 40001", "getComponentAccessToken 40013", "getComponentAccessToken 48001",
	"getAuthorizerAccessToken -1", "getAuthorizerAccessToken 45009", "getAuthorizerAccessToken 40013",
	"clearQuota -1", "clearQuotaByAppSecret -1", "clearApiQuota -1",
}

func TestTheRowsOnlyAScenarioAnswersAreListed(t *testing.T) {
	var got []string
	for _, op := range newFake(t).Config().Spec().Operations() {
		for _, row := range op.Errcodes {
			if row.Code != 0 && len(row.When) == 0 {
				got = append(got, fmt.Sprintf("%s %d", op.ID, row.Code))
			}
		}
	}
	if !slices.Equal(got, forcedOnly) {
		t.Errorf("rows without causes: %q; want %q", got, forcedOnly)
	}
}

func TestEveryScenarioHasADescription(t *testing.T) {
	f := newFake(t)
	for _, sc := range f.Config().Scenarios() {
		if len(sc.Description) < 20 {
			t.Errorf("scenario %s: description %q is too short to help", sc.Name, sc.Description)
		}
	}
}

func TestScenarioChoiceMostSpecificFirst(t *testing.T) {
	f := newFake(t, mock.WithScenario("system-error"))
	bound, err := f.MintToken(demoAppID, "api-unauthorized", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := f.MintToken(demoAppID, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	flaky, err := f.MintToken(flakyAppID, "", time.Hour) // the server default does not answer the token endpoints
	if err != nil {
		t.Fatal(err)
	}
	header := mock.ScenarioHeader + ": daily-quota-reached"
	wantErrcode(t, f.envs(bound, "{}", header), 45009)         // header beats token
	wantErrcode(t, f.envs(bound, "{}"), 48001)                 // token beats the default
	wantErrcode(t, f.envs(flaky, "{}"), -1)                    // app (retry-then-ok) beats the default
	wantErrcode(t, f.envs(plain, "{}"), -1000)                 // the default
	wantErrcode(t, f.do("POST", "/tcb/getenvinfo", ""), -1000) // the default even with no token
}

func TestScenarioAskedForAnotherOperationIsALoudError(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	// token-system-busy answers the token endpoints only.
	status, body := refused(f, tok, mock.ScenarioHeader+": token-system-busy")
	if status != http.StatusBadRequest || !strings.Contains(body, "answers getAccessToken, getStableAccessToken") || !strings.Contains(body, "not getEnvInfo") {
		t.Errorf("got HTTP %d %s; want 400 saying which operations it answers", status, body)
	}
	wantErrcode(t, f.call("getAccessToken", mock.ScenarioHeader+": token-system-busy"), -1)
	if n := len(f.Journal(mock.Filter{Status: http.StatusBadRequest})); n != 1 {
		t.Errorf("%d refusals journaled; want 1", n)
	}
}

func TestTokenBoundToAnotherOperationsScenarioIsALoudError(t *testing.T) {
	f := newFake(t)
	tok, err := f.MintToken(demoAppID, "token-system-busy", 0)
	if err != nil {
		t.Fatal(err)
	}
	if status, body := refused(f, tok, ""); status != http.StatusBadRequest || !strings.Contains(body, "the token's binding") {
		t.Errorf("got HTTP %d %s; want 400 naming the token's binding", status, body)
	}
}

func TestServerDefaultOfAnotherOperationIsALoudError(t *testing.T) {
	f := newFake(t, mock.WithScenario("system-busy"))
	_, resp := f.raw("GET", "/cgi-bin/token?"+plainQuery(nil), "")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "the server's default scenario") {
		t.Errorf("got HTTP %d %s; want 400 naming the server default", resp.StatusCode, body)
	}
}

func TestAppBindingFallsThroughForOperationsItDoesNotAnswer(t *testing.T) {
	f := newFake(t)
	wantErrcode(t, f.plain(map[string]string{"appid": flakyAppID, "secret": flakySecret}), 0)
}

func TestAppBoundScenarioReachesAnUnmodifiedClient(t *testing.T) {
	f := newFake(t)
	tok := f.token(flakyAppID, flakySecret) // the token endpoints are not bound
	wantErrcode(t, f.envs(tok, "{}"), -1)
	wantErrcode(t, f.envs(tok, "{}"), -1)
	wantErrcode(t, f.envs(tok, "{}"), 0)
}

func TestUnknownScenarioHeaderIsALoudError(t *testing.T) {
	f := newFake(t)
	_, resp := f.raw("POST", "/tcb/getenvinfo", "{}", mock.ScenarioHeader+": nope")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("got HTTP %d; want 400", resp.StatusCode)
	}
}

func TestSequenceRetryThenOK(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	h := mock.ScenarioHeader + ": retry-then-ok"
	for i, want := range []int{-1, -1, 0, 0} {
		if rep := f.envs(tok, "{}", h); rep.Errcode != want {
			t.Fatalf("call %d: got errcode %d; want %d", i+1, rep.Errcode, want)
		}
	}
}

func TestSequencePositionIsPerSelector(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	a := mock.ScenarioHeader + ": retry-then-ok; key=a"
	b := mock.ScenarioHeader + ": retry-then-ok; key=b"
	wantErrcode(t, f.envs(tok, "{}", a), -1)
	wantErrcode(t, f.envs(tok, "{}", a), -1)
	wantErrcode(t, f.envs(tok, "{}", b), -1)
	wantErrcode(t, f.envs(tok, "{}", a), 0)
	wantErrcode(t, f.envs(tok, "{}", b), -1)
	wantErrcode(t, f.envs(tok, "{}", b), 0)
}

func TestResetRewindsSequences(t *testing.T) {
	f := newFake(t)
	h := mock.ScenarioHeader + ": expired-then-ok"
	tok := f.token(demoAppID, demoSecret)
	wantErrcode(t, f.envs(tok, "{}", h), 42001)
	wantErrcode(t, f.envs(tok, "{}", h), 0)
	f.Reset()
	tok = f.token(demoAppID, demoSecret)
	wantErrcode(t, f.envs(tok, "{}", h), 42001)
}

func TestBodyScenariosAnswerTheirBody(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	got := decode[envReply](t, f.envs(tok, "{}", mock.ScenarioHeader+": env-unavailable"))
	if len(got.InfoList) != 1 || got.InfoList[0].Status != "UNAVAILABLE" {
		t.Errorf("got %+v; want one UNAVAILABLE env", got)
	}
	if got := decode[envReply](t, f.envs(tok, "{}", mock.ScenarioHeader+": no-envs")); got.InfoList == nil || len(got.InfoList) != 0 {
		t.Errorf("got %+v; want an empty info_list", got)
	}
}

func TestConcurrentClientsSeeOnlyTheirOwnScenario(t *testing.T) {
	f := newFake(t)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	tok := f.token(demoAppID, demoSecret)
	clients := map[string]int{"": 0, "system-busy": -1, "access-token-expired": 42001, "retry-then-ok; key=c": 0}
	var wg sync.WaitGroup
	for scenario, want := range clients {
		wg.Go(func() {
			for i := range 50 {
				req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL+"/tcb/getenvinfo?access_token="+tok, strings.NewReader("{}"))
				if scenario != "" {
					req.Header.Set(mock.ScenarioHeader, scenario)
				}
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				rep := f.check(req, resp)
				resp.Body.Close()
				if rep.Errcode != want && !(strings.HasPrefix(scenario, "retry") && i < 2) {
					t.Errorf("client %q request %d: got errcode %d; want %d", scenario, i, rep.Errcode, want)
					return
				}
			}
		})
	}
	wg.Wait()
}
