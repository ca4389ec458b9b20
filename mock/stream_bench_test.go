package mock_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// BenchmarkGetEnvInfoStreamed is BenchmarkGetEnvInfo/memo-hit with the
// admin page open: a journal stream follows the server the whole time,
// sending the newest entries five times a second. Compare the two: the
// page must not slow the API.
func BenchmarkGetEnvInfoStreamed(b *testing.B) {
	c := benchCase{method: "POST", target: "/tcb/getenvinfo?access_token=TOKEN", members: `"env":"test2-4a89da"}`, errcode: 0}
	s, r, w := c.prepare(b)
	srv := httptest.NewServer(s)
	defer func() { s.CloseStreams(); srv.Close() }()
	ctx, stop := context.WithCancel(b.Context())
	defer stop()
	var entries atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/__tcbmock/requests/stream", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return
		}
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			entries.Add(int64(strings.Count(sc.Text(), `"rid":`)))
		}
	}()
	body := c.body(0)
	serve := func() { w.serve(b, s, r, body) }
	serve()
	b.ReportAllocs()
	for b.Loop() {
		serve()
	}
	b.StopTimer()
	stop()
	<-done
	if b.N > 10_000 && entries.Load() == 0 {
		b.Fatalf("the stream sent nothing in %d requests", b.N)
	}
}
