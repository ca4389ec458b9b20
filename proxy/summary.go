package proxy

import (
	"maps"
	"sync"

	"github.com/tcbmock/tcbmock/mock"
)

// Summary is what a proxy has seen: how many exchanges, how many broke the
// spec, and how, by operation and kind.
type Summary struct {
	Exchanges        int // requests forwarded or refused
	Violating        int // answers that broke the spec
	NotInSpec        int // requests to a path the spec lacks: forwarded, not validated
	UpstreamFailures int // requests the upstream did not answer
	Unvalidated      int // answers passed through unvalidated: over 1 MiB, in an unread encoding, or switching protocols
	// Violations counts violations by operationId, then by kind (the Kind constants).
	Violations map[string]map[string]int
}

// stats keeps the summary up to date.
type stats struct {
	mu sync.Mutex
	s  Summary
}

func (st *stats) add(x *exchange, e mock.Entry) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s := &st.s
	s.Exchanges++
	switch x.cause {
	case causeNotInSpec:
		s.NotInSpec++
	case causeUpstream:
		s.UpstreamFailures++
	case causeTooLarge, causeEncoded, causeUpgrade:
		s.Unvalidated++
	}
	if len(x.violations) == 0 {
		return
	}
	s.Violating++
	if s.Violations == nil {
		s.Violations = map[string]map[string]int{}
	}
	byKind := s.Violations[e.Operation]
	if byKind == nil {
		byKind = map[string]int{}
		s.Violations[e.Operation] = byKind
	}
	for _, v := range x.violations {
		byKind[v.Kind]++
	}
}

// summary returns a copy of the summary.
func (st *stats) summary() Summary {
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.s
	s.Violations = map[string]map[string]int{}
	for op, byKind := range st.s.Violations {
		s.Violations[op] = maps.Clone(byKind)
	}
	return s
}
