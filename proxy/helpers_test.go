package proxy_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/syncbuf"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
	"github.com/tcbmock/tcbmock/proxy"
)

// Credentials of the default world.
const (
	demoAppID    = mocktest.DemoAppID
	demoSecret   = mocktest.DemoSecret
	secondAppID  = mocktest.SecondAppID
	secondSecret = mocktest.SecondSecret
)

// setup is a proxy under test in front of an upstream, both on 127.0.0.1.
type setup struct {
	fake     *mock.Server // the upstream's fake
	upstream *httptest.Server
	proxy    *proxy.Proxy
	srv      *httptest.Server // the proxy's
	log      *syncBuffer
}

// newSetup runs a proxy in front of the fake wrapped by wrap (nil: the fake itself).
func newSetup(t testing.TB, wrap func(http.Handler) http.Handler, opts ...proxy.Option) *setup {
	t.Helper()
	fake, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = fake
	if wrap != nil {
		h = wrap(fake)
	}
	upstream := httptest.NewServer(h)
	t.Cleanup(upstream.Close)
	s := &setup{fake: fake, upstream: upstream, log: &syncBuffer{}}
	s.proxy, s.srv = startProxy(t, upstream.URL, s.log, opts...)
	return s
}

// startProxy serves a proxy to upstream on 127.0.0.1, logging to log.
func startProxy(t testing.TB, upstream string, log io.Writer, opts ...proxy.Option) (*proxy.Proxy, *httptest.Server) {
	t.Helper()
	p, err := proxy.New(upstream, append([]proxy.Option{proxy.WithLogger(textLogger(log))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv
}

// reply is an answer as the client got it.
type reply struct {
	Status  int
	Header  http.Header
	Body    []byte
	Errcode int    `json:"errcode"`
	Errmsg  string `json:"errmsg"`
}

// do sends a request to base; header is "Name: value" lines.
func do(t *testing.T, base, method, target, body string, header ...string) reply {
	t.Helper()
	r, err := http.NewRequestWithContext(t.Context(), method, base+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range header {
		k, v, _ := strings.Cut(h, ":")
		r.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rep := reply{Status: resp.StatusCode, Header: resp.Header}
	if rep.Body, err = io.ReadAll(resp.Body); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(rep.Body, &rep)
	return rep
}

// token gets a stable token for the app through base.
func token(t *testing.T, base, appid, secret string) string {
	t.Helper()
	rep := do(t, base, "POST", "/cgi-bin/stable_token", `{"grant_type":"client_credential","appid":"`+appid+`","secret":"`+secret+`"}`)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(rep.Body, &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("no token: HTTP %d %s", rep.Status, rep.Body)
	}
	return tok.AccessToken
}

// journal reads the proxy's journal over its admin API.
func journal(t *testing.T, base, query string) []mock.Entry {
	t.Helper()
	rep := do(t, base, "GET", "/__tcbmock/requests"+query, "")
	var j struct {
		Requests []mock.Entry `json:"requests"`
	}
	if err := json.Unmarshal(rep.Body, &j); err != nil || rep.Status != http.StatusOK {
		t.Fatalf("journal: HTTP %d %s (%v)", rep.Status, rep.Body, err)
	}
	return j.Requests
}

// syncBuffer is a log a test reads while a server writes it.
type syncBuffer = syncbuf.Buffer
