package contract

import (
	"context"
	"fmt"
)

// The third-party platform's operations, by operationId.
const (
	opComponentToken  = "getComponentAccessToken"
	opAuthorizerToken = "getAuthorizerAccessToken"
)

// permitted returns the mini program that granted getenvinfo's permission sets.
func (s *scenario) permitted(context.Context) (ThirdParty, error) {
	c := s.session.credentials()
	if !c.ThirdParty.Complete() {
		return ThirdParty{}, skip("needs a third-party platform's credentials")
	}
	return c.ThirdParty, nil
}

// unpermitted returns a mini program that did not grant getenvinfo's permission sets.
func (s *scenario) unpermitted(context.Context) (ThirdParty, error) {
	if !s.session.unpermitted.Complete() {
		return ThirdParty{}, skip("the target has no mini program without getenvinfo's permission sets")
	}
	return s.session.unpermitted, nil
}

// platformToken gets the run's component token.
func (s *scenario) platformToken(ctx context.Context) error {
	tok, err := s.session.cached(&s.session.component, func() (string, error) {
		if _, err := s.permitted(ctx); err != nil {
			return "", err
		}
		c, err := s.tokenCall(ctx, opComponentToken)
		if err != nil {
			return "", err
		}
		a, err := s.do(ctx, c)
		if err != nil {
			return "", err
		}
		if a.ComponentAccessToken == "" {
			return "", fmt.Errorf("no component token: errcode %d, %s", a.Errcode, s.session.excerpt(a.body))
		}
		return a.ComponentAccessToken, nil
	})
	s.component = tok
	return err
}

// authorizerCall is the valid api_authorizer_token call for the mini program who returns.
func (s *scenario) authorizerCall(ctx context.Context, who func(context.Context) (ThirdParty, error)) (*opRequest, error) {
	tp, err := who(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.tokenCall(ctx, opAuthorizerToken)
	if err != nil {
		return nil, err
	}
	c.set("authorizer_appid", tp.AuthorizerAppID)
	c.set("authorizer_refresh_token", tp.RefreshToken)
	return c, nil
}

// authorizerTokenOf returns an authorizer token of the mini program who returns.
func (s *scenario) authorizerTokenOf(ctx context.Context, who func(context.Context) (ThirdParty, error)) (string, error) {
	c, err := s.authorizerCall(ctx, who)
	if err != nil {
		return "", err
	}
	a, err := s.do(ctx, c)
	if err != nil {
		return "", err
	}
	if a.AuthorizerAccessToken == "" {
		return "", fmt.Errorf("no authorizer token: errcode %d, %s", a.Errcode, s.session.excerpt(a.body))
	}
	return a.AuthorizerAccessToken, nil
}

// authorizerToken gets the authorizer token of the mini program who
// returns, passing the component token in param; on success "I" call with it.
func (s *scenario) authorizerToken(ctx context.Context, param string, who func(context.Context) (ThirdParty, error)) error {
	c, err := s.authorizerCall(ctx, who)
	if err != nil {
		return err
	}
	c.clearToken()
	c.query.Set(param, s.component)
	a, err := s.do(ctx, c)
	if err == nil && a.AuthorizerAccessToken != "" {
		s.token = a.AuthorizerAccessToken
	}
	return err
}

// reauthorize has the fake's mini program authorize the platform again.
func (s *scenario) reauthorize(ctx context.Context) error {
	tp, err := s.permitted(ctx)
	if err != nil {
		return err
	}
	s.changed = true // even a failed call may have changed the fake
	got, err := s.session.target.admin().Reauthorize(ctx, tp.ComponentAppID, tp.AuthorizerAppID)
	if err != nil {
		return err
	}
	s.session.secret.add(got)
	s.refreshes = []string{tp.RefreshToken, got}
	return nil
}

// refreshAnswers asks for an authorizer token with the old or new refresh
// token, and expects errcode want.
func (s *scenario) refreshAnswers(ctx context.Context, which, want string) error {
	if len(s.refreshes) != 2 {
		return fmt.Errorf("the mini program has not authorized the platform again")
	}
	if err := s.platformToken(ctx); err != nil {
		return err
	}
	c, err := s.authorizerCall(ctx, s.permitted)
	if err != nil {
		return err
	}
	c.set("authorizer_refresh_token", s.refreshes[map[string]int{"old": 0, "new": 1}[which]])
	if _, err := s.do(ctx, c); err != nil {
		return err
	}
	return s.errcodeIs(ctx, want)
}
