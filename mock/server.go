package mock

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tcbmock/tcbmock/internal/adminclient"
	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/compute"
	"github.com/tcbmock/tcbmock/mock/internal/redact"
	"github.com/tcbmock/tcbmock/mock/internal/tokens"
)

const (
	// AdminPrefix is where the admin API lives; no WeChat path starts with it.
	AdminPrefix = adminclient.Prefix
	// ScenarioHeader chooses a scenario for one request: "NAME", or
	// "NAME; key=K" to give the request its own position in a sequence.
	ScenarioHeader = adminclient.ScenarioHeader
)

// The fake's limits.
const (
	// MaxBodySize is the largest body the fake reads; a larger one is
	// answered as a body that is not JSON.
	MaxBodySize = 1 << 20
	// DefaultJournalSize is how many entries the journal keeps unless
	// [WithJournalSize] says otherwise.
	DefaultJournalSize = 1000
	// MaxJournalSize bounds [WithJournalSize].
	MaxJournalSize = 100_000
	// DefaultJournalBytes is how many bytes the journal's entries hold at
	// most unless [WithJournalBytes] says otherwise, counted from what each
	// holds: its strings and its fixed bookkeeping. An entry keeps at most
	// 4 KiB of each of query, header, body and answer, and its path whole;
	// the oldest entries go first, and an entry larger than the bound is
	// not kept.
	DefaultJournalBytes = 64 << 20
	// MinJournalBytes bounds [WithJournalBytes] from below: room for some
	// entries of the largest size.
	MinJournalBytes = 1 << 20
	// MaxAdvance is how far the fake's clock can move from its base clock
	// in all: a century, far from the limits of time.Duration.
	MaxAdvance = 100 * 365 * 24 * time.Hour
)

// Errors of the Go API; the admin API answers them as HTTP 400.
var (
	// ErrUnknownApp is returned when an app is asked for by an appid no app has.
	ErrUnknownApp = errors.New("mock: unknown app")
	// ErrUnknownScenario is returned when a scenario is asked for by a name no scenario has.
	ErrUnknownScenario = errors.New("mock: unknown scenario")
	// ErrScenarioNotCovered is returned when a scenario is asked for on an
	// operation it does not answer.
	ErrScenarioNotCovered = errors.New("mock: the scenario does not answer this operation")
)

// Server is the fake api.weixin.qq.com. It is an [http.Handler]: the WeChat
// API at its paths, the admin API under [AdminPrefix].
//
// Its configuration is shared and never changes; its tokens, clock,
// sequences and journal are its own.
type Server struct {
	live       atomic.Pointer[live]
	initial    *Config // WithConfig's, until New serves it
	logger     *slog.Logger
	clock      *clock
	tokens     *tokens.Store
	seqs       *sequences
	journal    *journal
	streams    *streams
	scenario   string // the server default
	admin      http.Handler
	adminGuard *adminGuard
	origins    []string         // WithAllowedOrigins's, until New checks them
	redactor   *redact.Redactor // nil: the journal keeps credentials as they came
	reloads    reloads
	steer      steering // what the admin API changed in the world
	ridSeed    uint64
	ridN       atomic.Uint64
	// journalOnly serves only health, config and the journal on the admin
	// API: the server journals exchanges answered elsewhere.
	journalOnly bool
	// quotas counts the calls of the apps whose quota is on.
	quotas *quotas
	// trustForwarded takes a request's address from X-Forwarded-For.
	trustForwarded bool
	// exprBound is the time an expression may take per request: the zero
	// Bound, compute.Timeout on the wall clock, but in tests.
	exprBound compute.Bound
}

// live is the configuration a server serves, and what it remembers of the
// requests it parsed under it.
type live struct {
	cfg    *Config
	parses *parses
}

var _ http.Handler = (*Server)(nil)

// New returns a server of the embedded spec and scenarios, or of [WithConfig]'s.
func New(opts ...Option) (*Server, error) {
	s := &Server{
		logger:     slog.New(slog.DiscardHandler),
		clock:      &clock{base: time.Now},
		tokens:     tokens.New(),
		quotas:     newQuotas(),
		seqs:       newSequences(maxSequencePositions),
		journal:    newJournal(DefaultJournalSize),
		streams:    newStreams(),
		adminGuard: newAdminGuard(),
		ridSeed:    rand.Uint64(),
	}
	for _, opt := range opts {
		opt(s)
	}
	if n := s.journal.Size; n < 0 || n > MaxJournalSize {
		return nil, fmt.Errorf("mock: a journal of %d entries: want 0 to %d", n, MaxJournalSize)
	}
	if n := s.journal.MaxBytes; n < MinJournalBytes {
		return nil, fmt.Errorf("mock: a journal of %d bytes: want at least %d", n, MinJournalBytes)
	}
	if err := s.adminGuard.allowOrigins(s.origins); err != nil {
		return nil, err
	}
	cfg := s.initial
	if cfg == nil {
		var err error
		if cfg, err = embedded(); err != nil {
			return nil, err
		}
	}
	s.initial = nil
	if err := s.Reload(cfg); err != nil {
		return nil, err
	}
	s.admin = s.adminRouter()
	return s, nil
}

// Config returns the configuration being served.
func (s *Server) Config() *Config { return s.live.Load().cfg }

// Now returns the time on the fake's clock.
func (s *Server) Now() time.Time { return s.clock.Now() }

// Advance moves the fake's clock d on, and returns the new time. It refuses
// to move the clock backwards, or more than [MaxAdvance] from its start.
func (s *Server) Advance(d time.Duration) (time.Time, error) { return s.clock.Advance(d) }

// Reset puts tokens, clock, sequences and journal back to their start.
func (s *Server) Reset() {
	s.tokens.Reset()
	s.quotas.reset()
	s.clock.reset()
	s.seqs.reset()
	s.journal.Clear()
}

// Journal returns the requests the server answered that f selects, oldest
// first; the zero Filter selects every one.
func (s *Server) Journal(f Filter) []Entry { return s.journal.List(f.match) }

// MintToken issues a token for appid that lives lifetime (the lifetime of
// the spec's app tokens when 0, at most [MaxAdvance]), outside the token
// endpoints' rotation, bound to scenario unless it is "".
func (s *Server) MintToken(appid, scenario string, lifetime time.Duration) (string, error) {
	c := s.Config()
	if lifetime == 0 {
		lifetime = c.appTokenLifetime()
	}
	if lifetime <= 0 || lifetime > MaxAdvance {
		return "", fmt.Errorf("mock: a token lifetime must be positive and at most %v, not %v", MaxAdvance, lifetime)
	}
	if c.App(appid) == nil {
		return "", fmt.Errorf("%w %q", ErrUnknownApp, appid)
	}
	if scenario != "" && c.Scenario(scenario) == nil {
		return "", c.unknownScenario(scenario)
	}
	return s.tokens.Mint(appid, scenario, s.Now(), lifetime).Value, nil
}

// appTokenLifetime is the lifetime of the tokens the spec's app-token
// behaviour issues; two hours if it has none.
func (c *Config) appTokenLifetime() time.Duration {
	if r := c.issuing(apispec.IssueAppToken); r != nil {
		return r.Lifetime()
	}
	return 2 * time.Hour
}

// issuing returns the x-answer of the spec's operation that runs the token
// behaviour issue, or nil.
func (c *Config) issuing(issue string) *apispec.AnswerRule {
	for _, o := range c.spec.Operations() {
		if o.Answer != nil && o.Answer.Issue == issue {
			return o.Answer
		}
	}
	return nil
}

// reauthorize gives an authorization a new refresh token, as when the
// account authorizes the platform again; the old one works for the
// overlap of the spec's authorizer tokens. It returns the new one.
func (s *Server) reauthorize(componentAppID, authorizerAppID string) (string, error) {
	c := s.Config()
	comp := c.world.component(componentAppID)
	if comp == nil {
		return "", fmt.Errorf("mock: unknown component %q", componentAppID)
	}
	auth := comp.Authorization(authorizerAppID)
	if auth == nil {
		return "", fmt.Errorf("%w: %q has not authorized %q", ErrUnknownApp, authorizerAppID, componentAppID)
	}
	overlap := 5 * time.Minute
	if r := c.issuing(apispec.IssueAuthorizerToken); r != nil {
		overlap = r.OverlapTime()
	}
	return s.tokens.RotateRefresh(refreshKey(comp.AppID, auth.AppID), auth.RefreshToken, s.Now(), overlap), nil
}

// components returns the third-party platforms with their refresh tokens as they are now.
func (s *Server) components() []Component {
	out := []Component{}
	for _, c := range s.Config().world.components {
		now := *c
		now.Authorizations = slices.Clone(c.Authorizations)
		for i := range now.Authorizations {
			a := &now.Authorizations[i]
			a.RefreshToken = s.tokens.CurrentRefresh(refreshKey(c.AppID, a.AppID), a.RefreshToken)
		}
		out = append(out, now)
	}
	return out
}

// ServeHTTP answers the WeChat API, or the admin API under [AdminPrefix].
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer s.recoverJSON(w, r)
	if strings.HasPrefix(r.URL.Path, AdminPrefix) || r.URL.Path == strings.TrimSuffix(AdminPrefix, "/") {
		s.admin.ServeHTTP(w, r)
		return
	}
	s.serveAPI(w, r)
}

// recoverJSON answers a panic as the real server answers its own failures,
// -1 system error, never a dropped connection or a Go trace.
func (s *Server) recoverJSON(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	s.logger.Error("panic answering a request", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
	writeAnswer(w, answer{status: http.StatusOK, errcode: -1, carries: true, body: systemError("system error", s.newRID(s.Now()))})
}

// newRID returns a request id unique to this server: the counter is mixed
// by a bijection, so no two calls give the same id.
func (s *Server) newRID(now time.Time) string {
	return apispec.RID(now, mix(s.ridSeed+s.ridN.Add(1)))
}

// mix is splitmix64's finaliser, a bijection on uint64.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// clock is the fake's time: a base clock moved on by the admin API.
type clock struct {
	base   func() time.Time
	offset atomic.Int64 // nanoseconds added to base
}

func (c *clock) Now() time.Time { return c.base().Add(time.Duration(c.offset.Load())) }

// Advance moves the clock d on and returns the new time. It refuses to move
// backwards, or further than MaxAdvance from the base clock.
func (c *clock) Advance(d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, fmt.Errorf("mock: the clock only moves forward, not %v", d)
	}
	for {
		old := c.offset.Load()
		if d > MaxAdvance-time.Duration(old) {
			return time.Time{}, fmt.Errorf("mock: the clock moves at most %v from its start in all; it has moved %v", MaxAdvance, time.Duration(old))
		}
		if c.offset.CompareAndSwap(old, old+int64(d)) {
			return c.Now(), nil
		}
	}
}

func (c *clock) reset() { c.offset.Store(0) }
