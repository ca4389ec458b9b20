// Package mocktest starts a tcbmock fake for one Go test, in one line:
//
//	fake := mocktest.New(t)
//
// The fake listens on a free 127.0.0.1 port until the test ends; point the
// client under test at fake.URL instead of https://api.weixin.qq.com. Drive
// it with fake.Admin (its admin API, over HTTP) or its Go methods (Advance,
// MintToken, Reset), and check what the client did with fake.Journal.
//
// Each fake has its own tokens, clock, sequences and journal, so parallel
// tests with a fake each never see each other's state. Tests that share one
// fake keep their sequences apart with the header value "NAME; key=K".
package mocktest

import (
	"io/fs"
	"net/http/httptest"

	"github.com/tcbmock/tcbmock/mock"
)

// TB is the part of testing.TB that New uses; *testing.T and *testing.B are TBs.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Fake is a fake api.weixin.qq.com serving one test.
type Fake struct {
	*mock.Server
	URL     string   // the base URL, such as http://127.0.0.1:41234
	Admin   *Admin   // the admin API, over HTTP
	Journal *Journal // what the fake answered
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
	tb.Cleanup(srv.Close)
	return &Fake{Server: s, URL: srv.URL, Admin: NewAdmin(srv.URL, srv.Client()), Journal: &Journal{s: s}}
}

// Scenarios returns the option that serves the embedded spec and world with
// the scenario files of dir (every *.yaml in it) instead of the embedded ones.
func Scenarios(tb TB, dir fs.FS) mock.Option {
	tb.Helper()
	files := mock.EmbeddedFiles()
	files.ScenarioFS, files.ScenarioName = dir, "scenarios"
	c, err := mock.Load(contextOf(tb), files)
	if err != nil {
		tb.Fatalf("mocktest: %v", err)
	}
	return mock.WithConfig(c)
}
