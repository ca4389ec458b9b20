package contract

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cucumber/godog"
)

// registerThirdParty binds the steps of the third-party platform's token chain.
func (s *scenario) registerThirdParty(sc *godog.ScenarioContext) {
	sc.Step(`^the platform's component token$`, s.platformToken)
	sc.Step(`^I get a component token with the scenario "([^"]*)"$`, s.componentTokenForced)
	sc.Step(`^I get the authorizer token of the mini program$`, func(ctx context.Context) error {
		return s.authorizerToken(ctx, "component_access_token", s.permitted, "")
	})
	sc.Step(`^I get the authorizer token of the mini program, passing the component token as access_token$`, func(ctx context.Context) error {
		return s.authorizerToken(ctx, "access_token", s.permitted, "")
	})
	sc.Step(`^I get the authorizer token of the mini program without the permission sets$`, func(ctx context.Context) error {
		return s.authorizerToken(ctx, "component_access_token", s.unpermitted, "")
	})
	sc.Step(`^I get the authorizer token of the mini program with the scenario "([^"]*)"$`, func(ctx context.Context, name string) error {
		return s.authorizerToken(ctx, "component_access_token", s.permitted, name)
	})
	sc.Step(`^I list the environments with the component token$`, func(ctx context.Context) error { return s.listWith(ctx, s.component) })
	sc.Step(`^I ask api_component_token with (.+)$`, s.probeComponent)
	sc.Step(`^I ask api_authorizer_token with (.+)$`, s.probeAuthorizer)
	sc.Step(`^the mini program authorizes the platform again$`, s.reauthorize)
	sc.Step(`^the (old|new) refresh token (?:still )?gives an authorizer token$`, func(ctx context.Context, which string) error {
		return s.refreshAnswers(ctx, which, 0)
	})
	sc.Step(`^the (old|new) refresh token is refused with errcode (-?\d+)$`, s.refreshAnswers)
}

// permitted returns the mini program that granted getenvinfo's permission sets.
func (s *scenario) permitted(ctx context.Context) (ThirdParty, error) {
	c, err := s.session.credentials(ctx)
	if err != nil {
		return ThirdParty{}, err
	}
	if !c.ThirdParty.Complete() {
		return ThirdParty{}, fmt.Errorf("%w: no third-party platform's credentials", godog.ErrSkip)
	}
	return c.ThirdParty, nil
}

// unpermitted returns a mini program that did not grant getenvinfo's permission sets.
func (s *scenario) unpermitted(ctx context.Context) (ThirdParty, error) {
	if _, err := s.session.credentials(ctx); err != nil {
		return ThirdParty{}, err
	}
	if !s.session.unpermitted.Complete() {
		return ThirdParty{}, fmt.Errorf("%w: the target has no mini program without getenvinfo's permission sets", godog.ErrSkip)
	}
	return s.session.unpermitted, nil
}

func (s *scenario) componentRequest(tp ThirdParty) request {
	body := map[string]string{"component_appid": tp.ComponentAppID, "component_appsecret": tp.ComponentSecret, "component_verify_ticket": tp.VerifyTicket}
	return request{method: http.MethodPost, path: "/cgi-bin/component/api_component_token", body: jsonString(body)}
}

// platformToken gets the run's component token.
func (s *scenario) platformToken(ctx context.Context) error {
	tok, err := s.session.cached(&s.session.component, func() (string, error) {
		tp, err := s.permitted(ctx)
		if err != nil {
			return "", err
		}
		a, err := s.send(ctx, s.componentRequest(tp))
		if err != nil {
			return "", err
		}
		if a.ComponentAccessToken == "" {
			return "", fmt.Errorf("no component token: errcode %d, %s", a.Errcode, short(a.body))
		}
		return a.ComponentAccessToken, nil
	})
	s.component = tok
	return err
}

func (s *scenario) componentTokenForced(ctx context.Context, name string) error {
	tp, err := s.permitted(ctx)
	if err != nil {
		return err
	}
	req := s.componentRequest(tp)
	req.scenario = name
	_, err = s.send(ctx, req)
	return err
}

// authorizerRequest asks for an authorizer token with the component token as param.
func authorizerRequest(param, componentToken string, body map[string]string) request {
	req := request{method: http.MethodPost, path: "/cgi-bin/component/api_authorizer_token", body: jsonString(body)}
	if componentToken != "" {
		req.query = url.Values{param: {componentToken}}
	}
	return req
}

func authorizerBody(tp ThirdParty) map[string]string {
	return map[string]string{"component_appid": tp.ComponentAppID, "authorizer_appid": tp.AuthorizerAppID, "authorizer_refresh_token": tp.RefreshToken}
}

// authorizerToken gets the authorizer token of the mini program who
// returns; on success "I" call with it.
func (s *scenario) authorizerToken(ctx context.Context, param string, who func(context.Context) (ThirdParty, error), scenario string) error {
	tp, err := who(ctx)
	if err != nil {
		return err
	}
	req := authorizerRequest(param, s.component, authorizerBody(tp))
	req.scenario = scenario
	a, err := s.send(ctx, req)
	if err == nil && a.AuthorizerAccessToken != "" {
		s.token = a.AuthorizerAccessToken
	}
	return err
}

// probeComponent sends api_component_token a request that is wrong in one way.
func (s *scenario) probeComponent(ctx context.Context, what string) error {
	tp, err := s.permitted(ctx)
	if err != nil {
		return err
	}
	body := map[string]string{"component_appid": tp.ComponentAppID, "component_appsecret": tp.ComponentSecret, "component_verify_ticket": tp.VerifyTicket}
	switch what {
	case "no component_appid":
		delete(body, "component_appid")
	case "an unknown component":
		body["component_appid"], body["component_appsecret"] = unknownAppID, strings.Repeat("0", 32)
	case "no secret":
		delete(body, "component_appsecret")
	case "a wrong secret":
		body["component_appsecret"] = strings.Repeat("0", 32)
	case "a wrong verify ticket":
		body["component_verify_ticket"] = "ticket@@@tcbmock-wrong-ticket"
	default:
		return fmt.Errorf("no such request: %q", what)
	}
	_, err = s.send(ctx, request{method: http.MethodPost, path: "/cgi-bin/component/api_component_token", body: jsonString(body)})
	return err
}

// probeAuthorizer sends api_authorizer_token a request that is wrong in one way.
func (s *scenario) probeAuthorizer(ctx context.Context, what string) error {
	tp, err := s.permitted(ctx)
	if err != nil {
		return err
	}
	token, body := s.component, authorizerBody(tp)
	switch what {
	case "an account that did not authorize the platform":
		body["authorizer_appid"] = unknownAppID
	case "the account's token":
		token = s.token
	case "no component token":
		token = ""
	case "a malformed component token":
		token = "not-a-token"
	case "an unknown component token":
		token = unknownToken
	case "no component_appid":
		delete(body, "component_appid")
	case "another component":
		body["component_appid"] = unknownAppID
	case "a wrong refresh token":
		body["authorizer_refresh_token"] = "refreshtoken@@@tcbmock-wrong-refresh-token"
	default:
		return fmt.Errorf("no such request: %q", what)
	}
	_, err = s.send(ctx, authorizerRequest("component_access_token", token, body))
	return err
}

// reauthorize has the fake's mini program authorize the platform again.
func (s *scenario) reauthorize(ctx context.Context) error {
	tp, err := s.permitted(ctx)
	if err != nil {
		return err
	}
	var got struct {
		AuthorizerRefreshToken string `json:"authorizer_refresh_token"`
	}
	in := map[string]string{"component_appid": tp.ComponentAppID, "authorizer_appid": tp.AuthorizerAppID}
	if err := s.session.target.admin(ctx, http.MethodPost, "reauthorize", in, &got); err != nil {
		return err
	}
	s.movedClock = true // the fake's state changed: reset it after the scenario
	s.refreshes = []string{tp.RefreshToken, got.AuthorizerRefreshToken}
	return nil
}

// refreshAnswers asks for an authorizer token with the old or new refresh
// token, and expects errcode want.
func (s *scenario) refreshAnswers(ctx context.Context, which string, want int) error {
	tp, err := s.permitted(ctx)
	if err != nil {
		return err
	}
	if len(s.refreshes) != 2 {
		return fmt.Errorf("the mini program has not authorized the platform again")
	}
	tp.RefreshToken = s.refreshes[map[string]int{"old": 0, "new": 1}[which]]
	if err := s.platformToken(ctx); err != nil {
		return err
	}
	if _, err := s.send(ctx, authorizerRequest("component_access_token", s.component, authorizerBody(tp))); err != nil {
		return err
	}
	return s.errcodeIs(want)
}
