package mock

import (
	"net/http"
	"slices"
	"time"

	"github.com/tcbmock/tcbmock/mock/internal/tokens"
)

// maxLiveTokens bounds the tokens GET tokens lists: the ones that work
// longest; total says how many work.
const maxLiveTokens = 1000

// liveTokens returns the tokens that work at now, those that work longest
// first, up to limit of them, and how many there are.
func (s *Server) liveTokens(now time.Time, limit int) ([]tokens.Live, int) {
	live := s.tokens.Live(now)
	slices.SortFunc(live, func(a, b tokens.Live) int { return b.ExpiresAt.Compare(a.ExpiresAt) })
	return live[:min(limit, len(live))], len(live)
}

// liveTokensAnswer is the answer of GET tokens.
type liveTokensAnswer struct {
	Now    string        `json:"now"` // the fake's time, RFC 3339
	Tokens []tokens.Live `json:"tokens"`
	Total  int           `json:"total"` // how many work; the list holds maxLiveTokens at most
}

func (s *Server) adminLiveTokens(w http.ResponseWriter, _ *http.Request) {
	now := s.Now()
	list, total := s.liveTokens(now, maxLiveTokens)
	writeJSON(w, http.StatusOK, liveTokensAnswer{Now: now.Format(time.RFC3339), Tokens: list, Total: total})
}

// TokensPerOwner is how many tokens of the rotating endpoints
// (/cgi-bin/token, the component and authorizer tokens) the fake keeps of
// one account or authorization: the current one and the one it replaced.
const TokensPerOwner = tokens.PerOwner
