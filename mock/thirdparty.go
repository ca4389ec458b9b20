package mock

import (
	"encoding/json"
	"time"

	"github.com/tcbmock/tcbmock"
)

type componentTokenAnswer struct {
	ComponentAccessToken string `json:"component_access_token"`
	ExpiresIn            int    `json:"expires_in"`
}

type authorizerTokenAnswer struct {
	AuthorizerAccessToken  string `json:"authorizer_access_token"`
	ExpiresIn              int    `json:"expires_in"`
	AuthorizerRefreshToken string `json:"authorizer_refresh_token"`
}

// getComponentAccessToken issues a platform's component token.
func (s *Server) getComponentAccessToken(ex *exchange) answer {
	var req struct {
		AppID  string `json:"component_appid"`
		Secret string `json:"component_appsecret"`
		Ticket string `json:"component_verify_ticket"`
	}
	_ = json.Unmarshal(ex.body, &req) // validated
	ex.appid = req.AppID
	comp := ex.cfg.Component(req.AppID)
	switch {
	case comp == nil:
		return ex.fail(tcbmock.CauseUnknownComp)
	case comp.Secret != req.Secret:
		return ex.fail(tcbmock.CauseWrongSecret)
	case comp.VerifyTicket != req.Ticket:
		return ex.fail(tcbmock.CauseWrongTicket)
	}
	t := s.tokens.issue(&token{kind: tcbmock.KindComponent, appid: comp.AppID}, ex.now)
	return okAnswer(componentTokenAnswer{t.value, int(TokenLifetime / time.Second)})
}

// getAuthorizerAccessToken issues, to the platform of the request's
// component token, a token for an account that authorized it.
func (s *Server) getAuthorizerAccessToken(ex *exchange) answer {
	var req struct {
		ComponentAppID  string `json:"component_appid"`
		AuthorizerAppID string `json:"authorizer_appid"`
		RefreshToken    string `json:"authorizer_refresh_token"`
	}
	_ = json.Unmarshal(ex.body, &req) // validated
	comp := ex.cfg.Component(ex.token.appid)
	if req.ComponentAppID != comp.AppID {
		return ex.fail(tcbmock.CauseUnknownComp)
	}
	ex.appid = req.AuthorizerAppID
	auth := comp.Authorization(req.AuthorizerAppID)
	if auth == nil {
		return ex.fail(tcbmock.CauseNotAuthorized)
	}
	key := refreshKey(comp.AppID, auth.AppID)
	if !s.tokens.checkRefresh(key, auth.RefreshToken, req.RefreshToken, ex.now) {
		return ex.fail(tcbmock.CauseWrongRefresh)
	}
	t := s.tokens.issue(&token{kind: tcbmock.KindAuthorizer, appid: auth.AppID, component: comp.AppID}, ex.now)
	ex.token = t
	return okAnswer(authorizerTokenAnswer{t.value, int(TokenLifetime / time.Second), s.tokens.currentRefresh(key, auth.RefreshToken)})
}
