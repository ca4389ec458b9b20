package mocktest_test

import (
	"bufio"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/mocktest"
)

func TestAFakeClosesWithItsAdminPageOpen(t *testing.T) {
	ended := make(chan error, 1)
	start := time.Now()
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
			for {
				if _, err := r.ReadString('\n'); err != nil {
					ended <- err
					return
				}
			}
		}()
	})
	// The stream would last a minute: the fake must end it, not wait for it.
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the test took %v to end with a stream open; want the fake to end the stream", took)
	}
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Error("the stream did not end with the test")
	}
}
