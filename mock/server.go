package mock

import (
	"context"
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

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/adminclient"
)

// AdminPrefix is where the admin API lives; no WeChat path starts with it.
const AdminPrefix = adminclient.Prefix

// ScenarioHeader chooses a scenario for one request: "NAME", or "NAME; key=K"
// to give the request its own position in a sequence.
const ScenarioHeader = "X-Tcbmock-Scenario"

// ErrUnknownScenario is returned when a scenario is asked for by a name no scenario has.
var ErrUnknownScenario = errors.New("mock: unknown scenario")

// ErrUnknownApp is returned when an app is asked for by an appid no app has.
var ErrUnknownApp = errors.New("mock: unknown app")

// ErrUnknownComponent is returned when a third-party platform is asked for by an appid no platform has.
var ErrUnknownComponent = errors.New("mock: unknown component")

// Server is the fake api.weixin.qq.com. It is an [http.Handler]: the WeChat
// API at its paths, the admin API under [AdminPrefix].
type Server struct {
	cfg        atomic.Pointer[Config]
	initial    *Config
	logger     *slog.Logger
	clock      *clock
	tokens     *tokens
	seqs       *sequences
	journal    *journal
	scenario   string // the server default
	admin      http.Handler
	adminToken string
	profiler   bool
	redactor   *redactor // nil: the journal keeps credentials as they came
	reloads    reloads
	ridSeed    uint64
	ridN       atomic.Uint64
}

var _ http.Handler = (*Server)(nil)

// New returns a server of the embedded spec and scenarios, or of [WithConfig]'s.
func New(opts ...Option) (*Server, error) {
	s := &Server{
		logger:  slog.New(slog.DiscardHandler),
		clock:   &clock{base: time.Now},
		tokens:  newTokens(),
		seqs:    newSequences(maxSequencePositions),
		journal: newJournal(DefaultJournalSize),
		ridSeed: rand.Uint64(),
	}
	for _, opt := range opts {
		opt(s)
	}
	if n := s.journal.size; n < 0 || n > MaxJournalSize {
		return nil, fmt.Errorf("mock: a journal of %d entries: want 0 to %d", n, MaxJournalSize)
	}
	if s.initial == nil {
		c, err := Load(context.Background(), EmbeddedFiles())
		if err != nil {
			return nil, err
		}
		s.initial = c
	}
	if err := s.Reload(s.initial); err != nil {
		return nil, err
	}
	s.initial = nil
	s.admin = s.adminRouter()
	return s, nil
}

// Config returns the configuration being served.
func (s *Server) Config() *Config { return s.cfg.Load() }

// Now returns the time on the fake's clock.
func (s *Server) Now() time.Time { return s.clock.Now() }

// Advance moves the fake's clock d on, and returns the new time. It refuses
// to move the clock backwards, or more than [MaxAdvance] from its start.
func (s *Server) Advance(d time.Duration) (time.Time, error) { return s.clock.Advance(d) }

// Reset puts tokens, clock, sequences and journal back to their start.
func (s *Server) Reset() {
	s.tokens.reset()
	s.clock.reset()
	s.seqs.reset()
	s.journal.clear()
}

// Journal returns the requests the server answered that every filter
// selects, oldest first: all of them with no filter.
func (s *Server) Journal(filters ...Filter) []Entry {
	return s.journal.list(All(filters...))
}

// ClearJournal empties the journal.
func (s *Server) ClearJournal() { s.journal.clear() }

// MintToken issues a token for appid that lives lifetime (at most
// [MaxAdvance]), outside the token
// endpoints' rotation, bound to scenario unless it is "".
func (s *Server) MintToken(appid, scenario string, lifetime time.Duration) (string, error) {
	c := s.Config()
	if lifetime <= 0 || lifetime > MaxAdvance {
		return "", fmt.Errorf("mock: a token lifetime must be positive and at most %v, not %v", MaxAdvance, lifetime)
	}
	if c.App(appid) == nil {
		return "", fmt.Errorf("%w %q", ErrUnknownApp, appid)
	}
	if scenario != "" && c.Scenario(scenario) == nil {
		return "", fmt.Errorf("%w %q", ErrUnknownScenario, scenario)
	}
	return s.tokens.mint(appid, scenario, s.Now(), lifetime).value, nil
}

// Reauthorize gives an authorization a new refresh token, as when the
// account authorizes the platform again; the old one works five more
// minutes. It returns the new refresh token.
func (s *Server) Reauthorize(componentAppID, authorizerAppID string) (string, error) {
	comp := s.Config().Component(componentAppID)
	if comp == nil {
		return "", fmt.Errorf("%w %q", ErrUnknownComponent, componentAppID)
	}
	auth := comp.Authorization(authorizerAppID)
	if auth == nil {
		return "", fmt.Errorf("%w: %q has not authorized %q", ErrUnknownApp, authorizerAppID, componentAppID)
	}
	return s.tokens.rotateRefresh(refreshKey(comp.AppID, auth.AppID), auth.RefreshToken, s.Now()), nil
}

// Components returns the third-party platforms with their refresh tokens as they are now.
func (s *Server) Components() []Component {
	out := []Component{}
	for _, c := range s.Config().Components {
		now := *c
		now.Authorizations = slices.Clone(c.Authorizations)
		for i := range now.Authorizations {
			a := &now.Authorizations[i]
			a.RefreshToken = s.tokens.currentRefresh(refreshKey(c.AppID, a.AppID), a.RefreshToken)
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
	writeAnswer(w, errcodeAnswer(-1, "system error", s.newRID(s.Now())))
}

// newRID returns a request id unique to this server: the counter is mixed
// by a bijection, so no two calls give the same id.
func (s *Server) newRID(now time.Time) string {
	return tcbmock.RID(now, mix(s.ridSeed+s.ridN.Add(1)))
}

// mix is splitmix64's finaliser, a bijection on uint64.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
