package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
)

// withoutAdminAPI is the default fake with its admin API hidden, as
// production has none.
func withoutAdminAPI(t *testing.T) http.Handler {
	t.Helper()
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	return testkit.WithoutAdmin(m)
}

// serveInProcess runs "tcbmock serve" with args on a free port until the
// test ends, and returns its URL and what it logs.
func serveInProcess(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	stderr := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), &strings.Builder{}, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	})
	return waitForURL(t, stderr.String), stderr
}
