package mock_test

import (
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
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		for _, h := range header {
			k, v, _ := strings.Cut(h, ": ")
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("HTTP %d %s", w.Code, w.Body)
		}
	}
}

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
