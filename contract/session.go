package contract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sync"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// ErrCredentials is returned when the target refuses the credentials the
// suite was given: the answer's errcode is one the spec's when column gives
// for a wrong appid, secret or token.
var ErrCredentials = errors.New("contract: the credentials were refused")

// session is what the scenarios of one run share: the target, the spec, the
// app the suite acts as and its token, and what must never be written.
type session struct {
	target *Target
	spec   *apispec.Spec
	secret redactor

	observed observations // what production answered where the fake chose

	mu          sync.Mutex
	creds       Credentials     // the app's: the target's, or on a fake the world's
	unpermitted ThirdParty      // on a fake, a mini program that did not grant getenvinfo's permission sets
	world       *worldInfo      // the fake's world; nil on production
	scenarios   map[string]bool // the names of the fake's scenarios; nil on production
	token       string          // the cached token
	component   string          // the cached component token
}

// phrases holds the steps' phrases compiled, once a process rather than
// once a scenario: godog compiles a string phrase every time it is bound.
var phrases sync.Map // phrase → *regexp.Regexp

// phrase returns a step's phrase compiled.
func phrase(p string) *regexp.Regexp {
	if re, ok := phrases.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re, _ := phrases.LoadOrStore(p, regexp.MustCompile(p))
	return re.(*regexp.Regexp)
}

// getEnvInfo is the operation whose permission sets the third-party
// scenarios need, and that checks a token given as it is.
const getEnvInfo = "getEnvInfo"

// newSession returns the session of a run against target.
func newSession(target *Target, spec *apispec.Spec) *session {
	s := &session{target: target, spec: spec, creds: target.Credentials}
	c := target.Credentials
	s.secret.add(c.Secret, c.Token, c.ComponentSecret, c.VerifyTicket, c.RefreshToken, target.AdminToken)
	return s
}

// start prepares the run: on a fake it reads the world and chooses the app;
// then it checks the credentials, so that a wrong one is one clear error
// rather than a failure in every scenario.
func (s *session) start(ctx context.Context) error {
	if s.target.Admin {
		if err := s.readConfig(ctx); err != nil {
			return err
		}
		if err := s.readWorld(ctx); err != nil {
			return err
		}
	}
	return s.checkCredentials(ctx)
}

// ErrProxyTarget is returned for a target that is tcbmock proxy run without
// --live: its admin API journals, but it has no world, clock or scenarios.
var ErrProxyTarget = errors.New("contract: the target is tcbmock proxy, in front of production: check it as production (--live)")

// ErrServerScenario is returned for a fake with a server default scenario:
// it answers every request that chooses none with that scenario, so no
// scenario of the suite could pass.
var ErrServerScenario = errors.New("contract: the target answers every request with its server default scenario")

// readConfig reads what the fake says of itself (GET config): a proxy's
// journal or a server-wide scenario is a setup error, not a deviation.
func (s *session) readConfig(ctx context.Context) error {
	var c struct {
		JournalOnly bool   `json:"journal_only"`
		Scenario    string `json:"scenario"`
	}
	if err := s.target.admin().Do(ctx, http.MethodGet, "config", nil, &c); err != nil {
		return nil // an older fake: nothing to learn
	}
	switch {
	case c.JournalOnly:
		return ErrProxyTarget
	case c.Scenario != "":
		return fmt.Errorf("%w %q (serve --scenario): run check against a fake without one", ErrServerScenario, c.Scenario)
	}
	return nil
}

// lacksScenario says why a scenario of the features that forces the fake's
// scenario name cannot run on the target, or "": a fake without it (one
// replaying a recording, say) lacks it; production was excluded already.
func (s *session) lacksScenario(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.scenarios == nil || s.scenarios[name] {
		return ""
	}
	return fmt.Sprintf("the target has no scenario %q (GET %sscenarios does not list it)", name, AdminPrefix)
}

// readWorld reads the fake's world and, unless the target names them, takes
// the app with the most environments and a third-party platform from it.
func (s *session) readWorld(ctx context.Context) error {
	var w worldInfo
	if err := s.target.admin().Apps(ctx, &w); err != nil {
		if err := unanswered(ctx, s.target.BaseURL, err); err != nil {
			return err
		}
		return fmt.Errorf("contract: reading the fake's world: %w", err)
	}
	s.secret.add(w.secrets()...)
	var listed struct {
		Scenarios []struct {
			Name string `json:"name"`
		} `json:"scenarios"`
	}
	if err := s.target.admin().Do(ctx, http.MethodGet, "scenarios", nil, &listed); err != nil {
		return fmt.Errorf("contract: reading the fake's scenarios: %w", err)
	}
	names := map[string]bool{}
	for _, sc := range listed.Scenarios {
		names[sc.Name] = true
	}
	c := s.target.Credentials
	if c.AppID == "" {
		app, err := w.richestApp()
		if err != nil {
			return fmt.Errorf("contract: %w", err)
		}
		c.AppID, c.Secret = app.AppID, app.Secret
	}
	if !c.ThirdParty.Complete() {
		c.ThirdParty, s.unpermitted = w.thirdParty(s.spec.Operation(getEnvInfo))
	}
	s.mu.Lock()
	s.world, s.creds, s.scenarios = &w, c, names
	s.mu.Unlock()
	return nil
}

// checkCredentials gets the run's token, or checks the one given: an answer
// whose errcode the spec gives for a wrong credential is ErrCredentials, no
// answer at all ErrUnreachable; any other answer is for the scenarios to judge.
func (s *session) checkCredentials(ctx context.Context) error {
	c := s.credentials()
	pre := &scenario{session: s, id: "preflight"}
	var err error
	switch {
	case c.Token != "":
		err = pre.listWith(ctx, c.Token)
	case c.AppID != "" && c.Secret != "":
		err = pre.stableToken(ctx, false)
	default:
		return nil
	}
	if err := unanswered(ctx, s.target.BaseURL, err); err != nil {
		return err
	}
	a := pre.last
	if a == nil || a.op == nil {
		return nil
	}
	if row, ok := a.op.Errcode(a.Errcode); ok && a.Errcode != 0 && refusesCredentials(a.op, row) {
		return fmt.Errorf("%w: %s answered %d %s", ErrCredentials, a.op.Path, a.Errcode, apispec.RIDPattern.ReplaceAllString(a.Errmsg, ""))
	}
	if err == nil && c.Token == "" {
		s.mu.Lock()
		s.token = pre.token
		s.mu.Unlock()
	}
	return nil
}

// refusesCredentials reports whether the row answers a wrong credential:
// one of its when causes is about the app, the secret or the token.
func refusesCredentials(op *apispec.Operation, row apispec.Errcode) bool {
	fixed := []string{tcbmock.CauseUnknownAppID, tcbmock.CauseWrongSecret, tcbmock.CauseUnknownToken,
		tcbmock.CauseExpiredToken, tcbmock.CauseWrongKind, tcbmock.CauseUnauthorized}
	for _, f := range credentialFields(op) {
		fixed = append(fixed, tcbmock.Missing(f), tcbmock.Invalid(f))
	}
	return slices.ContainsFunc(row.When, func(cause string) bool { return slices.Contains(fixed, cause) })
}

// credentials returns the app the suite acts as.
func (s *session) credentials() Credentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.creds
}

// expectedEnvs returns the environments the app is known to have: on a
// fake, the world's, in its order (known); else the ids given (--env).
func (s *session) expectedEnvs() (world []map[string]any, ids []string, known bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.world != nil {
		if app := s.world.app(s.creds.AppID); app != nil {
			return app.entities("envs"), s.target.Envs, true
		}
	}
	return nil, s.target.Envs, false
}

// entity returns the field of the first entity in list the app is known to
// have: on a fake the world's; else, for environments, the first --env.
func (s *session) entity(list, field string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.world != nil {
		if app := s.world.app(s.creds.AppID); app != nil {
			return app.entity(list, field)
		}
	}
	if list == "envs" && len(s.target.Envs) > 0 {
		return s.target.Envs[0], true
	}
	return "", false
}

// suiteApp returns the suite's app in the target's world, or nil when
// the world is unknown (not a fake) or lacks the app.
func (s *session) suiteApp() *appInfo {
	return s.worldApp(func(a *appInfo) bool { return a.AppID == s.creds.AppID })
}

// knowsWorld reports whether the suite read the target's world (a fake's).
func (s *session) knowsWorld() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.world != nil
}

// cached returns the run's token in *slot, getting it with get the first time.
func (s *session) cached(slot *string, get func() (string, error)) (string, error) {
	s.mu.Lock()
	tok := *slot
	s.mu.Unlock()
	if tok != "" {
		return tok, nil
	}
	tok, err := get()
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	*slot = tok
	s.mu.Unlock()
	return tok, nil
}

// forget drops the cached tokens, after the fake was reset.
func (s *session) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token, s.component = "", ""
}
