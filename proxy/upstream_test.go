package proxy_test

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/proxy"
)

func TestNewRefusesAnUpstreamItWillNotForwardTo(t *testing.T) {
	for _, tc := range []struct{ name, upstream, want string }{
		{"not http", "ftp://api.weixin.qq.com", "want an https:// URL"},
		{"no scheme", "api.weixin.qq.com", "want an https:// URL"},
		{"http off this machine", "http://api.weixin.qq.com", "http:// is only for this machine"},
		{"http to a private address", "http://10.1.2.3:8080", "http:// is only for this machine"},
		{"credentials", "https://user:pw@api.weixin.qq.com", "credentials in the URL"},
		{"a path", "https://api.weixin.qq.com/cgi-bin", "only a scheme and a host"},
		{"a query", "https://api.weixin.qq.com/?a=1", "only a scheme and a host"},
		{"no host", "https://", "no host"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := proxy.New(tc.upstream)
			if !errors.Is(err, proxy.ErrUpstream) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v; want ErrUpstream saying %q", err, tc.want)
			}
		})
	}
	for _, ok := range []string{"https://api.weixin.qq.com", "https://api.weixin.qq.com/", "http://127.0.0.1:8080", "http://[::1]:8080", "http://localhost:8080"} {
		if _, err := proxy.New(ok); err != nil {
			t.Errorf("%s: got %v; want it accepted", ok, err)
		}
	}
}

// counting is a server that counts the requests it gets.
func counting(t *testing.T, h http.Handler) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestTheAdminAPIIsNeverForwarded(t *testing.T) {
	upstream, got := counting(t, http.NotFoundHandler())
	_, srv := startProxy(t, upstream.URL, &syncBuffer{})
	for _, tc := range []struct{ method, path string }{
		{"GET", "/__tcbmock/requests"},
		{"POST", "/__tcbmock/clock"},
		{"POST", "/__tcbmock/reset"},
		{"GET", "/__tcbmock"},
		{"POST", "/cgi-bin/../__tcbmock/reset"},
		{"POST", "//__tcbmock/reset"},
		{"GET", "/__tcbmock/apps"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			rep := rawRequest(t, srv.URL, tc.method+" "+tc.path+" HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
			_, body, _ := strings.Cut(rep, "\r\n\r\n")
			var answer map[string]any
			if err := json.Unmarshal([]byte(body), &answer); err != nil || answer["errcode"] != nil || !strings.Contains(rep, "Content-Type: application/json\r\n") {
				t.Errorf("got %q; want the admin API's answer, not a WeChat one", rep)
			}
		})
	}
	if n := got.Load(); n != 0 {
		t.Errorf("the upstream got %d requests; want none", n)
	}
}

func TestOnlyTheUpstreamIsContactedWhateverTheRequestNames(t *testing.T) {
	other, toOther := counting(t, http.NotFoundHandler())
	upstream, toUpstream := counting(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, other.URL+"/cgi-bin/token", http.StatusFound)
			return
		}
		http.NotFound(w, r)
	}))
	_, srv := startProxy(t, upstream.URL, &syncBuffer{})
	host := strings.TrimPrefix(other.URL, "http://")
	for _, tc := range []struct{ name, req, want string }{
		{"absolute-form", "GET " + other.URL + "/cgi-bin/token HTTP/1.1\r\nHost: " + host + "\r\n\r\n", "HTTP/1.1 404"},
		{"another host", "GET /cgi-bin/token HTTP/1.1\r\nHost: " + host + "\r\n\r\n", "HTTP/1.1 404"},
		{"CONNECT", "CONNECT " + host + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n", "HTTP/1.1 405"},
		{"X-Forwarded-Host", "GET /cgi-bin/token HTTP/1.1\r\nHost: x\r\nX-Forwarded-Host: " + host + "\r\n\r\n", "HTTP/1.1 404"},
		{"an upstream's redirect, passed, not followed", "GET /redirect HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 302"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rawRequest(t, srv.URL, tc.req); !strings.HasPrefix(got, tc.want) {
				t.Errorf("got %q; want %s", got, tc.want)
			}
		})
	}
	if n := toOther.Load(); n != 0 {
		t.Errorf("another server got %d requests; want none", n)
	}
	if n := toUpstream.Load(); n != 4 {
		t.Errorf("the upstream got %d requests; want the 4 that were not CONNECT", n)
	}
}

func TestConnectIsRefused(t *testing.T) {
	upstream, _ := counting(t, http.NotFoundHandler())
	_, srv := startProxy(t, upstream.URL, &syncBuffer{})
	rep := rawRequest(t, srv.URL, "CONNECT api.weixin.qq.com:443 HTTP/1.1\r\nHost: api.weixin.qq.com:443\r\n\r\n")
	if !strings.HasPrefix(rep, "HTTP/1.1 405") || !strings.Contains(rep, `"errcode":-1`) || !strings.Contains(rep, "CONNECT is not forwarded") {
		t.Errorf("got %q; want HTTP 405 with a JSON -1 saying why", rep)
	}
}

// rawRequest writes req on a connection to base and returns what comes back.
func rawRequest(t *testing.T, base, req string) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64<<10)
	n, _ := conn.Read(buf)
	return string(buf[:n])
}

func TestTheProxysAdminAPIIsItsJournal(t *testing.T) {
	upstream, _ := counting(t, http.NotFoundHandler())
	_, srv := startProxy(t, upstream.URL, &syncBuffer{})
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/__tcbmock/health", 200},
		{"GET", "/__tcbmock/config", 200},
		{"GET", "/__tcbmock/requests", 200},
		{"DELETE", "/__tcbmock/requests", 200},
		{"GET", "/__tcbmock/apps", 404},
		{"POST", "/__tcbmock/tokens", 404},
		{"POST", "/__tcbmock/clock", 404},
		{"POST", "/__tcbmock/reset", 404},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			if rep := do(t, srv.URL, tc.method, tc.path, `{"appid":"`+demoAppID+`"}`); rep.Status != tc.want {
				t.Errorf("got HTTP %d %s; want %d", rep.Status, rep.Body, tc.want)
			}
		})
	}
}
