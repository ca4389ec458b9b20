// Package mocktest starts a tcbmock fake for one Go test, in one line:
//
//	fake := mocktest.New(t)
//
// The fake listens on a free 127.0.0.1 port until the test ends; point the
// client under test at fake.URL instead of https://api.weixin.qq.com. Drive
// it with its Go methods (Advance, MintToken, Reset) or fake.Admin (its
// admin API, over HTTP), and check what the client did with Expect.
//
// Each fake has its own tokens, clock, sequences and journal, so parallel
// tests with a fake each never see each other's state; they share the
// configuration, loaded once, so a fake costs well under a millisecond.
// Tests that share one fake keep their sequences apart with the header
// value "NAME; key=K".
package mocktest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/tcbmock/tcbmock/ca"
	"github.com/tcbmock/tcbmock/intercept"
	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
)

// The credentials of the embedded world, for tests to use as a client
// would: the demo app (with the official example's environment), the
// second app (a NORMAL and a HALTED environment), the flaky app (bound to
// the retry-then-ok scenario), and the third-party platform that manages
// the first two (the demo app granted it getenvinfo's permission set).
const (
	DemoAppID          = "wxd0c0ffee00000001"
	DemoSecret         = "d0c0ffee0000000000000000000000a1"
	SecondAppID        = "wxd0c0ffee00000002"
	SecondSecret       = "d0c0ffee0000000000000000000000a2"
	FlakyAppID         = "wxd0c0ffee00000003"
	FlakySecret        = "d0c0ffee0000000000000000000000a3"
	ComponentAppID     = "wxd0c0ffee0000c001"
	ComponentSecret    = "d0c0ffee00000000000000000000c0a1"
	VerifyTicket       = "ticket@@@d0c0ffee-verify-ticket"
	DemoRefreshToken   = "refreshtoken@@@d0c0ffee-demo-app-refresh-token"
	SecondRefreshToken = "refreshtoken@@@d0c0ffee-second-app-refresh-token"
)

// The credentials of the embedded world's apps that show an account's
// access: the guarded app, whose IP whitelist lets only 203.0.113.7 and
// 198.51.100.0/24 fetch its tokens (40164 from anywhere else), and the
// metered app, whose quota of each token API is 3 calls a day and 2 a
// minute (45009, 45011; clear_quota clears it).
const (
	GuardedAppID  = "wxd0c0ffee00000004"
	GuardedSecret = "d0c0ffee0000000000000000000000a4"
	MeteredAppID  = "wxd0c0ffee00000005"
	MeteredSecret = "d0c0ffee0000000000000000000000a5"
)

// TB is the part of testing.TB that New uses; *testing.T and *testing.B are TBs.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Fake is a fake api.weixin.qq.com serving one test. Like an
// [httptest.Server] it offers its URL and a client; its methods drive the
// fake in-process, as [Fake.Admin] does over HTTP.
type Fake struct {
	URL   string // the base URL, such as http://127.0.0.1:41234
	Admin *Admin // the admin API, over HTTP

	tb     TB
	server *mock.Server
	http   *httptest.Server
}

// New starts a fake with opts (mock.WithScenario, mock.WithConfig, …) on
// a free loopback port, and closes it when the test ends.
func New(tb TB, opts ...mock.Option) *Fake {
	tb.Helper()
	s, err := mock.New(opts...)
	if err != nil {
		tb.Fatalf("mocktest: %v", err)
	}
	srv := httptest.NewServer(s)
	tb.Cleanup(func() { s.CloseStreams(); srv.Close() }) // an admin page left open must not hold the test up
	return &Fake{URL: srv.URL, Admin: NewAdmin(srv.URL, srv.Client()), tb: tb, server: s, http: srv}
}

// Client returns an HTTP client for the fake, as [httptest.Server.Client] does.
func (f *Fake) Client() *http.Client { return f.http.Client() }

// Config returns the configuration the fake serves: its spec, world and scenarios.
func (f *Fake) Config() *mock.Config { return f.server.Config() }

// Reload serves c from the next request on; the fake's tokens, clock,
// sequences and journal stay.
func (f *Fake) Reload(c *mock.Config) error { return f.server.Reload(c) }

// Status says which configuration the fake serves, and how its last reload went.
func (f *Fake) Status() mock.ConfigStatus { return f.server.Status() }

// Now returns the time on the fake's clock.
func (f *Fake) Now() time.Time { return f.server.Now() }

// Advance moves the fake's clock d on, and returns its new time.
func (f *Fake) Advance(d time.Duration) (time.Time, error) { return f.server.Advance(d) }

// Reset puts the fake's tokens, clock, sequences and journal back to their start.
func (f *Fake) Reset() { f.server.Reset() }

// MintToken returns a token for appid that lives lifetime (7200 s when
// 0), bound to scenario unless it is "".
func (f *Fake) MintToken(appid, scenario string, lifetime time.Duration) (string, error) {
	return f.server.MintToken(appid, scenario, lifetime)
}

// Journal returns the requests the filter selects, oldest first, as GET
// /__tcbmock/requests lists them.
func (f *Fake) Journal(filter mock.Filter) []mock.Entry { return f.server.Journal(filter) }

// HTTPSProxy starts, on a free loopback port, a proxy in front of the fake
// that serves CONNECT api.weixin.qq.com:443 (and the regional hosts) with
// leaves signed by authority, and returns its URL: a client that keeps
// https://api.weixin.qq.com reaches the fake through it, trusting
// authority. The requests it refuses, such as a CONNECT to another host,
// are journaled. It closes when the test ends.
func (f *Fake) HTTPSProxy(authority *ca.CA) string {
	f.tb.Helper()
	p := intercept.New(f.server, authority, intercept.WithRefusals(bridge.Refusals(f.server)))
	srv := httptest.NewServer(p)
	f.tb.Cleanup(func() { p.Close(); srv.Close() })
	return srv.URL
}

// Scenarios returns the option that serves the embedded spec, world and
// scenarios with those of the scenario files in dir (every *.yaml in it)
// added: its apps join the world, its scenarios join the scenarios.
func Scenarios(tb TB, dir string) mock.Option {
	tb.Helper()
	files := mock.Embedded()
	files.Scenarios = append(files.Scenarios, mock.File{FS: os.DirFS(dir), Path: ".", Name: dir})
	c, err := mock.Load(contextOf(tb), files)
	if err != nil {
		tb.Fatalf("mocktest: %v", err)
	}
	return mock.WithConfig(c)
}

// contextOf returns the test's context when it has one (Go 1.24's t.Context).
func contextOf(tb TB) context.Context {
	if c, ok := tb.(interface{ Context() context.Context }); ok {
		return c.Context()
	}
	return context.Background()
}
