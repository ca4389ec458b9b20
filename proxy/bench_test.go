package proxy_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/proxy"
)

// BenchmarkGetEnvInfo calls getenvinfo over loopback HTTP, through the
// proxy and straight to the fake it fronts: the difference is what the
// proxy costs an exchange (forwarding, checking, journaling). Every answer
// must be errcode 0 with no violation.
func BenchmarkGetEnvInfo(b *testing.B) {
	s := newBenchSetup(b)
	for _, tc := range []struct{ name, base string }{{"direct", s.upstream}, {"proxy", s.proxy}} {
		b.Run(tc.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			url := tc.base + "/tcb/getenvinfo?access_token=" + s.token
			b.ReportAllocs()
			for b.Loop() {
				resp, err := client.Post(url, "application/json", strings.NewReader("{}"))
				if err != nil {
					b.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if !strings.HasPrefix(string(body), `{"errcode":0,`) || resp.Header.Get(proxy.ViolationsHeader) != "" {
					b.Fatalf("got %s, violations %q; want errcode 0 and none", body, resp.Header.Values(proxy.ViolationsHeader))
				}
			}
		})
	}
}

type benchSetup struct{ upstream, proxy, token string }

func newBenchSetup(b *testing.B) benchSetup {
	b.Helper()
	s := newSetup(b, nil)
	resp, err := http.Post(s.srv.URL+"/cgi-bin/stable_token", "application/json",
		strings.NewReader(`{"grant_type":"client_credential","appid":"`+demoAppID+`","secret":"`+demoSecret+`"}`))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		b.Fatalf("no token: %v", err)
	}
	return benchSetup{upstream: s.upstream.URL, proxy: s.srv.URL, token: tok.AccessToken}
}
