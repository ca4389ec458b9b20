package mock

import (
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock/internal/tokens"
)

// issue runs the token behaviour the operation's x-answer names. Each
// checks the credentials the request gives against the world, then issues
// a token with the lifetime and overlap the spec gives.
func (s *Server) issue(c *call, r *apispec.AnswerRule) outcome {
	switch r.Issue {
	case apispec.IssueAppToken, apispec.IssueStableToken:
		return s.issueAppToken(c, r)
	case apispec.IssueComponentToken:
		return s.issueComponentToken(c, r)
	}
	return s.issueAuthorizerToken(c, r)
}

// issued is the success answer of a token behaviour.
func issued(c *call, token string, expiresIn time.Duration, refresh string) answer {
	return c.tpl.ok(c.tpl.success.render(&fill{token: token, expiresIn: int(expiresIn / time.Second), refresh: refresh}))
}

// issueAppToken issues an app's token: a new one each call (app-token),
// or the current one while more than the overlap is left of it
// (stable-token, which force_refresh replaces at once, within limits).
func (s *Server) issueAppToken(c *call, r *apispec.AnswerRule) outcome {
	appid := c.field("appid")
	app := c.cfg.App(appid)
	switch {
	case app == nil && c.cfg.world.component(appid) != nil:
		// a platform's appid: the first row of the two the table lists
		return refuse(c, tcbmock.CauseComponentAppID, tcbmock.CauseUnknownAppID)
	case app == nil:
		return refuse(c, tcbmock.CauseUnknownAppID)
	case app.Secret != c.field("secret"):
		return refuse(c, tcbmock.CauseWrongSecret)
	}
	if cause := s.denied(c, app.AppID, &app.Access); cause != "" {
		return refuse(c, cause)
	}
	if r.Issue == apispec.IssueStableToken {
		t, left := s.tokens.Stable(app.AppID, c.flag("force_refresh"), c.now, r)
		return outcome{answer: issued(c, t.Value, left, "")}
	}
	t := s.tokens.Issue(&tokens.Token{Kind: apispec.KindApp, AppID: app.AppID}, c.now, r)
	return outcome{answer: issued(c, t.Value, r.Lifetime(), "")}
}

// issueComponentToken issues a third-party platform's component token.
func (s *Server) issueComponentToken(c *call, r *apispec.AnswerRule) outcome {
	comp := c.cfg.world.component(c.field("component_appid"))
	switch {
	case comp == nil:
		return refuse(c, tcbmock.CauseUnknownComp)
	case comp.Secret != c.field("component_appsecret"):
		return refuse(c, tcbmock.CauseWrongSecret)
	case comp.VerifyTicket != c.field("component_verify_ticket"):
		return refuse(c, tcbmock.CauseWrongTicket)
	case !comp.allows(c.ip) && c.lists(tcbmock.CauseIPNotAllowed):
		return refuse(c, tcbmock.CauseIPNotAllowed)
	}
	t := s.tokens.Issue(&tokens.Token{Kind: apispec.KindComponent, AppID: comp.AppID}, c.now, r)
	return outcome{answer: issued(c, t.Value, r.Lifetime(), "")}
}

// issueAuthorizerToken issues, to the platform of the request's component
// token, a token of an account that authorized it, and says its current
// refresh token. The journal says the request acted for that account.
func (s *Server) issueAuthorizerToken(c *call, r *apispec.AnswerRule) outcome {
	o := s.authorizerToken(c, r)
	o.appid, o.component = c.field("authorizer_appid"), c.token.AppID
	return o
}

func (s *Server) authorizerToken(c *call, r *apispec.AnswerRule) outcome {
	comp := c.cfg.world.component(c.token.AppID)
	if c.field("component_appid") != comp.AppID {
		return refuse(c, tcbmock.CauseUnknownComp)
	}
	auth := comp.Authorization(c.field("authorizer_appid"))
	if auth == nil {
		return refuse(c, tcbmock.CauseNotAuthorized)
	}
	key := refreshKey(comp.AppID, auth.AppID)
	if !s.tokens.CheckRefresh(key, auth.RefreshToken, c.field("authorizer_refresh_token"), c.now) {
		return refuse(c, tcbmock.CauseWrongRefresh)
	}
	t := s.tokens.Issue(&tokens.Token{Kind: apispec.KindAuthorizer, AppID: auth.AppID, Component: comp.AppID}, c.now, r)
	return outcome{answer: issued(c, t.Value, r.Lifetime(), s.tokens.CurrentRefresh(key, auth.RefreshToken))}
}
