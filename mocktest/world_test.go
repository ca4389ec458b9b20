package mocktest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tcbmock/tcbmock/mocktest"
)

func TestTheConstantsAreTheEmbeddedWorlds(t *testing.T) {
	fake := mocktest.New(t)
	w, err := fake.Admin.Apps(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	apps := map[string]string{}
	for _, a := range w.Apps {
		apps[a.AppID] = a.Secret
	}
	for appid, secret := range map[string]string{
		mocktest.DemoAppID: mocktest.DemoSecret, mocktest.SecondAppID: mocktest.SecondSecret, mocktest.FlakyAppID: mocktest.FlakySecret,
		mocktest.GuardedAppID: mocktest.GuardedSecret, mocktest.MeteredAppID: mocktest.MeteredSecret,
	} {
		if apps[appid] != secret {
			t.Errorf("app %s: the world's secret is %q; the constant says %q", appid, apps[appid], secret)
		}
	}
	if len(w.Components) != 2 { // the demo platform, then the guarded one
		t.Fatalf("components: %+v", w.Components)
	}
	c := w.Components[0]
	refresh := map[string]string{}
	for _, a := range c.Authorizations {
		refresh[a.AppID] = a.RefreshToken
	}
	if c.AppID != mocktest.ComponentAppID || c.Secret != mocktest.ComponentSecret || c.VerifyTicket != mocktest.VerifyTicket ||
		refresh[mocktest.DemoAppID] != mocktest.DemoRefreshToken || refresh[mocktest.SecondAppID] != mocktest.SecondRefreshToken {
		t.Errorf("the world's platform %+v differs from the constants", c)
	}
}

func TestImportingMocktestRegistersNothingOnTheDefaultMux(t *testing.T) {
	mocktest.New(t)
	for _, path := range []string{"/debug/pprof/", "/debug/vars", "/"} {
		w := httptest.NewRecorder()
		http.DefaultServeMux.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != http.StatusNotFound {
			t.Errorf("http.DefaultServeMux answers %s with HTTP %d; want 404: something registered on it", path, w.Code)
		}
	}
}

// BenchmarkNewFake measures a fake for one test, started and closed: the
// configuration is loaded once and shared, each fake has its own tokens,
// clock, sequences, journal and listener.
func BenchmarkNewFake(b *testing.B) {
	mocktest.New(b) // the shared configuration, loaded once
	b.ReportAllocs()
	for b.Loop() {
		tb := &oneTest{B: b}
		mocktest.New(tb)
		tb.end()
	}
}

// oneTest is a TB whose clean-ups run when end is called.
type oneTest struct {
	*testing.B
	cleanups []func()
}

func (t *oneTest) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }
func (t *oneTest) end() {
	for _, f := range t.cleanups {
		f()
	}
}
