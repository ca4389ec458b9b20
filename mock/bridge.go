package mock

import (
	"net/http"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/bridge"
)

// init hands tcbmock's proxy and command what they need of a server that
// is not this package's API (see package bridge); nothing else sets them.
func init() {
	bridge.Spec = func(c any) *apispec.Spec { return c.(*Config).spec }
	bridge.JournalOnly = func() any { return Option(func(s *Server) { s.journalOnly = true }) }
	bridge.RecordExchange = func(s any, x bridge.Exchange) any { return s.(*Server).recordExchange(x) }
	bridge.Refusals = func(s any) func(*http.Request, int, string, []byte) { return s.(*Server).recordRefusal }
	bridge.Guard = func(s any, h http.Handler) http.Handler { return s.(*Server).guard(h) }
}
