package mock

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tcbmock/tcbmock/mock/internal/ring"
)

// How a journal stream (GET requests/stream) sends. It looks at the
// journal a few times a second and sends what is new, at most
// streamBatch entries a look: a page can show no more, and the API it
// watches is never slowed by how fast it is called.
const (
	streamTick      = 200 * time.Millisecond // how often a stream looks at the journal
	streamBatch     = 100                    // at most this many entries an event
	streamBacklog   = 200                    // the newest entries a stream starts with
	streamLifetime  = time.Minute            // then it ends; the client resumes with Last-Event-ID
	streamKeepAlive = 15 * time.Second       // a comment when nothing was sent this long
	// streamWriteTimeout bounds each write of a stream: a client that
	// stops reading is cut off then, or at the stream's end if sooner.
	streamWriteTimeout = 10 * time.Second
	streamEndGrace     = time.Second // to write the end of a stream
)

// The bounds of journal streams: what a stream holds is at most one
// event, and there are at most MaxStreams of them.
const (
	// MaxStreams is how many journal streams a server sends at once; it
	// answers one more with HTTP 503.
	MaxStreams = 32
	// MaxEventBytes bounds an event of a journal stream: the entries that
	// would take it over are left to GET requests, and counted as unseen.
	MaxEventBytes = 512 << 10
	// maxEventEntryBytes bounds one entry in an event: a larger one is
	// sent with its path, query, header, body and answer cut, and
	// "event" in its truncated list.
	maxEventEntryBytes = 64 << 10
)

// streams is what a server's journal streams share: their timing, and the
// signal that ends them all.
type streams struct {
	tick, lifetime, writeTimeout time.Duration
	closed                       chan struct{}
	once                         sync.Once
	open                         atomic.Int32 // how many are being sent
}

func newStreams() *streams {
	return &streams{tick: streamTick, lifetime: streamLifetime, writeTimeout: streamWriteTimeout, closed: make(chan struct{})}
}

// acquire counts one more stream, unless MaxStreams are open.
func (ss *streams) acquire() bool {
	if ss.open.Add(1) > MaxStreams {
		ss.open.Add(-1)
		return false
	}
	return true
}

func (ss *streams) release() { ss.open.Add(-1) }

// CloseStreams ends the journal streams the server is sending, and those it
// is asked for after. An [http.Server] waits for every request to end when
// it shuts down, a stream too: register it with
// [http.Server.RegisterOnShutdown].
func (s *Server) CloseStreams() { s.streams.once.Do(func() { close(s.streams.closed) }) }

// requestsEvent is the data of a stream's requests event.
type requestsEvent struct {
	Requests []Entry `json:"requests"` // oldest first
	// Unseen counts the entries this event skipped: in the first event, the
	// older entries of the journal; after, those that came faster than
	// the stream sends.
	Unseen uint64 `json:"unseen"`
}

// adminStream sends the journal as server-sent events, filtered as GET
// requests is: first its newest entries, then the new ones as they come;
// "clear" when it was emptied. Each requests event's id resumes the stream
// after it (the Last-Event-ID header).
func (s *Server) adminStream(w http.ResponseWriter, r *http.Request) {
	f, err := journalFilter(r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
		return
	}
	if !s.streams.acquire() {
		writeJSON(w, http.StatusServiceUnavailable, adminError{fmt.Sprintf("%d journal streams are open, the most the fake sends at once: close one (an admin page's tab), or read GET %srequests", MaxStreams, AdminPrefix)})
		return
	}
	defer s.streams.release()
	from, resumed := ring.ParseCursor(r.Header.Get("Last-Event-ID"))
	if !resumed {
		from = s.journal.Start()
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	rc := http.NewResponseController(w)
	endAt := time.Now().Add(s.streams.lifetime)
	end := time.NewTimer(s.streams.lifetime)
	defer end.Stop()
	// Every write has a deadline, never later than the stream's end: a
	// client that stops reading holds no more than one event, and not
	// past the stream's lifetime.
	deadline := func() time.Time {
		if d := time.Now().Add(s.streams.writeTimeout); d.Before(endAt) {
			return d
		}
		return endAt
	}
	write := func(b []byte) bool {
		// A writer that takes no deadline (a handler's wrapper that does
		// not unwrap) still gets the stream, bounded by its lifetime.
		if err := rc.SetWriteDeadline(deadline()); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return false
		}
		_, err := w.Write(b)
		return err == nil && rc.Flush() == nil
	}
	_ = rc.SetWriteDeadline(deadline())
	// The end of the stream, written after the handler returns, gets a
	// moment of its own past the lifetime.
	defer func() { _ = rc.SetWriteDeadline(time.Now().Add(streamEndGrace)) }()
	w.WriteHeader(http.StatusOK)
	tick := time.NewTicker(s.streams.tick)
	defer tick.Stop()
	limit, first, sent := streamBacklog, true, time.Time{}
	for {
		b := s.journal.Tail(from, f.match, limit, MaxEventBytes)
		event := streamEvent(b, first)
		if event == nil && time.Since(sent) >= streamKeepAlive {
			event = []byte(": keep-alive\n\n")
		}
		if event != nil {
			if !write(event) {
				return
			}
			sent = time.Now()
		}
		from, limit, first = b.Next, streamBatch, false
		select {
		case <-r.Context().Done():
			return
		case <-s.streams.closed:
			return
		case <-end.C:
			return
		case <-tick.C:
		}
	}
}

// streamEvent returns the events that send b, or nil when there is
// nothing to say; the first batch is always sent.
func streamEvent(b ring.Batch[Entry], first bool) []byte {
	var out []byte
	if b.Cleared {
		out = append(out, "event: clear\ndata: {}\n\n"...)
	}
	if len(b.Entries) == 0 && b.Unseen == 0 && !first && !b.Cleared {
		return out
	}
	out = append(out, "event: requests\nid: "...)
	out = append(out, b.Next.String()...)
	out = append(out, "\ndata: "...)
	out = append(out, marshal(boundedEvent(b))...)
	return append(out, "\n\n"...)
}

// boundedEvent returns b as an event of at most about MaxEventBytes: each
// entry cut to maxEventEntryBytes, and the newest entries that would not
// fit left out, counted as unseen.
func boundedEvent(b ring.Batch[Entry]) requestsEvent {
	ev := requestsEvent{Requests: make([]Entry, 0, len(b.Entries)), Unseen: b.Unseen}
	size := 0
	for i := len(b.Entries) - 1; i >= 0; i-- { // the newest first: they matter most
		e := b.Entries[i]
		n := len(marshal(e))
		if n > maxEventEntryBytes {
			e = cutForEvent(e)
			n = len(marshal(e))
		}
		if size+n > MaxEventBytes {
			ev.Unseen += uint64(i + 1)
			break
		}
		size += n
		ev.Requests = append(ev.Requests, e)
	}
	slices.Reverse(ev.Requests)
	return ev
}

// cutForEvent returns e with its path, query, header, body and answer cut
// to a few hundred bytes each, and "event" in its truncated list: GET
// requests has it whole.
func cutForEvent(e Entry) Entry {
	const keep = 256
	cutTo := func(s string) string {
		if len(s) > keep {
			return strings.ToValidUTF8(s[:keep], "")
		}
		return s
	}
	e.Path, e.Body, e.Answer = cutTo(e.Path), cutTo(e.Body), cutTo(e.Answer)
	q, h := map[string]string{}, map[string]string{}
	for k, v := range e.Query {
		if len(q) < 16 {
			q[cutTo(k)] = cutTo(v)
		}
	}
	for k, v := range e.Header {
		if len(h) < 16 {
			h[cutTo(k)] = cutTo(v)
		}
	}
	e.Query, e.Header = q, h
	violations := make([]string, 0, min(len(e.Violations), 16))
	for _, v := range e.Violations[:cap(violations)] {
		violations = append(violations, cutTo(v))
	}
	e.Violations = violations
	e.Truncated = append(slices.Clip(e.Truncated), "event")
	return e
}
