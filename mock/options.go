package mock

import (
	"log/slog"
	"time"

	"github.com/tcbmock/tcbmock/mock/internal/redact"
)

// Option configures a [Server].
type Option func(*Server)

// WithConfig serves c instead of the embedded spec and scenarios.
func WithConfig(c *Config) Option { return func(s *Server) { s.initial = c } }

// WithLogger logs to l; the default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.logger = l } }

// WithClock takes the time from now, before admin advances; the default is time.Now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.clock.base = now } }

// WithScenario makes name the server default scenario: the one a request
// gets when nothing more specific chooses one. A request of an operation
// the scenario does not answer is refused with HTTP 400.
func WithScenario(name string) Option { return func(s *Server) { s.scenario = name } }

// WithJournalSize keeps the last n requests in the journal (default
// [DefaultJournalSize]); [New] refuses n outside 0 to [MaxJournalSize].
func WithJournalSize(n int) Option { return func(s *Server) { s.journal.Size = n } }

// WithJournalBytes keeps at most n bytes of entries in the journal, as
// their strings and bookkeeping count (default [DefaultJournalBytes]): the
// oldest go first. [New] refuses n under [MinJournalBytes].
func WithJournalBytes(n int) Option { return func(s *Server) { s.journal.MaxBytes = n } }

// WithAdminToken requires "Authorization: Bearer token" on the admin API,
// but for GET health; a request that carries it needs no more. The default
// requires no token, but answers the admin API and its page only for a
// loopback Host (or one of [WithAllowedHosts]), and refuses a write that a
// browser marks as sent from another site (but from [WithAllowedOrigins]).
func WithAdminToken(token string) Option { return func(s *Server) { s.adminGuard.token = token } }

// WithAllowedHosts lets requests for the Host names or addresses hosts
// (a port is ignored) use the admin API without the token, besides
// loopback names and addresses: the name of a CI service container, such
// as "tcbmock", or the address the server listens on. Any other Host is
// answered 403, so that a page whose name an attacker rebinds to this
// machine cannot read the journal. GET health answers any Host, as does
// the WeChat API.
func WithAllowedHosts(hosts ...string) Option {
	return func(s *Server) { s.adminGuard.allowHosts(hosts) }
}

// WithAllowedOrigins lets pages of origins, such as
// "https://tool.example:8443", write to the admin API (POST, DELETE)
// without the token; [New] refuses an origin that is not scheme://host[:port].
// Without it a browser's write from another site, which it marks with
// Sec-Fetch-Site or an Origin that is not the fake's own, is answered 403.
// Clients that are not browsers send neither header, and are not refused.
func WithAllowedOrigins(origins ...string) Option {
	return func(s *Server) { s.origins = append(s.origins, origins...) }
}

// WithRedaction keeps credentials out of the journal: every value of a
// field the spec marks x-secret (tokens, secrets, tickets), in the query,
// the body and the answer, and the Authorization and Cookie headers, is
// kept as a placeholder; the same value always gets the same placeholder.
func WithRedaction() Option { return func(s *Server) { s.redactor = redact.New() } }
