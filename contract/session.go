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

	mu          sync.Mutex
	creds       *Credentials // the app's, found on first use
	unpermitted ThirdParty   // on a fake, a mini program that did not grant getenvinfo's permission sets
	token       string       // the cached token
	component   string       // the cached component token
}

// getEnvInfo is the operation whose permission sets the third-party scenarios need.
const getEnvInfo = "getEnvInfo"

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
	if s.target.Admin {
		var world worldInfo
		if err := s.target.admin(ctx, "GET", "apps", nil, &world); err != nil {
			return Credentials{}, err
		}
		if c.AppID == "" {
			app, err := world.richestApp()
			if err != nil {
				return Credentials{}, err
			}
			c.AppID, c.Secret = app.AppID, app.Secret
		}
		if !c.ThirdParty.Complete() {
			c.ThirdParty, s.unpermitted = world.thirdParty(s.spec.Operation(getEnvInfo))
		}
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

// worldInfo is the fake's world as its admin API lists it.
type worldInfo struct {
	Apps       []appInfo `json:"apps"`
	Components []struct {
		AppID          string `json:"component_appid"`
		Secret         string `json:"component_appsecret"`
		VerifyTicket   string `json:"component_verify_ticket"`
		Authorizations []struct {
			AppID          string `json:"authorizer_appid"`
			RefreshToken   string `json:"authorizer_refresh_token"`
			PermissionSets []int  `json:"permission_sets"`
		} `json:"authorizations"`
	} `json:"components"`
}

// richestApp returns the fake's app with the most environments and no
// bound scenario, so that filtering by env proves something.
func (w *worldInfo) richestApp() (appInfo, error) {
	best := -1
	for i, a := range w.Apps {
		if a.Scenario == "" && (best < 0 || len(a.Envs) > len(w.Apps[best].Envs)) {
			best = i
		}
	}
	if best < 0 {
		return appInfo{}, errors.New("the fake has no app without a bound scenario")
	}
	return w.Apps[best], nil
}

// thirdParty returns a platform of the fake with a mini program that granted
// op's permission sets, and one that did not, if there is.
func (w *worldInfo) thirdParty(op *tcbmock.Operation) (tp ThirdParty, unpermitted ThirdParty) {
	for _, c := range w.Components {
		for _, a := range c.Authorizations {
			creds := ThirdParty{c.AppID, c.Secret, c.VerifyTicket, a.AppID, a.RefreshToken}
			switch {
			case op != nil && op.Grants(a.PermissionSets) && tp.AuthorizerAppID == "":
				tp = creds
			case op != nil && !op.Grants(a.PermissionSets) && unpermitted.AuthorizerAppID == "":
				unpermitted = creds
			}
		}
		if tp.Complete() {
			return tp, unpermitted
		}
	}
	return tp, unpermitted
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
