package intercept_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// BenchmarkRequestInATunnel sends health through one kept-alive tunnel.
func BenchmarkRequestInATunnel(b *testing.B) {
	p := newProxied(b, nil)
	c := p.client()
	benchGet(b, c, "https://api.weixin.qq.com"+mock.AdminPrefix+"health")
}

// BenchmarkNewTunnel opens a tunnel per request: CONNECT and a TLS handshake each.
func BenchmarkNewTunnel(b *testing.B) {
	p := newProxied(b, nil)
	c := p.client()
	c.Transport.(*http.Transport).DisableKeepAlives = true
	benchGet(b, c, "https://api.weixin.qq.com"+mock.AdminPrefix+"health")
}

// BenchmarkPlainRequestThroughTheProxy is a plain request to the proxy's handler.
func BenchmarkPlainRequestThroughTheProxy(b *testing.B) {
	p := newProxied(b, nil)
	benchGet(b, &http.Client{}, p.url+mock.AdminPrefix+"health")
}

func benchGet(b *testing.B, c *http.Client, url string) {
	b.Helper()
	for b.Loop() {
		resp, err := c.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("HTTP %d", resp.StatusCode)
		}
	}
}
