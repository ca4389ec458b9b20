package mock

import (
	"log/slog"
	"time"
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
func WithJournalSize(n int) Option { return func(s *Server) { s.journal = newJournal(n) } }

// WithAdminToken requires "Authorization: Bearer token" on the admin API,
// but for GET health; the default requires nothing.
func WithAdminToken(token string) Option { return func(s *Server) { s.adminToken = token } }

// WithRedaction keeps credentials out of the journal: every value of a
// field the spec marks x-secret (tokens, secrets, tickets), in the query,
// the body and the answer, and the Authorization and Cookie headers, is
// kept as a placeholder; the same value always gets the same placeholder.
func WithRedaction() Option { return func(s *Server) { s.redactor = newRedactor() } }
