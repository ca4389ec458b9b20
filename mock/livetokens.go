package mock

import (
	"net/http"
	"slices"
	"time"

	"github.com/tcbmock/tcbmock"
)

// maxLiveTokens bounds the tokens GET tokens lists: the ones that work
// longest; total says how many work.
const maxLiveTokens = 1000

// liveToken is a token that works now, as GET tokens lists it.
type liveToken struct {
	AccessToken string    `json:"access_token"`
	Kind        string    `json:"kind"`      // apispec.KindApp, KindComponent or KindAuthorizer
	AppID       string    `json:"appid"`     // the account's, or the platform's for a component token
	Component   string    `json:"component"` // the platform of an authorizer token
	Scenario    string    `json:"scenario"`  // the scenario it was minted for, or ""
	ExpiresAt   time.Time `json:"expires_at"`
	ExpiresIn   int64     `json:"expires_in"` // whole seconds left on the fake's clock
	// Retired says a newer token replaced it: it stops at ExpiresAt as
	// unknown (40001), not as expired (42001).
	Retired bool `json:"retired"`
}

// liveTokens returns the tokens that work at now, those that work longest
// first, up to limit of them, and how many there are.
func (s *Server) liveTokens(now time.Time, limit int) ([]liveToken, int) {
	live := s.tokens.live(now)
	slices.SortFunc(live, func(a, b liveToken) int { return b.ExpiresAt.Compare(a.ExpiresAt) })
	return live[:min(limit, len(live))], len(live)
}

// live returns every token that works at now. It holds one shard's read
// lock at a time, as a lookup does.
func (ts *tokens) live(now time.Time) []liveToken {
	out := []liveToken{}
	for i := range ts.shards {
		sh := &ts.shards[i]
		sh.mu.RLock()
		for _, t := range sh.byValue {
			if t.failsAt(now) != "" {
				continue
			}
			at, cause := t.deadline()
			out = append(out, liveToken{AccessToken: t.value, Kind: t.kind, AppID: t.appid, Component: t.component,
				Scenario: t.scenario, ExpiresAt: at, ExpiresIn: int64(at.Sub(now) / time.Second), Retired: cause == tcbmock.CauseUnknownToken})
		}
		sh.mu.RUnlock()
	}
	return out
}

// liveTokensAnswer is the answer of GET tokens.
type liveTokensAnswer struct {
	Now    string      `json:"now"` // the fake's time, RFC 3339
	Tokens []liveToken `json:"tokens"`
	Total  int         `json:"total"` // how many work; the list holds maxLiveTokens at most
}

func (s *Server) adminLiveTokens(w http.ResponseWriter, _ *http.Request) {
	now := s.Now()
	list, total := s.liveTokens(now, maxLiveTokens)
	writeJSON(w, http.StatusOK, liveTokensAnswer{Now: now.Format(time.RFC3339), Tokens: list, Total: total})
}
