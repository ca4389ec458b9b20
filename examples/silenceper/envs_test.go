package silenceper_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/examples/silenceper"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// The default world's apps.
const (
	demoAppID    = mocktest.DemoAppID
	demoSecret   = mocktest.DemoSecret
	secondAppID  = mocktest.SecondAppID
	secondSecret = mocktest.SecondSecret
	flakyAppID   = mocktest.FlakyAppID
	flakySecret  = mocktest.FlakySecret
)

// fakeFor starts a fake and points the SDK at it: its only change.
// The SDK's URI modifier is global, so these tests do not run in parallel.
func fakeFor(t *testing.T, opts ...mock.Option) *mocktest.Fake {
	fake := mocktest.New(t, opts...)
	util.SetURIModifier(func(uri string) string {
		return strings.Replace(uri, "https://api.weixin.qq.com", fake.URL, 1)
	})
	t.Cleanup(func() { util.SetURIModifier(nil) })
	return fake
}

func TestTokenThenEnvs(t *testing.T) {
	fake := fakeFor(t)
	c := silenceper.New(secondAppID, secondSecret, false)
	envs, err := c.Envs(t.Context(), "")
	if err != nil || len(envs) != 2 || envs[1].Status != "HALTED" {
		t.Fatalf("envs %+v, %v; want prod and the HALTED staging", envs, err)
	}
	one, err := c.Envs(t.Context(), "prod-7g3h5j")
	if err != nil || len(one) != 1 || one[0].Env != "prod-7g3h5j" {
		t.Errorf("env prod-7g3h5j: %+v, %v", one, err)
	}
	fake.Expect(t, 1, mock.Filter{Operation: "getAccessToken"}) // the SDK cached its token
	fake.Expect(t, 2, mock.Filter{Operation: "getEnvInfo", Errcode: mock.Code(0)})
	fake.Expect(t, 1, mock.Filter{Env: "prod-7g3h5j"})
}

func TestStableToken(t *testing.T) {
	fake := fakeFor(t)
	c := silenceper.New(demoAppID, demoSecret, true)
	envs, err := c.Envs(t.Context(), "")
	if err != nil || len(envs) != 1 || envs[0].Env != "test2-4a89da" {
		t.Fatalf("envs %+v, %v", envs, err)
	}
	fake.Expect(t, 1, mock.Filter{Operation: "getStableAccessToken"})
	fake.Expect(t, 0, mock.Filter{Operation: "getAccessToken"})
	// The SDK sends exactly the four fields of the docs.
	body := fake.Journal(mock.Filter{Operation: "getStableAccessToken"})[0].Body
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("stable_token body %s: %v", body, err)
	}
	want := map[string]any{"grant_type": "client_credential", "appid": demoAppID, "secret": demoSecret, "force_refresh": false}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stable_token body %s; want the fields %v", body, want)
	}
}

func TestExpiredTokenIsFetchedAgain(t *testing.T) {
	fake := fakeFor(t)
	c := silenceper.New(demoAppID, demoSecret, false)
	if _, err := c.Envs(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	old, _ := c.Token(t.Context())
	// The SDK caches its token for expires_in-1500 s of real time; the
	// fake's clock moves past the token's 7200 s.
	fake.Advance(2 * time.Hour)
	envs, err := c.Envs(t.Context(), "")
	if err != nil || len(envs) != 1 {
		t.Fatalf("after 2 h: %+v, %v", envs, err)
	}
	if now, _ := c.Token(t.Context()); now == old {
		t.Error("the client kept the expired token")
	}
	fake.Expect(t, 1, mock.Filter{Cause: tcbmock.CauseExpiredToken, Errcode: mock.Code(42001)})
	fake.Expect(t, 2, mock.Filter{Operation: "getAccessToken"})
}

func TestRetiredTokenIsFetchedAgain(t *testing.T) {
	fake := fakeFor(t)
	c := silenceper.New(demoAppID, demoSecret, false)
	if _, err := c.Envs(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	// Another service of the same app calls /cgi-bin/token: the client's
	// token is retired five minutes later.
	other := silenceper.New(demoAppID, demoSecret, false)
	if _, err := other.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	fake.Advance(6 * time.Minute)
	if _, err := c.Envs(t.Context(), ""); err != nil {
		t.Fatalf("after the other service's token: %v", err)
	}
	fake.Expect(t, 1, mock.Filter{Errcode: mock.Code(40001), Cause: tcbmock.CauseUnknownToken})
}

func TestForcedInvalidCredentialIsHandled(t *testing.T) {
	fake := fakeFor(t)
	c := silenceper.New(demoAppID, demoSecret, true)
	// A token minted for the same app and bound to invalid-credential stands
	// for a token that went bad: the client drops it and gets a new one.
	bad, err := fake.MintToken(demoAppID, "invalid-credential", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	silenceper.ForceToken(t, c, bad)
	if _, err := c.Envs(t.Context(), ""); err != nil {
		t.Fatalf("with a bad token: %v", err)
	}
	fake.Expect(t, 1, mock.Filter{Scenario: "invalid-credential", Errcode: mock.Code(40001)})
}

func TestRetriesThroughSystemBusy(t *testing.T) {
	fake := fakeFor(t)
	// The flaky app is bound to retry-then-ok: -1, -1, then the real answer.
	c := silenceper.New(flakyAppID, flakySecret, false)
	envs, err := c.Envs(t.Context(), "")
	if err != nil || len(envs) != 1 {
		t.Fatalf("envs %+v, %v", envs, err)
	}
	fake.Expect(t, 3, mock.Filter{Operation: "getEnvInfo", Scenario: "retry-then-ok"})

	c.Retries = 0
	fake.Reset()
	if _, err := c.Envs(t.Context(), ""); err == nil || !strings.Contains(err.Error(), "errcode=-1") {
		t.Errorf("with no retries: %v; want the SDK's errcode=-1 error", err)
	}
}

func TestGatewayErrorIsATransportErrorToTheSDK(t *testing.T) {
	fakeFor(t, mock.WithScenario("bad-gateway"))
	c := silenceper.New(demoAppID, demoSecret, false)
	_, err := c.Envs(t.Context(), "")
	if err == nil || !strings.Contains(err.Error(), "statusCode=502") {
		t.Errorf("got %v; want the SDK's statusCode=502 error", err)
	}
}
