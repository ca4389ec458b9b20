package mock

import (
	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// check checks a request in the documented order: its query parameters,
// its token, its body. It returns the causes of the first check that
// fails, or none; the operation's x-errcodes table makes them an errcode.
func check(c *call) []string {
	if len(c.req.params) > 0 {
		return c.req.params
	}
	if c.op.Token != nil {
		if cause := c.checkToken(); cause != "" {
			return []string{cause}
		}
	}
	if c.bodyErr != nil {
		return []string{tcbmock.CauseMalformedBody}
	}
	if causes := c.req.body; len(causes) > 0 {
		if _, _, ok := c.op.Cause(causes...); !ok {
			// The table names none of these fields: the body is of the wrong shape.
			return []string{tcbmock.CauseInvalidBody, tcbmock.CauseMalformedBody}
		}
		return causes
	}
	return nil
}

// checkToken checks the request's token against the operation's x-token
// and the world, and returns the cause it fails with, or "".
func (c *call) checkToken() string {
	t := c.token
	switch {
	case c.tokenValue == "":
		return tcbmock.Missing(c.tokenParam)
	case t == nil:
		return tcbmock.CauseUnknownToken
	}
	if cause := t.FailsAt(c.now); cause != "" {
		return cause
	}
	if !c.op.Takes(t.Kind) {
		return tcbmock.CauseWrongKind
	}
	w := c.cfg.world
	switch t.Kind {
	case apispec.KindComponent:
		if w.component(t.AppID) == nil {
			return tcbmock.CauseUnknownToken
		}
	case apispec.KindAuthorizer:
		comp := w.component(t.Component)
		if comp == nil || comp.Authorization(t.AppID) == nil || w.app(t.AppID) == nil {
			return tcbmock.CauseUnknownToken
		}
		if !c.op.Grants(comp.Authorization(t.AppID).PermissionSets) {
			return tcbmock.CauseUnauthorized
		}
	default:
		if w.app(t.AppID) == nil {
			return tcbmock.CauseUnknownToken
		}
	}
	return ""
}
