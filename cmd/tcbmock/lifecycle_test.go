package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// started listens on a free loopback port, serving nothing, logging to log.
func started(t *testing.T, log *bytes.Buffer) *lifecycle {
	t.Helper()
	l, err := listen("tcbmock test", "127.0.0.1:0", &adminFlags{}, "do things", slog.New(slog.NewTextHandler(log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	l.handle(http.NotFoundHandler(), time.Second, time.Second)
	return l
}

// Serve and proxy stop alike: the server, then what shuts down with it,
// and a stop that fails is what the shutdown says.
func TestALifecycleShutsDownItsStopsWithTheServer(t *testing.T) {
	var log bytes.Buffer
	l := started(t, &log)
	boom := errors.New("boom")
	l.stops = append(l.stops, func(context.Context) error { return boom })
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // a signal before the first request
	failed, stopped := l.run(ctx, "tcbmock testing", "url", l.url())
	if failed != nil || !errors.Is(stopped, boom) {
		t.Errorf("run returned %v, %v; want nil, boom", failed, stopped)
	}
	if !strings.Contains(log.String(), `msg="tcbmock testing" url=http://127.0.0.1:`) || strings.Contains(log.String(), "open to the network") {
		t.Errorf("the log says %q; want the startup line and no warning for a loopback address", log.String())
	}
}

func TestALifecycleReturnsAtOnceWhenServingFails(t *testing.T) {
	var log bytes.Buffer
	l := started(t, &log)
	l.ln.Close()
	failed, stopped := l.run(t.Context(), "tcbmock testing")
	if failed == nil || !strings.HasPrefix(failed.Error(), "tcbmock test: ") || stopped != nil {
		t.Errorf("run returned %v, %v; want an error of tcbmock test, and no shutdown", failed, stopped)
	}
}
