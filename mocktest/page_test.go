package mocktest_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mocktest"
)

func TestAFakeClosesWithItsAdminPageOpen(t *testing.T) {
	ended := make(chan []string, 1) // what the stream sent after its first line
	t.Run("a test that leaves the page open", func(t *testing.T) {
		fake := mocktest.New(t)
		req, _ := http.NewRequestWithContext(context.Background(), "GET", fake.URL+"/__tcbmock/requests/stream", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(resp.Body)
		if _, err := r.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
		go func() {
			defer resp.Body.Close()
			var lines []string
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					ended <- lines
					return
				}
				lines = append(lines, line)
			}
		}()
	})
	// The stream would last a minute, with a keep-alive every 15 s: ended
	// by the fake as the test ended, it sent none.
	for _, line := range <-ended {
		if strings.HasPrefix(line, ": keep-alive") {
			t.Fatal("the stream outlived the test: it sent a keep-alive")
		}
	}
}
