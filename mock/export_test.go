package mock

import (
	"net/http"
	"runtime"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/bridge"
)

// PanicHandler returns a handler that panics behind the server's recovery.
func (s *Server) PanicHandler(v any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer s.recoverJSON(w, r)
		panic(v)
	})
}

// SequencePositions returns how many positions in sequences the server keeps.
func (s *Server) SequencePositions() int { return s.seqs.len() }

// MaxSequencePositions is how many positions the server keeps at most.
const MaxSequencePositions = maxSequencePositions

// DeliversAFault reports whether a scenario delays or breaks its answers.
func (s *Scenario) DeliversAFault() bool {
	for _, st := range s.steps {
		if st.delay != nil || st.fault != "" {
			return true
		}
	}
	return false
}

// HeapInUse returns the live heap after a full collection.
func HeapInUse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// SetStreamTiming makes the server's journal streams look at the journal
// every tick and end after lifetime.
func (s *Server) SetStreamTiming(tick, lifetime time.Duration) {
	s.streams.tick, s.streams.lifetime = tick, lifetime
}

// SequenceBound returns how many sequence positions the server keeps at most.
func (s *Server) SequenceBound() int { return s.seqs.max }

// SetSequenceBound makes a new server keep at most n sequence positions.
func (s *Server) SetSequenceBound(n int) { s.seqs = newSequences(n) }

// JournalUsage returns how many entries the journal holds, and how many
// bytes it counts them as.
func (s *Server) JournalUsage() (entries, bytes int) { return s.journal.Usage() }

// SetStreamWriteTimeout bounds each write of the server's journal streams.
func (s *Server) SetStreamWriteTimeout(d time.Duration) { s.streams.writeTimeout = d }

// OpenStreams returns how many journal streams the server is sending.
func (s *Server) OpenStreams() int { return int(s.streams.open.Load()) }

// QuotaCounts returns how many quota counts the server keeps.
func (s *Server) QuotaCounts() int { return s.quotas.len() }

// Spec returns the configuration's spec.
func (c *Config) Spec() *apispec.Spec { return c.spec }

// RecordExchange journals x, as tcbmock proxy has it journaled.
func (s *Server) RecordExchange(x bridge.Exchange) Entry { return s.recordExchange(x) }

// RecordRefusal journals a refusal, as package intercept has it journaled.
func (s *Server) RecordRefusal(r *http.Request, status int, cause string, body []byte) {
	s.recordRefusal(r, status, cause, body)
}

// Guard serves h behind the admin guard.
func (s *Server) Guard(h http.Handler) http.Handler { return s.guard(h) }

// WithJournalOnly makes the server a journal of exchanges answered elsewhere.
func WithJournalOnly() Option { return bridge.JournalOnly().(Option) }

// SetExprClock makes the server's expressions read the time from now, for
// their bound in time.
func (s *Server) SetExprClock(now func() time.Time) { s.exprBound.Now = now }
