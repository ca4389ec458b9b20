package mock_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// call sends a valid request of the operation for the demo app.
func (f *fake) call(opID string, header ...string) reply {
	f.t.Helper()
	switch opID {
	case mock.OpGetEnvInfo:
		return f.envs(f.token(demoAppID, demoSecret), "{}", header...)
	case mock.OpGetAccessToken:
		return f.do("GET", "/cgi-bin/token?grant_type=client_credential&appid="+demoAppID+"&secret="+demoSecret, "", header...)
	case mock.OpGetStableAccessToken:
		return f.do("POST", "/cgi-bin/stable_token", `{"grant_type":"client_credential","appid":"`+demoAppID+`","secret":"`+demoSecret+`"}`, header...)
	case mock.OpGetComponentAccessToken:
		return f.do("POST", "/cgi-bin/component/api_component_token", componentBody, header...)
	case mock.OpGetAuthorizerAccessToken:
		return f.authorizerToken("component_access_token", f.componentToken(), demoAppID, demoRefresh, header...)
	}
	f.t.Fatalf("no call for operation %s", opID)
	return reply{}
}

// scenarioFor returns the default scenario that forces code on op.
func scenarioFor(c *mock.Config, op string, code int) *mock.Scenario {
	for _, sc := range c.Scenarios {
		if sc.Covers(op) && len(sc.Steps) == 1 && sc.Steps[0].Body == nil && sc.Steps[0].Errcode == code {
			return sc
		}
	}
	return nil
}

func TestEverySpecErrcodeHasAScenario(t *testing.T) {
	f := newFake(t)
	for _, op := range f.Config().Spec.Operations() {
		for _, row := range op.Errcodes {
			if row.Code != 0 && scenarioFor(f.Config(), op.ID, row.Code) == nil {
				t.Errorf("%s: errcode %d has no scenario in scenarios/", op.ID, row.Code)
			}
		}
	}
}

func TestEverySpecErrcodeIsReachable(t *testing.T) {
	f := newFake(t)
	for _, op := range f.Config().Spec.Operations() {
		for _, row := range op.Errcodes {
			t.Run(fmt.Sprintf("%s/%d", op.ID, row.Code), func(t *testing.T) {
				if row.Code == 0 {
					rep := f.call(op.ID)
					wantErrcode(t, rep, 0)
					return
				}
				sc := scenarioFor(f.Config(), op.ID, row.Code)
				if sc == nil {
					t.Skip("no scenario (TestEverySpecErrcodeHasAScenario fails)")
				}
				rep := f.call(op.ID, mock.ScenarioHeader+": "+sc.Name)
				wantErrcode(t, rep, row.Code)
				if !strings.HasPrefix(rep.Errmsg, row.Errmsg+" rid: ") {
					t.Errorf("got errmsg %q; want %q and the rid", rep.Errmsg, row.Errmsg)
				}
			})
		}
	}
}

func TestEveryScenarioHasADescription(t *testing.T) {
	f := newFake(t)
	for _, sc := range f.Config().Scenarios {
		if len(sc.Description) < 20 {
			t.Errorf("scenario %s: description %q is too short to help", sc.Name, sc.Description)
		}
	}
}

func TestScenarioChoiceMostSpecificFirst(t *testing.T) {
	f := newFake(t, mock.WithScenario("system-error"))
	bound, err := f.MintToken(demoAppID, "api-unauthorized", 0)
	if err == nil {
		t.Fatal("minting a token with no lifetime worked")
	}
	bound, err = f.MintToken(demoAppID, "api-unauthorized", 3600e9)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := f.MintToken(demoAppID, "", 3600e9)
	if err != nil {
		t.Fatal(err)
	}
	flaky := f.token(flakyAppID, flakySecret)
	header := mock.ScenarioHeader + ": daily-quota-reached"
	wantErrcode(t, f.envs(bound, "{}", header), 45009)         // header beats token
	wantErrcode(t, f.envs(bound, "{}"), 48001)                 // token beats the default
	wantErrcode(t, f.envs(flaky, "{}"), -1)                    // app (retry-then-ok) beats the default
	wantErrcode(t, f.envs(plain, "{}"), -1000)                 // the default
	wantErrcode(t, f.do("POST", "/tcb/getenvinfo", ""), -1000) // the default even with no token
}

func TestScenarioOfAnotherOperationLeavesTheChoiceToTheNext(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	// token-system-busy answers the token endpoints only.
	wantErrcode(t, f.envs(tok, "{}", mock.ScenarioHeader+": token-system-busy"), 0)
	wantErrcode(t, f.call(mock.OpGetAccessToken, mock.ScenarioHeader+": token-system-busy"), -1)
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
	got := decode[envReply](t, f.envs(tok, "{}", mock.ScenarioHeader+": env-initializing"))
	if len(got.InfoList) != 1 || got.InfoList[0].Status != "INITIALIZING" {
		t.Errorf("got %+v; want one INITIALIZING env", got)
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
