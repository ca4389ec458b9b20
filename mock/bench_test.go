package mock_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// benchRequest measures the handler path of one kind of request.
func benchRequest(b *testing.B, method, target, body string, header ...string) {
	s, err := mock.New()
	if err != nil {
		b.Fatal(err)
	}
	target = strings.ReplaceAll(target, "TOKEN", mintToken(b, s))
	r := httptest.NewRequest(method, target, nil)
	for _, h := range header {
		k, v, _ := strings.Cut(h, ": ")
		r.Header.Set(k, v)
	}
	var w discard
	b.ReportAllocs()
	for b.Loop() {
		r.Body = io.NopCloser(strings.NewReader(body))
		w.reset()
		s.ServeHTTP(&w, r)
		if w.status != http.StatusOK {
			b.Fatalf("HTTP %d", w.status)
		}
	}
}

// discard is a ResponseWriter that keeps only the status, as net/http's
// own costs are the bare server's too.
type discard struct {
	header http.Header
	status int
}

func (d *discard) reset() {
	clear(d.header)
	if d.header == nil {
		d.header = http.Header{}
	}
	d.status = 0
}

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) WriteHeader(status int)      { d.status = status }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }

func mintToken(b *testing.B, s *mock.Server) string {
	tok, err := s.MintToken(demoAppID, "", 1<<62)
	if err != nil {
		b.Fatal(err)
	}
	return tok
}

func BenchmarkGetEnvInfo(b *testing.B) {
	benchRequest(b, "POST", "/tcb/getenvinfo?access_token=TOKEN", `{"env":"test2-4a89da"}`)
}

func BenchmarkGetEnvInfoUnknownToken(b *testing.B) {
	benchRequest(b, "POST", "/tcb/getenvinfo?access_token=97_"+strings.Repeat("x", 140), `{}`)
}

func BenchmarkGetEnvInfoScenarioHeader(b *testing.B) {
	benchRequest(b, "POST", "/tcb/getenvinfo?access_token=TOKEN", `{}`, mock.ScenarioHeader+": system-busy")
}

func BenchmarkStableToken(b *testing.B) {
	benchRequest(b, "POST", "/cgi-bin/stable_token", `{"grant_type":"client_credential","appid":"`+demoAppID+`","secret":"`+demoSecret+`"}`)
}
