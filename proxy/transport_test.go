package proxy

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAnHTTPUpstreamConnectsOnlyToThisMachine(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:80": true, "127.9.9.9:80": true, "[::1]:80": true,
		"10.1.2.3:80": false, "93.184.216.34:443": false, "[2001:db8::1]:80": false, "not-an-address": false,
	} {
		if err := loopbackOnly("tcp", addr, nil); (err == nil) != ok {
			t.Errorf("loopbackOnly(%s) = %v; want allowed %v", addr, err, ok)
		}
	}
}

func TestTheTransportHasTheTimeoutsAndNoProxy(t *testing.T) {
	u, _ := url.Parse("https://api.weixin.qq.com")
	tr := newTransport(u, Timeouts{Connect: 3 * time.Second, Header: 4 * time.Second}, nil)
	if tr.TLSHandshakeTimeout != 3*time.Second || tr.ResponseHeaderTimeout != 4*time.Second || tr.Proxy != nil || !tr.DisableCompression {
		t.Errorf("got TLS handshake %v, headers %v, proxy set %v, compression off %v; want 3s, 4s, no proxy, off",
			tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout, tr.Proxy != nil, tr.DisableCompression)
	}
}

func TestHeaderValuesEscapeWhatIsNotPrintableASCII(t *testing.T) {
	for in, want := range map[string]string{
		"plain":              "plain",
		"基础版":                `\u57fa\u7840\u7248`,
		"tab\there\nnewline": `tab\u0009here\u000anewline`,
		"😀":                  `\ud83d\ude00`,
	} {
		if got := headerValues([]string{in})[0]; got != want {
			t.Errorf("headerValues(%q) = %q; want %q", in, got, want)
		}
	}
	if got := headerValues(make([]string, 20)); len(got) != maxHeaderLines || !strings.Contains(got[maxHeaderLines-1], "and 5 more") {
		t.Errorf("20 lines: got %d values, %q; want %d, the last saying 5 more", len(got), got[len(got)-1], maxHeaderLines)
	}
}

func TestOwnersForgetTheOldestTokenFirst(t *testing.T) {
	o := newOwners(2)
	o.add("a", owner{appid: "wxa"})
	o.add("b", owner{appid: "wxb"})
	o.add("a", owner{appid: "wxa2"}) // known: updated in place
	o.add("c", owner{appid: "wxc"})
	for token, want := range map[string]string{"a": "", "b": "wxb", "c": "wxc"} {
		if got, _ := o.lookup(token); got.appid != want {
			t.Errorf("lookup(%s) = %q; want %q", token, got.appid, want)
		}
	}
	if len(o.byKey) != 2 {
		t.Errorf("remembers %d tokens; want 2", len(o.byKey))
	}
}

func TestTheContentTypeMustBeTheRealServers(t *testing.T) {
	for ct, ok := range map[string]bool{
		"application/json; encoding=utf-8":      true,
		"Application/JSON;Encoding=UTF-8":       true,
		"application/json;  encoding=utf-8":     true,
		"application/json; charset=utf-8":       false,
		"application/json":                      false,
		"text/plain; encoding=utf-8":            false,
		"":                                      false,
		"application/json; encoding=utf-8; x=1": false,
	} {
		if _, got := contentType(ct); got != ok {
			t.Errorf("contentType(%q) fits: got %v; want %v", ct, got, ok)
		}
	}
}

// countingReader reads n zero bytes, counting what was read.
type countingReader struct{ n, read int }

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.n {
		return 0, io.EOF
	}
	k := min(len(p), c.n-c.read)
	clear(p[:k])
	c.read += k
	return k, nil
}

func TestReadAtMostHoldsTheLimitAndLeavesTheRest(t *testing.T) {
	for _, tc := range []struct {
		name        string
		size, limit int
		rest        bool
	}{
		{"under the limit", 10, 16, false},
		{"at the limit", 16, 16, false},
		{"over it", 10 << 20, 1 << 20, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &countingReader{n: tc.size}
			read, rest, err := readAtMost(r, tc.limit)
			if err != nil || len(read) != min(tc.size, tc.limit) || (rest != nil) != tc.rest || r.read > tc.limit+32<<10 {
				t.Fatalf("got %d bytes, rest %v, %v, having read %d; want %d, rest %v, at most the limit read", len(read), rest != nil, err, r.read, min(tc.size, tc.limit), tc.rest)
			}
			if rest != nil {
				n, _ := io.Copy(io.Discard, rest)
				if int(n)+len(read) != tc.size {
					t.Errorf("read %d and the rest %d; want %d in all", len(read), n, tc.size)
				}
			}
		})
	}
}

func TestAnHTTPUpstreamsTransportDialsOnlyThisMachine(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	u, _ := url.Parse("http://localhost")
	tr := newTransport(u, Timeouts{Connect: time.Second}, nil)
	conn, err := tr.DialContext(t.Context(), "tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatalf("dial 127.0.0.1: %v", err)
	}
	conn.Close()
	// 0.0.0.0 reaches this machine too, but is no loopback address: refused, as any other would be.
	if conn, err := tr.DialContext(t.Context(), "tcp", fmt.Sprintf("0.0.0.0:%d", port)); err == nil || !strings.Contains(err.Error(), "not on this machine") {
		if conn != nil {
			conn.Close()
		}
		t.Errorf("dial 0.0.0.0: %v; want it refused", err)
	}
}
