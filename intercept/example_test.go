package intercept_test

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"

	"github.com/tcbmock/tcbmock/ca"
	"github.com/tcbmock/tcbmock/intercept"
	"github.com/tcbmock/tcbmock/mock"
)

// A client that keeps https://api.weixin.qq.com reaches the fake through
// the proxy, trusting the local authority.
func ExampleNew() {
	dir, _ := os.MkdirTemp("", "tcbmock-ca")
	defer os.RemoveAll(dir)
	m, _ := mock.New()
	authority := ca.New(dir)
	p := intercept.New(m, authority)
	defer p.Close()
	srv := httptest.NewServer(p)
	defer srv.Close()

	pool, _ := authority.Pool() // or DIR/ca.pem, for any other client
	proxy, _ := url.Parse(srv.URL)
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: pool}}}

	resp, err := client.Get("https://api.weixin.qq.com/__tcbmock/health")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.TLS.PeerCertificates[0].DNSNames, string(body))

	_, err = client.Get("https://example.com/")
	fmt.Println(err)
	// Output:
	// [api.weixin.qq.com] {"status":"ok"}
	// Get "https://example.com/": Forbidden
}
