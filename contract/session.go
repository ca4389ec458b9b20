package contract

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/cucumber/godog"

	"github.com/tcbmock/tcbmock"
)

// session is what the scenarios of one run share: the target, the spec, the
// app the suite acts as and its token.
type session struct {
	target *Target
	spec   *tcbmock.Spec

	mu    sync.Mutex
	creds *Credentials // the app's, found on first use
	token string       // the cached token
}

// Skip is a scenario the run skipped, and why.
type Skip struct {
	Scenario string `json:"scenario"`
	Reason   string `json:"reason"`
}

// errNeedsSecret skips a step that needs the app's secret when only a token was given.
var errNeedsSecret = fmt.Errorf("%w: needs the app's appid and secret, and only a token was given", godog.ErrSkip)

// credentials returns the app the suite acts as: the target's credentials,
// or on a fake the app with the most environments.
func (s *session) credentials(ctx context.Context) (Credentials, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.creds != nil {
		return *s.creds, nil
	}
	c := s.target.Credentials
	if c.AppID == "" && s.target.Admin {
		app, err := s.richestApp(ctx)
		if err != nil {
			return Credentials{}, err
		}
		c.AppID, c.Secret = app.AppID, app.Secret
	}
	s.creds = &c
	return c, nil
}

// appInfo is an app as the fake's admin API lists it.
type appInfo struct {
	AppID    string `json:"appid"`
	Secret   string `json:"secret"`
	Scenario string `json:"scenario"`
	Envs     []any  `json:"envs"`
}

// richestApp returns the fake's app with the most environments and no
// bound scenario, so that filtering by env proves something.
func (s *session) richestApp(ctx context.Context) (appInfo, error) {
	var list struct{ Apps []appInfo }
	if err := s.target.admin(ctx, "GET", "apps", nil, &list); err != nil {
		return appInfo{}, err
	}
	best := -1
	for i, a := range list.Apps {
		if a.Scenario == "" && (best < 0 || len(a.Envs) > len(list.Apps[best].Envs)) {
			best = i
		}
	}
	if best < 0 {
		return appInfo{}, errors.New("the fake has no app without a bound scenario")
	}
	return list.Apps[best], nil
}

// cachedToken returns the run's token, getting it with get the first time.
func (s *session) cachedToken(get func() (string, error)) (string, error) {
	s.mu.Lock()
	tok := s.token
	s.mu.Unlock()
	if tok != "" {
		return tok, nil
	}
	tok, err := get()
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	s.token = tok
	s.mu.Unlock()
	return tok, nil
}

// forget drops the cached token, after the fake was reset.
func (s *session) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = ""
}
