package proxy_test

import (
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/proxy"
)

// closedPort returns the URL of a port on 127.0.0.1 nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	return url
}

// waiting answers after wait, or when the request ends; headerFirst sends
// the headers (and half a body) before it waits.
func waiting(wait time.Duration, headerFirst bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that the server sees the connection close
		if headerFirst {
			w.Header().Set("Content-Type", apispec.ContentType)
			w.Header().Set("Content-Length", "40")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"errcode":0,`))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-time.After(wait):
		}
	})
}

func TestAnUpstreamThatDoesNotAnswerGetsTheProxysJSONMinus1(t *testing.T) {
	const secretToken = "97_secretsecretsecretsecretsecretsecretsecret"
	for _, tc := range []struct {
		name     string
		upstream func(t *testing.T) string
		timeouts proxy.Timeouts
		status   int
		want     string
	}{
		{"unreachable", closedPort, proxy.Timeouts{}, http.StatusBadGateway, "could not be reached"},
		{"slow headers", func(t *testing.T) string { return server(t, waiting(10*time.Second, false)) },
			proxy.Timeouts{Header: 100 * time.Millisecond}, http.StatusGatewayTimeout, "did not answer in time"},
		{"slow body", func(t *testing.T) string { return server(t, waiting(10*time.Second, true)) },
			proxy.Timeouts{Answer: 200 * time.Millisecond}, http.StatusGatewayTimeout, "did not answer in time"},
		{"a body that breaks off", func(t *testing.T) string { return server(t, waiting(0, true)) },
			proxy.Timeouts{}, http.StatusBadGateway, "broke off"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := &syncBuffer{}
			p, srv := startProxy(t, tc.upstream(t), log, proxy.WithTimeouts(tc.timeouts))
			// The slow upstreams wait 10 s: a 504 says the proxy's timeout
			// ended the exchange, without timing it.
			rep := do(t, srv.URL, "POST", "/tcb/getenvinfo?access_token="+secretToken, "{}")
			if rep.Status != tc.status || rep.Errcode != -1 || !strings.Contains(rep.Errmsg, tc.want) || rep.Header.Get("Content-Type") != apispec.ContentType {
				t.Errorf("got HTTP %d %s %s; want %d, JSON errcode -1 saying %q", rep.Status, rep.Header.Get("Content-Type"), rep.Body, tc.status, tc.want)
			}
			entries := p.Journal(mock.Filter{})
			if len(entries) != 1 || entries[0].Cause != "upstream failure" || entries[0].Errcode != nil || entries[0].Status != tc.status || len(entries[0].Violations) != 0 {
				t.Fatalf("journal %+v; want one upstream failure, no errcode, no violations", entries)
			}
			if sum := p.Summary(); sum.UpstreamFailures != 1 || sum.Violating != 0 {
				t.Errorf("summary %+v; want one upstream failure, no violation", sum)
			}
			all, _ := json.Marshal(entries)
			for where, text := range map[string]string{"answer": string(rep.Body), "journal": string(all), "log": log.String()} {
				if strings.Contains(text, secretToken) {
					t.Errorf("the %s holds the token in clear: %s", where, text)
				}
			}
			if !strings.Contains(log.String(), "upstream failure") {
				t.Errorf("log %q; want the failure", log.String())
			}
		})
	}
}

// server serves h on 127.0.0.1 until the test ends.
func server(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestAnHTTPSUpstreamIsVerified(t *testing.T) {
	fake, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	upstream := httptest.NewTLSServer(fake)
	t.Cleanup(upstream.Close)
	_, untrusted := startProxy(t, upstream.URL, &syncBuffer{})
	if rep := do(t, untrusted.URL, "GET", "/cgi-bin/token", ""); rep.Status != http.StatusBadGateway || !strings.Contains(rep.Errmsg, "certificate") {
		t.Errorf("a certificate the system's roots do not sign: got HTTP %d %s; want 502 naming the certificate", rep.Status, rep.Body)
	}
	roots := x509.NewCertPool()
	roots.AddCert(upstream.Certificate())
	_, trusted := startProxy(t, upstream.URL, &syncBuffer{}, proxy.WithRootCAs(roots))
	if rep := do(t, trusted.URL, "GET", "/cgi-bin/token", ""); rep.Status != http.StatusOK || rep.Errcode != 40002 {
		t.Errorf("a certificate the roots sign: got HTTP %d %s; want the fake's 40002", rep.Status, rep.Body)
	}
}

func TestAPathTheSpecLacksIsForwardedAndJournaledAsNotInTheSpec(t *testing.T) {
	s := newSetup(t, nil)
	rep := do(t, s.srv.URL, "POST", "/cgi-bin/message/custom/send?access_token=97_abc", "{}")
	if rep.Status != http.StatusNotFound || rep.Errcode != -1 || rep.Header.Get(proxy.ViolationsHeader) != "" {
		t.Errorf("got HTTP %d %s, violations %q; want the fake's 404 as it came, no violations", rep.Status, rep.Body, rep.Header.Values(proxy.ViolationsHeader))
	}
	e := journal(t, s.srv.URL, "?cause=not+in+the+spec")
	if len(e) != 1 || e[0].Path != "/cgi-bin/message/custom/send" || e[0].Operation != "" || !slices.Equal(e[0].Violations, []string{}) {
		t.Errorf("journal %+v; want the exchange, not in the spec", e)
	}
	if sum := s.proxy.Summary(); sum.NotInSpec != 1 || sum.Violating != 0 {
		t.Errorf("summary %+v; want one not in the spec", sum)
	}
}
