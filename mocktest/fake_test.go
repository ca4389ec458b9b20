package mocktest_test

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/ca"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// methods lists the exported methods of v's type.
func methods(v any) []string {
	t := reflect.TypeOf(v)
	var names []string
	for i := range t.NumMethod() {
		names = append(names, t.Method(i).Name)
	}
	return names
}

// A Go test sees the methods that drive a fake, and none of the plumbing
// of tcbmock proxy or of the intercepting proxy: neither on the fake nor
// on a mock.Server.
func TestAFakeShowsNoPlumbing(t *testing.T) {
	want := []string{"AddApp", "AddComponent", "AddScenario", "Advance", "Client", "Config", "Count", "DeleteApp", "DeleteComponent", "DeleteScenario",
		"Expect", "HTTPSProxy", "Journal", "MintToken", "Now", "PutApp", "PutComponent", "PutScenario", "Reload", "Reset", "ResetWorld", "Status"}
	if got := methods(&mocktest.Fake{}); !slices.Equal(got, want) {
		t.Errorf("Fake's methods are %v; want %v", got, want)
	}
	fields := reflect.TypeOf(mocktest.Fake{})
	for i := range fields.NumField() {
		if f := fields.Field(i); f.IsExported() && f.Name != "URL" && f.Name != "Admin" {
			t.Errorf("Fake has the exported field %s; want URL and Admin only", f.Name)
		}
	}
	for _, plumbing := range []string{"RecordExchange", "RecordRefusal", "Guard"} {
		if slices.Contains(methods(&mock.Server{}), plumbing) {
			t.Errorf("mock.Server has the method %s", plumbing)
		}
	}
}

func TestAFakesMethodsDriveIt(t *testing.T) {
	start := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	fake := mocktest.New(t, mock.WithClock(func() time.Time { return start }))
	if now, err := fake.Advance(time.Hour); err != nil || !now.Equal(start.Add(time.Hour)) || !fake.Now().Equal(now) {
		t.Errorf("Advance: %v, %v; want %v", now, err, start.Add(time.Hour))
	}
	token, err := fake.MintToken(mocktest.DemoAppID, "system-busy", 0)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := fake.Client().Post(fake.URL+"/tcb/getenvinfo?access_token="+token, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	fake.Expect(t, 1, mock.Filter{Operation: "getEnvInfo", Errcode: mock.Code(-1), Scenario: "system-busy"})
	if err := fake.Reload(fake.Config()); err != nil || fake.Status().Reloads != 2 {
		t.Errorf("Reload: %v, %d configurations served; want nil, 2", err, fake.Status().Reloads)
	}
	fake.Reset()
	if fake.Count(mock.Filter{}) != 0 || !fake.Now().Equal(start) {
		t.Errorf("after Reset: %d entries, clock %v; want none, %v", fake.Count(mock.Filter{}), fake.Now(), start)
	}
}

// A client that keeps https://api.weixin.qq.com reaches the fake through
// HTTPSProxy, and what the proxy refuses is in the fake's journal.
func TestHTTPSProxyServesTheFakeAndJournalsItsRefusals(t *testing.T) {
	fake := mocktest.New(t)
	authority := ca.New(t.TempDir())
	proxy, err := url.Parse(fake.HTTPSProxy(authority))
	if err != nil {
		t.Fatal(err)
	}
	pool, err := authority.Pool()
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Post("https://api.weixin.qq.com/tcb/getenvinfo?access_token=x", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"errcode":40014`) {
		t.Errorf("got %s; want the fake's answer to a malformed token", body)
	}
	fake.Expect(t, 1, mock.Filter{Operation: "getEnvInfo", Cause: tcbmock.Invalid("access_token")})
	if _, err := client.Get("https://example.com/"); err == nil {
		t.Error("the proxy tunnelled to example.com")
	}
	if got := fake.Journal(mock.Filter{Path: "example.com:443"}); len(got) != 1 || got[0].Method != http.MethodConnect || got[0].Status != http.StatusForbidden {
		t.Errorf("the journal holds %+v; want the refused CONNECT example.com:443, 403", got)
	}
}
