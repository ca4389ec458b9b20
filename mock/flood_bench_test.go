package mock_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/mock"
)

// BenchmarkGetEnvInfoUnderTokenFlood measures one client's getenvinfo calls
// while another app floods /cgi-bin/token from a second goroutine. It
// reports the victim's cost per call under the flood as "x-unloaded", a
// multiple of its cost alone, measured first: a flood of one app's token
// requests must not serialise everyone's getenvinfo.
func BenchmarkGetEnvInfoUnderTokenFlood(b *testing.B) {
	s, err := mock.New()
	if err != nil {
		b.Fatal(err)
	}
	tok, err := s.MintToken(demoAppID, "", time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	call := func(method, target, body string) {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(method, target, strings.NewReader(body)))
		if w.Code != http.StatusOK {
			b.Fatalf("%s %s: HTTP %d", method, target, w.Code)
		}
	}
	victim := func() { call("POST", "/tcb/getenvinfo?access_token="+tok, "{}") }
	const alone = 20000
	start := time.Now()
	for range alone {
		victim()
	}
	unloaded := time.Since(start) / alone

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		flood := "/cgi-bin/token?grant_type=client_credential&appid=" + secondAppID + "&secret=" + secondSecret
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
				call("GET", flood, "")
			}
		}
	})
	b.ResetTimer()
	start = time.Now()
	for b.Loop() {
		victim()
	}
	loaded := time.Since(start) / time.Duration(b.N)
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(loaded)/float64(unloaded), "x-unloaded")
}
