package main

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var uiRe = regexp.MustCompile(`ui=(http://\S+/__tcbmock/ui/)`)

func TestServeNamesItsAdminPageAndStopsWithItOpen(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, &bytes.Buffer{}, &stderr) }()
	url := waitForURL(t, stderr.String)
	m := uiRe.FindStringSubmatch(stderr.String())
	if m == nil || m[1] != url+"/__tcbmock/ui/" {
		t.Fatalf("the startup line %q does not name the page at %s/__tcbmock/ui/", stderr.String(), url)
	}
	if page := get(t, m[1]); !strings.Contains(page, "<title>tcbmock</title>") {
		t.Errorf("GET %s: %.80q; want the admin page", m[1], page)
	}
	// An open page streams the journal: serve must still stop at once.
	streamCtx, stopStream := context.WithTimeout(t.Context(), 10*time.Second)
	defer stopStream()
	req, _ := http.NewRequestWithContext(streamCtx, "GET", url+"/__tcbmock/requests/stream", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if line, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil || line != "event: requests\n" {
		t.Fatalf("the stream began %q, %v", line, err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v; want nil: an open stream must not hold up the shutdown", err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("serve did not stop within 4 s with a journal stream open")
	}
}
