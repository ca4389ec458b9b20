package intercept_test

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/ca"
	"github.com/tcbmock/tcbmock/intercept"
	"github.com/tcbmock/tcbmock/mock"
)

// serveBoth serves h with HTTPS and HTTP on one free loopback port, with
// leaves for 127.0.0.1, and returns the port's address.
func serveBoth(t *testing.T, h http.Handler, authority *ca.CA, timeout time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		_ = srv.Serve(intercept.TLSOrPlain(ln, authority.ServerConfig("127.0.0.1", "localhost"), timeout))
	}()
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// trusting returns a client that trusts authority alone, through proxy if it is not "".
func trusting(t *testing.T, authority *ca.CA, proxy string) *http.Client {
	t.Helper()
	pool, err := authority.Pool()
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	if proxy != "" {
		u, _ := url.Parse(proxy)
		tr.Proxy = http.ProxyURL(u)
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

func get(t *testing.T, c *http.Client, target string) string {
	t.Helper()
	resp, err := c.Get(target)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

func TestHTTPSAndHTTPShareAPort(t *testing.T) {
	authority := ca.New(t.TempDir())
	addr := serveBoth(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil {
			_, _ = io.WriteString(w, "tls "+r.TLS.ServerName)
			return
		}
		_, _ = io.WriteString(w, "plain")
	}), authority, 5*time.Second)
	c := trusting(t, authority, "")
	for _, tc := range []struct{ name, url, want string }{
		{"http", "http://" + addr + "/", "plain"},
		{"https by address", "https://" + addr + "/", "tls "},
		{"https by name", "https://localhost:" + port(addr) + "/", "tls localhost"},
		{"http again", "http://" + addr + "/", "plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := get(t, c, tc.url); got != tc.want {
				t.Errorf("got %q; want %q", got, tc.want)
			}
		})
	}
}

func TestASilentClientHoldsUpNoOther(t *testing.T) {
	authority := ca.New(t.TempDir())
	addr := serveBoth(t, http.NotFoundHandler(), authority, time.Minute) // longer than the client waits
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	c := trusting(t, authority, "")
	c.Timeout = 5 * time.Second
	resp, err := c.Get("http://" + addr + "/")
	if err != nil {
		t.Fatalf("a request behind a silent client: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("got HTTP %d; want the handler's 404", resp.StatusCode)
	}
}

func TestASilentClientIsClosed(t *testing.T) {
	authority := ca.New(t.TempDir())
	addr := serveBoth(t, http.NotFoundHandler(), authority, 100*time.Millisecond)
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	_ = silent.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := silent.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("got %v; want EOF, its connection closed", err)
	}
}

func TestAClientOfAnHTTPSProxyReachesTheTunnels(t *testing.T) {
	authority := ca.New(t.TempDir())
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	p := intercept.New(m, authority)
	t.Cleanup(func() { p.Close() })
	addr := serveBoth(t, p, authority, 5*time.Second)
	c := trusting(t, authority, "https://"+addr) // TLS to the proxy, and TLS in the tunnel
	if got := get(t, c, "https://api.weixin.qq.com"+mock.AdminPrefix+"health"); got != `{"status":"ok"}` {
		t.Errorf("health through an HTTPS proxy: got %q", got)
	}
	if got := get(t, c, "https://api.weixin.qq.com"+tokenQuery); len(got) < 20 || got[:17] != `{"access_token":"` {
		t.Errorf("token through an HTTPS proxy: got %q", got)
	}
}

func TestAClosedListenerAcceptsNoMore(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := intercept.TLSOrPlain(inner, ca.New(t.TempDir()).ServerConfig("127.0.0.1"), time.Second)
	done := make(chan error, 1)
	go func() { _, err := ln.Accept(); done <- err }()
	ln.Close()
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("got %v; want net.ErrClosed", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Accept did not return after Close")
	}
}

func port(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

func TestAConnectionStillSniffedAtCloseIsClosed(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	took := make(chan struct{}, 1)
	ln := intercept.TLSOrPlain(tookListener{inner, took}, ca.New(t.TempDir()).ServerConfig("127.0.0.1"), time.Minute)
	go func() { // the server's first Accept starts the loop; it gets nothing
		if conn, err := ln.Accept(); err == nil {
			conn.Close()
		}
	}()
	conn, err := net.Dial("tcp", inner.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	<-took // the loop has it: it is being sniffed
	ln.Close()
	_, _ = conn.Write([]byte("G")) // its first byte, after Close: nobody will accept it
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Read(make([]byte, 1)); !errors.Is(err, io.EOF) && !isReset(err) {
		t.Errorf("got %v; want the connection closed", err)
	}
}

// tookListener says on took when it hands a connection to the accept loop.
type tookListener struct {
	net.Listener
	took chan<- struct{}
}

func (l tookListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err == nil {
		l.took <- struct{}{}
	}
	return conn, err
}

// isReset reports whether err is a connection reset by the peer.
func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "read" && !op.Timeout()
}
