package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// watched is what a page watching the fake got while the load ran.
type watched struct {
	events, entries int   // journal stream events, and entries in them
	polls, failed   int   // the admin calls it made besides, and those that failed
	bytes           int64 // of the stream
}

// watchPage does to the fake at base what its admin page does while it is
// open on the World tab, until ctx ends: it follows the journal stream, and
// reads the clock every second, the live tokens and the apps every two
// seconds, the configuration every five.
func watchPage(ctx context.Context, base string) watched {
	var w watched
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Go(func() {
		ev, n, b := followStream(ctx, base+"/__tcbmock/requests/stream")
		mu.Lock()
		w.events, w.entries, w.bytes = ev, n, b
		mu.Unlock()
	})
	for _, p := range []struct {
		every time.Duration
		paths []string
	}{{time.Second, []string{"clock"}}, {2 * time.Second, []string{"tokens", "apps"}}, {5 * time.Second, []string{"config"}}} {
		wg.Go(func() {
			tick := time.NewTicker(p.every)
			defer tick.Stop()
			for {
				for _, path := range p.paths {
					ok := adminGet(ctx, base+"/__tcbmock/"+path)
					mu.Lock()
					w.polls++
					if !ok && ctx.Err() == nil {
						w.failed++
					}
					mu.Unlock()
				}
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
			}
		})
	}
	wg.Wait()
	return w
}

// followStream reads a journal stream until ctx ends, and counts its
// requests events, the entries in them, and its bytes. A stream the server
// ends is opened again a quarter of a second later, as the page does.
func followStream(ctx context.Context, url string) (events, entries int, bytes int64) {
	for ctx.Err() == nil {
		req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
		if err != nil {
			return
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return
		}
		r := bufio.NewReaderSize(resp.Body, 64<<10)
		for {
			line, err := r.ReadString('\n')
			bytes += int64(len(line))
			if strings.HasPrefix(line, "event: requests") {
				events++
			}
			if strings.HasPrefix(line, "data: ") {
				entries += strings.Count(line, `"rid":`)
			}
			if err != nil {
				break
			}
		}
		resp.Body.Close()
		select {
		case <-ctx.Done():
		case <-time.After(250 * time.Millisecond):
		}
	}
	return
}

// adminGet reads an admin API answer, and reports whether it was HTTP 200.
func adminGet(ctx context.Context, url string) bool {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err == nil && resp.StatusCode == http.StatusOK
}

// watchWhile starts watching the fake at base as its page does, and
// returns what stops it: an error unless the page saw the journal, and
// every call it made was answered.
func watchWhile(ctx context.Context, base string) (stop func() error) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan watched, 1)
	go func() { done <- watchPage(ctx, base) }()
	return func() error {
		cancel()
		w := <-done
		fmt.Fprintf(os.Stderr, "the page got %d journal events, %d entries, %d KiB; made %d other calls\n", w.events, w.entries, w.bytes>>10, w.polls)
		if w.events == 0 || w.entries == 0 || w.failed > 0 {
			return fmt.Errorf("the page did not watch: %d journal events, %d entries, %d of %d calls failed", w.events, w.entries, w.failed, w.polls)
		}
		return nil
	}
}
