package mock_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/mock"
)

func TestStreamsBeyondTheCapAreAnswered503(t *testing.T) {
	f := newFake(t)
	base := served(t, f)
	for range mock.MaxStreams {
		openStream(t, base, "").requests()
	}
	s := openStream(t, base, "")
	body, _ := io.ReadAll(s.r)
	if s.resp.StatusCode != 503 || !strings.Contains(string(body), "journal streams are open") {
		t.Errorf("stream %d: got HTTP %d %s; want 503 saying how many are open", mock.MaxStreams+1, s.resp.StatusCode, body)
	}
}

// deadlineWriter is a client of a stream as the handler sees it: it
// keeps the write deadline set before each write, and fails the
// failAt-th write as a client that stopped reading makes it fail.
type deadlineWriter struct {
	header    http.Header
	deadline  time.Time
	deadlines []time.Time // the deadline of each write
	failAt    int
	onWrite   func()
}

func (w *deadlineWriter) Header() http.Header { return w.header }
func (w *deadlineWriter) WriteHeader(int)     {}
func (w *deadlineWriter) Flush()              {}
func (w *deadlineWriter) SetWriteDeadline(d time.Time) error {
	w.deadline = d
	return nil
}
func (w *deadlineWriter) Write(b []byte) (int, error) {
	w.deadlines = append(w.deadlines, w.deadline)
	if len(w.deadlines) == w.failAt {
		return 0, os.ErrDeadlineExceeded
	}
	w.onWrite()
	return len(b), nil
}

func TestEveryStreamWriteHasADeadlineAndAFailedOneEndsTheStream(t *testing.T) {
	f := newFake(t)
	const lifetime, writeTimeout = time.Hour, time.Minute
	f.SetStreamTiming(time.Millisecond, lifetime)
	f.SetStreamWriteTimeout(writeTimeout)
	w := &deadlineWriter{header: http.Header{}, failAt: 3}
	w.onWrite = func() { f.do("GET", "/cgi-bin/token?grant_type=client_credential", "") } // something new to send
	start := time.Now()
	r, _ := http.NewRequestWithContext(t.Context(), "GET", "http://127.0.0.1/__tcbmock/requests/stream", nil)
	f.ServeHTTP(w, r) // returns once a write fails
	if len(w.deadlines) != 3 {
		t.Fatalf("the stream wrote %d times; want it to end at the failed 3rd", len(w.deadlines))
	}
	for i, d := range w.deadlines {
		if d.IsZero() || d.Before(start) || d.After(time.Now().Add(writeTimeout)) {
			t.Errorf("write %d had the deadline %v; want one within %v of it", i+1, d, writeTimeout)
		}
	}
	if n := f.OpenStreams(); n != 0 {
		t.Errorf("%d streams counted open after the stream ended; want 0", n)
	}
}

func TestAStreamsWriteDeadlineIsNeverPastItsEnd(t *testing.T) {
	f := newFake(t)
	const lifetime = time.Minute
	f.SetStreamTiming(time.Millisecond, lifetime)
	f.SetStreamWriteTimeout(time.Hour)
	w := &deadlineWriter{header: http.Header{}, failAt: 1, onWrite: func() {}}
	r, _ := http.NewRequestWithContext(t.Context(), "GET", "http://127.0.0.1/__tcbmock/requests/stream", nil)
	f.ServeHTTP(w, r)
	if d, end := w.deadlines[0], time.Now().Add(lifetime); d.IsZero() || d.After(end) {
		t.Errorf("the first write's deadline is %v; want no later than the stream's end, before %v", d, end)
	}
}

// plainWriter is a ResponseWriter that takes no deadline and does not
// unwrap, as a handler's wrapper may be.
type plainWriter struct{ *httptest.ResponseRecorder }

func TestAStreamBehindAWriterWithoutDeadlinesStillSends(t *testing.T) {
	f := newFake(t)
	f.SetStreamTiming(time.Millisecond, 20*time.Millisecond)
	f.do("GET", "/cgi-bin/token?grant_type=client_credential", "")
	w := plainWriter{httptest.NewRecorder()}
	r, _ := http.NewRequestWithContext(t.Context(), "GET", "http://127.0.0.1/__tcbmock/requests/stream", nil)
	f.ServeHTTP(w, r)
	if !strings.Contains(w.Body.String(), `"path":"/cgi-bin/token"`) {
		t.Errorf("the stream sent %q; want the journal's entry", w.Body.String())
	}
}
