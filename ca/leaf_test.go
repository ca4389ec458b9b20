package ca_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/ca"
)

// clock is a settable time.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func TestALeafIsReusedWhileValid(t *testing.T) {
	clk := &clock{now: time.Now()}
	c, _ := load(t, t.TempDir(), ca.WithClock(clk.Now))
	first, err := c.Leaf("api.weixin.qq.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		after time.Duration
		same  bool
	}{
		{"at once", 0, true},
		{"an hour later", time.Hour, true},
		{"in the leaf's last hour", ca.LeafLifetime - ca.LeafRenewal, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk.now = first.Leaf.NotBefore.Add(time.Hour + tc.after) // NotBefore is an hour before it was made
			leaf, err := c.Leaf("API.weixin.qq.com.")                // the same name, spelt otherwise
			if err != nil {
				t.Fatal(err)
			}
			if got := leaf.Leaf.SerialNumber.Cmp(first.Leaf.SerialNumber) == 0; got != tc.same {
				t.Errorf("same leaf: got %v; want %v", got, tc.same)
			}
		})
	}
}

func TestLeavesOfOtherNamesDiffer(t *testing.T) {
	c, _ := load(t, t.TempDir())
	a, _ := c.Leaf("api.weixin.qq.com")
	b, err := c.Leaf("sh.api.weixin.qq.com")
	if err != nil || a == b {
		t.Fatalf("got %p, %p, %v; want two leaves", a, b, err)
	}
	if got := b.Leaf.DNSNames; len(got) != 1 || got[0] != "sh.api.weixin.qq.com" {
		t.Errorf("DNS names: got %v; want [sh.api.weixin.qq.com]", got)
	}
}

func TestALeafIsShortLivedAndForServers(t *testing.T) {
	now := time.Now()
	c, _ := load(t, t.TempDir(), ca.WithClock(func() time.Time { return now }))
	leaf, err := c.Leaf("localhost", "127.0.0.1", "::1", "api.weixin.qq.com")
	if err != nil {
		t.Fatal(err)
	}
	l := leaf.Leaf
	switch {
	case !l.NotAfter.Equal(now.Add(ca.LeafLifetime).Truncate(time.Second)):
		t.Errorf("NotAfter: got %s; want a day on", l.NotAfter)
	case l.IsCA || len(l.ExtKeyUsage) != 1 || l.ExtKeyUsage[0] != x509.ExtKeyUsageServerAuth:
		t.Errorf("IsCA %v, ext key usage %v; want a server's leaf", l.IsCA, l.ExtKeyUsage)
	case len(l.IPAddresses) != 2 || len(l.DNSNames) != 2:
		t.Errorf("names: got %v %v; want localhost, api.weixin.qq.com, 127.0.0.1 and ::1", l.DNSNames, l.IPAddresses)
	}
}

func TestNamesTheAuthorityCannotSignForAreRefused(t *testing.T) {
	c, _ := load(t, t.TempDir())
	for _, tc := range []struct{ name, host string }{
		{"outside the constraints", "example.com"},
		{"a look-alike", "weixin.qq.com.example.com"},
		{"an address outside the loopback", "10.0.0.1"},
		{"not a host name", "bad name"},
		{"empty", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := c.Leaf(tc.host); !errors.Is(err, ca.ErrName) {
				t.Errorf("Leaf(%q): got %v; want ErrName", tc.host, err)
			}
		})
	}
}

func TestAClientThatTrustsTheAuthorityAcceptsServerConfig(t *testing.T) {
	c, _ := load(t, t.TempDir())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.NotFoundHandler(), ReadHeaderTimeout: time.Second}
	go func() { _ = srv.Serve(tls.NewListener(ln, c.ServerConfig("localhost", "127.0.0.1"))) }()
	defer srv.Close()
	pool, err := c.Pool()
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	for _, host := range []string{"127.0.0.1", "localhost"} {
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
		resp, err := client.Get("https://" + net.JoinHostPort(host, port))
		if err != nil {
			t.Errorf("%s: %v", host, err)
			continue
		}
		resp.Body.Close()
		if got := resp.TLS.NegotiatedProtocol; got != "http/1.1" {
			t.Errorf("%s: ALPN protocol %q; want http/1.1, which a hijacked connection needs", host, got)
		}
	}
}
