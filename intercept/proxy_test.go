package intercept_test

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/ca"
	"github.com/tcbmock/tcbmock/intercept"
	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
)

func TestAClientThroughTheProxyGetsATokenAndTheEnvs(t *testing.T) {
	p := newProxied(t, nil)
	c := p.client()
	token := p.call(c, "GET", "https://api.weixin.qq.com"+tokenQuery, "")
	if token.Token == "" {
		t.Fatalf("token: got %s; want an access_token", token.body)
	}
	envs := p.call(c, "POST", "https://api.weixin.qq.com/tcb/getenvinfo?access_token="+token.Token, "{}")
	if envs.Errcode != 0 || len(envs.Envs) != 1 || envs.Envs[0].Env != "test2-4a89da" {
		t.Errorf("getenvinfo: got %s; want the demo app's env test2-4a89da", envs.body)
	}
	if got := len(p.fake.Journal(mock.Filter{Operation: "getEnvInfo", Errcode: mock.Code(0)})); got != 1 {
		t.Errorf("journal: got %d getEnvInfo entries; want 1", got)
	}
}

func TestEveryWeChatHostIsTunnelledWithItsOwnLeaf(t *testing.T) {
	p := newProxied(t, nil)
	c := p.client()
	for _, host := range intercept.Hosts() {
		t.Run(host, func(t *testing.T) {
			a := p.call(c, "GET", "https://"+host+tokenQuery, "")
			if a.Token == "" {
				t.Fatalf("got %s; want a token", a.body)
			}
			if got := a.resp.TLS.PeerCertificates[0].DNSNames; len(got) != 1 || got[0] != host {
				t.Errorf("leaf names: got %v; want [%s]", got, host)
			}
		})
	}
}

func TestATunnelIsServedAsPlainRequestsAre(t *testing.T) {
	p := newProxied(t, nil)
	c := p.client()
	for _, tc := range []struct {
		name, method, path, body string
		header                   []string
		status, errcode          int
	}{
		{"a scenario header", "POST", "/tcb/getenvinfo?access_token=x", "{}", []string{mock.ScenarioHeader + ": system-busy"}, 200, -1},
		{"a natural error", "GET", "/tcb/getenvinfo", "", nil, 200, 43002},
		{"the admin API", "GET", mock.AdminPrefix + "health", "", nil, 200, 0},
		{"no API at the path", "GET", "/nope", "", nil, 404, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := p.call(c, tc.method, "https://api.weixin.qq.com"+tc.path, tc.body, tc.header...)
			if a.resp.StatusCode != tc.status || a.Errcode != tc.errcode {
				t.Errorf("got HTTP %d errcode %d (%s); want HTTP %d errcode %d", a.resp.StatusCode, a.Errcode, a.body, tc.status, tc.errcode)
			}
		})
	}
	if got := len(p.fake.Journal(mock.Filter{Scenario: "system-busy"})); got != 1 {
		t.Errorf("journal: got %d entries of the scenario; want 1", got)
	}
}

func TestAbsoluteURLsOfWeChatHostsAreServed(t *testing.T) {
	p := newProxied(t, nil)
	c := p.client()
	a := p.call(c, "GET", "http://api.weixin.qq.com"+tokenQuery, "") // a plain-HTTP proxy request
	if a.Token == "" {
		t.Fatalf("http://api.weixin.qq.com: got %s; want a token", a.body)
	}
	self := strings.TrimPrefix(p.url, "http://")
	for _, tc := range []struct{ name, target string }{
		{"https, in absolute form", "https://api.weixin.qq.com" + tokenQuery},
		{"a regional host, its port said", "http://sh.api.weixin.qq.com:80" + tokenQuery},
		{"the proxy itself", "http://" + self + tokenQuery},
		{"the proxy itself, as localhost", "http://localhost:" + strings.Split(self, ":")[1] + tokenQuery},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := p.raw("GET " + tc.target + " HTTP/1.1\r\nHost: x\r\nProxy-Connection: keep-alive\r\n\r\n")
			if resp.StatusCode != 200 || !strings.Contains(body, `"access_token"`) {
				t.Errorf("got HTTP %d %s; want a token", resp.StatusCode, body)
			}
		})
	}
	for _, e := range p.fake.Journal(mock.Filter{Operation: "getAccessToken"}) {
		if e.Path != "/cgi-bin/token" || e.Header["Proxy-Connection"] != "" {
			t.Errorf("journal: path %q, Proxy-Connection %q; want /cgi-bin/token and no proxy header, as a plain request", e.Path, e.Header["Proxy-Connection"])
		}
	}
}

func TestOtherHostsAreRefusedJournaledAndNeverDialled(t *testing.T) {
	p := newProxied(t, nil)
	u := newUntouchable(t)
	other := u.Addr().String()
	for _, tc := range []struct {
		name, request, path string
		status              int
		cause               string
	}{
		{"CONNECT to a listener", "CONNECT " + other + " HTTP/1.1\r\nHost: " + other + "\r\n\r\n", other, 403, intercept.CauseOtherHost},
		{"CONNECT to another name", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", "example.com:443", 403, intercept.CauseOtherHost},
		{"CONNECT to a look-alike", "CONNECT api.weixin.qq.com.example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n", "api.weixin.qq.com.example.com:443", 403, intercept.CauseOtherHost},
		{"CONNECT to another port", "CONNECT api.weixin.qq.com:8443 HTTP/1.1\r\nHost: x\r\n\r\n", "api.weixin.qq.com:8443", 403, intercept.CauseOtherHost},
		{"CONNECT without a port", "CONNECT api.weixin.qq.com HTTP/1.1\r\nHost: x\r\n\r\n", "api.weixin.qq.com", 400, intercept.CauseBadTarget},
		{"an absolute URL of a listener", "GET http://" + other + "/x?secret=s HTTP/1.1\r\nHost: " + other + "\r\n\r\n", "http://" + other + "/x", 403, intercept.CauseOtherHost},
		{"an absolute URL of another port", "GET http://api.weixin.qq.com:8080/ HTTP/1.1\r\nHost: x\r\n\r\n", "http://api.weixin.qq.com:8080/", 403, intercept.CauseOtherHost},
		{"an absolute URL of another scheme", "GET ftp://api.weixin.qq.com/ HTTP/1.1\r\nHost: x\r\n\r\n", "ftp://api.weixin.qq.com/", 400, intercept.CauseBadTarget},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := p.raw(tc.request)
			if resp.StatusCode != tc.status || !strings.HasPrefix(body, "tcbmock: ") || strings.Count(body, "\n") != 1 || !strings.HasSuffix(body, "\n") {
				t.Errorf("got HTTP %d %q; want %d and one line tcbmock: why", resp.StatusCode, body, tc.status)
			}
			if strings.Contains(body, "secret=") {
				t.Errorf("the answer %q repeats the query", body)
			}
			got := p.fake.Journal(mock.Filter{Path: tc.path, Status: tc.status, Cause: tc.cause})
			if len(got) != 1 || got[0].Answer != body {
				t.Errorf("journal: got %+v; want one entry at %s with the answer", got, tc.path)
			}
		})
	}
	client := p.client() // a client told to go there through the proxy
	if _, err := client.Get("https://" + other + "/"); err == nil || !strings.Contains(err.Error(), "Forbidden") {
		t.Errorf("a Go client: got %v; want the proxy's 403 Forbidden", err)
	}
	if n := u.contacted(); n != 0 {
		t.Errorf("the other host was contacted %d times; want never", n)
	}
}

func TestAConnectWithoutAnAuthorityIsAnswered500(t *testing.T) {
	file := t.TempDir() + "/a-file"
	if err := writeFile(file); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		authority *ca.CA
		want      string
	}{
		{"one that does not load", ca.New(file), "no certificate: ca: stat " + file}, // a directory that is a file
		{"none", nil, "the proxy has no certificate authority"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := mock.New()
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(intercept.New(m, tc.authority, intercept.WithRefusals(bridge.Refusals(m))))
			defer srv.Close()
			resp, body := (&proxied{t: t, url: srv.URL}).raw("CONNECT api.weixin.qq.com:443 HTTP/1.1\r\nHost: api.weixin.qq.com:443\r\n\r\n")
			if resp.StatusCode != 500 || !strings.Contains(body, tc.want) {
				t.Errorf("got HTTP %d %q; want 500 and %q", resp.StatusCode, body, tc.want)
			}
			if got := m.Journal(mock.Filter{Cause: intercept.CauseNoCA}); len(got) != 1 {
				t.Errorf("journal: got %d entries; want 1", len(got))
			}
		})
	}
}

func TestBytesSentRightAfterTheConnectAreKept(t *testing.T) {
	p := newProxied(t, nil)
	pool, _ := p.authority.Pool()
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The ClientHello goes in the same write as the CONNECT, before its answer.
	eager := &eagerConn{Conn: conn, connect: "CONNECT api.weixin.qq.com:443 HTTP/1.1\r\nHost: api.weixin.qq.com:443\r\n\r\n"}
	tlsConn := tls.Client(eager, &tls.Config{ServerName: "api.weixin.qq.com", RootCAs: pool})
	req, _ := http.NewRequest("GET", "https://api.weixin.qq.com"+mock.AdminPrefix+"health", nil)
	if err := req.Write(tlsConn); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufioReader(tlsConn), req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("got %v, %v; want health's 200", resp, err)
	}
	if !eager.together {
		t.Error("the ClientHello was not sent with the CONNECT: the test tests nothing")
	}
}

func TestAClosedProxyOpensNoTunnel(t *testing.T) {
	p := newProxied(t, nil)
	c := p.client()
	if a := p.call(c, "GET", "https://api.weixin.qq.com"+mock.AdminPrefix+"health", ""); a.resp.StatusCode != 200 {
		t.Fatalf("before Close: HTTP %d", a.resp.StatusCode)
	}
	if err := p.proxy.Close(); err != nil {
		t.Fatal(err)
	}
	c.CloseIdleConnections()
	if resp, err := c.Get("https://api.weixin.qq.com" + mock.AdminPrefix + "health"); err == nil {
		resp.Body.Close()
		t.Errorf("after Close: got HTTP %d; want no tunnel", resp.StatusCode)
	}
}

func TestAnAbsoluteURLReachesTheHandlerInOriginForm(t *testing.T) {
	var got []string
	record := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = []string{r.URL.String(), r.RequestURI, r.Host, r.Header.Get("Proxy-Authorization") + r.Header.Get("Proxy-Connection")}
	})
	p := intercept.New(record, ca.New(t.TempDir()))
	srv := httptest.NewServer(p)
	defer srv.Close()
	(&proxied{t: t, url: srv.URL}).raw("GET http://user:pw@API.weixin.qq.com./cgi-bin/token?x=1 HTTP/1.1\r\nHost: api.weixin.qq.com\r\nProxy-Authorization: Basic eDp5\r\nProxy-Connection: keep-alive\r\n\r\n")
	want := []string{"/cgi-bin/token?x=1", "/cgi-bin/token?x=1", "API.weixin.qq.com.", ""}
	if !slices.Equal(got, want) {
		t.Errorf("the handler saw URL, RequestURI, Host, proxy headers %q; want %q", got, want)
	}
}

func TestAServedHostMayBeSpeltInAnyCase(t *testing.T) {
	p := newProxied(t, nil)
	for _, host := range []string{"API.Weixin.QQ.com", "api.weixin.qq.com."} {
		t.Run(host, func(t *testing.T) {
			resp, body := p.raw("CONNECT " + host + ":443 HTTP/1.1\r\nHost: x\r\n\r\n")
			if resp.StatusCode != 200 {
				t.Errorf("got HTTP %d %q; want 200, a tunnel", resp.StatusCode, body)
			}
		})
	}
}

func TestATunnelOutlivesTheProxyServersReadTimeout(t *testing.T) {
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	authority := ca.New(t.TempDir())
	proxy := intercept.New(m, authority)
	srv := httptest.NewUnstartedServer(proxy)
	srv.Config.ReadTimeout = 50 * time.Millisecond // the proxy's server's; the tunnel's server has its own
	srv.Start()
	t.Cleanup(func() { proxy.Close(); srv.Close() })
	c := (&proxied{t: t, url: srv.URL, authority: authority, fake: m}).client()
	for i := range 2 {
		if a := (&proxied{t: t, fake: m}).call(c, "GET", "https://api.weixin.qq.com"+mock.AdminPrefix+"health", ""); a.resp.StatusCode != 200 {
			t.Fatalf("request %d: HTTP %d", i, a.resp.StatusCode)
		}
		time.Sleep(150 * time.Millisecond) // the tunnel stays open, idle, past the read timeout
	}
}
