package mock

import (
	"github.com/tcbmock/tcbmock"
)

// clearQuota runs an operation's x-clear-quota: it finds the app the call
// clears the quota of (the appid it names, checked against its token or
// its secret), counts the call against the app's monthly limit, and
// clears. It returns the refusal, or nil when the call cleared.
func (s *Server) clearQuota(c *call) *outcome {
	app, cause := c.account()
	if app == nil && cause == "" { // a token whose app is gone
		cause = tcbmock.CauseUnknownAppID
	}
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
