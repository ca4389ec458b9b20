package silenceper_test

import (
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/examples/silenceper"
	"github.com/tcbmock/tcbmock/mock"
)

func TestInvokeCloudFunctionThroughTheSDK(t *testing.T) {
	fake := fakeFor(t)
	c := silenceper.New(demoAppID, demoSecret, false)
	got, err := c.Invoke("test2-4a89da", "login", "{}")
	if want := `{"event":{"userInfo":{"appId":"` + demoAppID + `"}},"appid":"` + demoAppID + `"}`; err != nil || got != want {
		t.Fatalf("login: %q, %v; want %q", got, err, want)
	}
	if got, err := c.Invoke("test2-4a89da", "greet", `{"name":"SDK"}`); err != nil || got != "hello, SDK" {
		t.Errorf("greet: %q, %v; want hello, SDK", got, err)
	}
	fake.Expect(t, 2, mock.Filter{Operation: "invokeCloudFunction", Errcode: mock.Code(0)})
}

func TestInvokeCloudFunctionErrorsReachTheSDK(t *testing.T) {
	fakeFor(t)
	c := silenceper.New(demoAppID, demoSecret, false)
	if _, err := c.Invoke("test2-4a89da", "nope", "{}"); err == nil || !strings.Contains(err.Error(), "-501000") {
		t.Fatalf("a function the env lacks: %v; want the SDK's error with -501000", err)
	}
}
