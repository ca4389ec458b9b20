package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/mock"
)

func TestTheWatchingPageStreamsAndPolls(t *testing.T) {
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	t.Cleanup(func() { m.CloseStreams(); srv.Close() })
	for range 3 {
		resp, err := http.Post(srv.URL+"/tcb/getenvinfo", "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	w := make(chan watched, 1)
	stopAfter := time.AfterFunc(1200*time.Millisecond, cancel)
	defer stopAfter.Stop()
	go func() { w <- watchPage(ctx, srv.URL) }()
	got := <-w
	if got.events == 0 || got.entries != 3 || got.polls < 4 || got.failed != 0 {
		t.Errorf("got %+v; want the stream's events with the 3 entries, and the clock, tokens, apps and config read", got)
	}
}

func TestWatchingAServerWithoutTheStreamFails(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	stop := watchWhile(t.Context(), srv.URL)
	time.Sleep(100 * time.Millisecond)
	if err := stop(); err == nil {
		t.Error("watching a server with no admin API: got no error")
	}
}
