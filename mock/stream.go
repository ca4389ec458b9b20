package mock

import (
	"net/http"
	"sync"
	"time"
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
)

// streams is what a server's journal streams share: their timing, and the
// signal that ends them all.
type streams struct {
	tick, lifetime time.Duration
	closed         chan struct{}
	once           sync.Once
}

func newStreams() *streams {
	return &streams{tick: streamTick, lifetime: streamLifetime, closed: make(chan struct{})}
}

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
	from, resumed := parseCursor(r.Header.Get("Last-Event-ID"))
	if !resumed {
		from = s.journal.start()
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a server's WriteTimeout would cut it
	end := time.NewTimer(s.streams.lifetime)
	defer end.Stop()
	tick := time.NewTicker(s.streams.tick)
	defer tick.Stop()
	limit, first, sent := streamBacklog, true, time.Time{}
	for {
		b := s.journal.tail(from, f.match, limit)
		event := streamEvent(b, first)
		if event == nil && time.Since(sent) >= streamKeepAlive {
			event = []byte(": keep-alive\n\n")
		}
		if event != nil {
			if _, err := w.Write(event); err != nil || rc.Flush() != nil {
				return
			}
			sent = time.Now()
		}
		from, limit, first = b.next, streamBatch, false
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
func streamEvent(b batch, first bool) []byte {
	var out []byte
	if b.cleared {
		out = append(out, "event: clear\ndata: {}\n\n"...)
	}
	if len(b.entries) == 0 && b.unseen == 0 && !first && !b.cleared {
		return out
	}
	out = append(out, "event: requests\nid: "...)
	out = append(out, b.next.String()...)
	out = append(out, "\ndata: "...)
	out = append(out, marshal(requestsEvent{Requests: b.entries, Unseen: b.unseen})...)
	return append(out, "\n\n"...)
}
