package intercept_test

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/ca"
	"github.com/tcbmock/tcbmock/intercept"
	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// proxied is a fake behind a proxy on a free loopback port.
type proxied struct {
	t         testing.TB
	fake      *mock.Server
	authority *ca.CA
	proxy     *intercept.Proxy
	url       string // the proxy's URL, http://127.0.0.1:PORT
}

func newProxied(t testing.TB, authority *ca.CA) *proxied {
	t.Helper()
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	if authority == nil {
		authority = ca.New(t.TempDir())
	}
	p := intercept.New(m, authority, intercept.WithRefusals(bridge.Refusals(m)))
	srv := httptest.NewServer(p)
	t.Cleanup(func() { p.Close(); srv.Close() })
	return &proxied{t: t, fake: m, authority: authority, proxy: p, url: srv.URL}
}

// client returns a client that sends every request through the proxy and
// trusts the authority alone.
func (p *proxied) client() *http.Client {
	p.t.Helper()
	pool, err := p.authority.Pool()
	if err != nil {
		p.t.Fatal(err)
	}
	proxyURL, _ := url.Parse(p.url)
	return &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL), TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}
}

// answer is a WeChat answer as a client sees it.
type answer struct {
	resp    *http.Response
	body    []byte
	Errcode int    `json:"errcode"`
	Token   string `json:"access_token"`
	Envs    []struct {
		Env string `json:"env"`
	} `json:"info_list"`
}

// call sends a request with c and reads its answer; a WeChat answer is
// checked against the spec, the oracle.
func (p *proxied) call(c *http.Client, method, target, body string, header ...string) answer {
	p.t.Helper()
	req, err := http.NewRequestWithContext(p.t.Context(), method, target, strings.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	for _, h := range header {
		name, value, _ := strings.Cut(h, ": ")
		req.Header.Set(name, value)
	}
	resp, err := c.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	a := answer{resp: resp}
	if a.body, err = io.ReadAll(resp.Body); err != nil {
		p.t.Fatal(err)
	}
	if !strings.Contains(target, mock.AdminPrefix) && resp.StatusCode == http.StatusOK {
		if err := bridge.Spec(p.fake.Config()).ValidateResponse(p.t.Context(), req, resp.StatusCode, resp.Header, a.body); err != nil {
			p.t.Errorf("%s %s: %v", method, target, err)
		}
		if err := json.Unmarshal(a.body, &a); err != nil {
			p.t.Errorf("%s %s: %s: %v", method, target, a.body, err)
		}
	}
	return a
}

// raw sends text on a new connection to the proxy and returns the answer.
func (p *proxied) raw(text string) (*http.Response, string) {
	p.t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
	if err != nil {
		p.t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, text); err != nil {
		p.t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: strings.Fields(text)[0]})
	if err != nil {
		p.t.Fatalf("%q: %v", text, err)
	}
	if resp.Request.Method == http.MethodConnect && resp.StatusCode == http.StatusOK {
		return resp, "" // a tunnel: what follows is the client's
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// untouchable is a listener that no test may contact: it counts the
// connections it gets.
type untouchable struct {
	net.Listener
	contacts chan net.Conn
}

func newUntouchable(t *testing.T) *untouchable {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &untouchable{Listener: ln, contacts: make(chan net.Conn, 16)}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			u.contacts <- conn
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return u
}

// contacted returns how many connections the listener got.
func (u *untouchable) contacted() int { return len(u.contacts) }

// tokenQuery is the query of a token request for the demo app.
const tokenQuery = "/cgi-bin/token?grant_type=client_credential&appid=" + mocktest.DemoAppID + "&secret=" + mocktest.DemoSecret

// eagerConn sends a CONNECT in the same write as the first bytes of what
// follows, as an eager client does, and skips the CONNECT's answer.
type eagerConn struct {
	net.Conn
	connect  string
	sent     bool
	answered bool
	together bool // the CONNECT went with other bytes
}

func (c *eagerConn) Write(b []byte) (int, error) {
	if c.sent {
		return c.Conn.Write(b)
	}
	c.sent, c.together = true, len(b) > 0
	if _, err := c.Conn.Write(append([]byte(c.connect), b...)); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (c *eagerConn) Read(b []byte) (int, error) {
	if !c.answered {
		c.answered = true
		var head []byte
		one := make([]byte, 1)
		for !strings.HasSuffix(string(head), "\r\n\r\n") { // byte by byte: what follows is TLS
			if _, err := c.Conn.Read(one); err != nil {
				return 0, err
			}
			head = append(head, one[0])
		}
		if !strings.HasPrefix(string(head), "HTTP/1.1 200 ") {
			return 0, fmt.Errorf("CONNECT answered %q", head)
		}
	}
	return c.Conn.Read(b)
}

func bufioReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }

// writeFile makes a file at path.
func writeFile(path string) error { return os.WriteFile(path, []byte("not a directory"), 0o600) }
