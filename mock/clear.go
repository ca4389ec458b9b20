package mock

import (
	"github.com/tcbmock/tcbmock"
)

// clearQuota runs an operation's x-clear-quota: it finds the app the call
// clears the quota of (the appid it names, checked against its token or
// its secret), counts the call against the app's monthly limit, and
// clears. It returns the refusal, or nil when the call cleared.
func (s *Server) clearQuota(c *call) *outcome {
	app, cause := c.clearedApp()
	op := ""
	if cause == "" && c.op.Clear.API != "" {
		if op, cause = c.clearedAPI(); cause != "" {
			app = nil
		}
	}
	if app == nil {
		o := refuse(c, cause)
		return &o
	}
	if cause := s.denied(c, app.AppID, &app.Access); cause != "" {
		o := refuse(c, cause)
		return &o
	}
	s.quotas.clear(app.AppID, op)
	return nil
}

// clearedApp is the app whose quota the call clears: the appid the request
// names, which must be the account of its token or come with its secret;
// with no appid field, the token's account.
func (c *call) clearedApp() (*App, string) {
	appid := c.appid()
	if named := c.field("appid"); c.op.FieldSchema("appid") != nil {
		if c.token != nil && named != c.token.AppID {
			return nil, tcbmock.CauseUnknownAppID
		}
		appid = named
	}
	app := c.cfg.App(appid)
	switch {
	case app == nil:
		return nil, tcbmock.CauseUnknownAppID
	case c.op.FieldSchema("appsecret") != nil && c.field("appsecret") != app.Secret:
		return nil, tcbmock.CauseWrongSecret
	}
	return app, ""
}

// clearedAPI is the operation whose path the call's API field names.
func (c *call) clearedAPI() (string, string) {
	path := c.field(c.op.Clear.API)
	for _, o := range c.cfg.spec.Operations() {
		if o.Path == path && o.Quota != nil {
			return o.ID, ""
		}
	}
	return "", tcbmock.CauseUnknownAPI
}
