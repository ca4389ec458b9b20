package contract

import (
	"context"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// maxQuotaCalls is the most calls the suite makes to use up a quota: a
// limit larger than that (the documented ones) is skipped with the reason.
const maxQuotaCalls = 50

// earnAccess changes a valid call so that it earns a cause of an account's
// access: it acts for an app (or a platform) of the target's world that
// earns it (one outside the suite's address, in a state, with a quota it
// then uses up). It returns false for a cause that is not one of those.
func (s *scenario) earnAccess(ctx context.Context, c *opRequest, cause string) (bool, error) {
	switch {
	case cause == tcbmock.CauseIPNotAllowed:
		return true, s.actForGuarded(c)
	case cause == tcbmock.CauseComponentAppID:
		w := s.session.worldNow()
		if w == nil || len(w.Components) == 0 {
			return true, skip("the target has no third-party platform whose appid to send")
		}
		return true, setField(c, "appid", w.Components[0].AppID)
	case slices.Contains(apispec.AppStates, cause):
		app := s.session.worldApp(func(a *appInfo) bool { return a.fields["state"] == cause })
		if app == nil {
			return true, skip(fmt.Sprintf("the target's world has no app in the state %q", cause))
		}
		return true, actFor(c, app)
	case cause == tcbmock.CauseDailyQuota || cause == tcbmock.CauseMinuteQuota || cause == tcbmock.CauseMonthlyQuota:
		return true, s.useUpQuota(ctx, c, cause)
	case cause == tcbmock.CauseUnknownAPI:
		if c.op.Clear == nil || c.op.Clear.API == "" {
			return true, fmt.Errorf("%s names no API whose quota it clears", c.op.ID)
		}
		return true, setField(c, c.op.Clear.API, "/cgi-bin/tcbmock-no-such-api")
	}
	return false, nil
}

// suiteAddresses are the addresses the suite calls a fake from, as far as
// it knows: loopback.
var suiteAddresses = []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")}

// leavesOut reports whether an ip_whitelist is set and lets none of the
// suite's addresses in.
func leavesOut(list []any) bool {
	if len(list) == 0 {
		return false
	}
	for _, e := range list {
		s, _ := e.(string)
		p, err := netip.ParsePrefix(s)
		if err != nil {
			ip, err := netip.ParseAddr(s)
			if err != nil {
				continue
			}
			p = netip.PrefixFrom(ip, ip.BitLen())
		}
		if slices.ContainsFunc(suiteAddresses, p.Contains) {
			return false
		}
	}
	return true
}

// actForGuarded makes the call act for a platform (for a component token)
// or an app whose whitelist leaves the suite's address out.
func (s *scenario) actForGuarded(c *opRequest) error {
	w := s.session.worldNow()
	if c.has("component_appid") {
		for _, comp := range worldComponents(w) {
			if leavesOut(comp.IPWhitelist) {
				c.set("component_appid", comp.AppID)
				c.set("component_appsecret", comp.Secret)
				c.set("component_verify_ticket", comp.VerifyTicket)
				return nil
			}
		}
		return skip("the target's world has no third-party platform whose ip_whitelist leaves out 127.0.0.1")
	}
	app := s.session.worldApp(func(a *appInfo) bool { l, _ := a.fields["ip_whitelist"].([]any); return leavesOut(l) })
	if app == nil {
		return skip("the target's world has no app whose ip_whitelist leaves out 127.0.0.1")
	}
	return actFor(c, app)
}

func worldComponents(w *worldInfo) []componentInfo {
	if w == nil {
		return nil
	}
	return w.Components
}

// actFor puts the app's appid and secret in the call's fields that hold them.
func actFor(c *opRequest, app *appInfo) error {
	if err := setField(c, "appid", app.AppID); err != nil {
		return err
	}
	for _, name := range []string{"secret", "appsecret"} {
		if c.has(name) {
			c.set(name, app.Secret)
		}
	}
	return nil
}

// useUpQuota makes the call act for an app of the target's world whose
// quota is on, and calls it until the next call passes the limit of cause:
// for the day's, a minute on the fake's clock after each minute's worth.
func (s *scenario) useUpQuota(ctx context.Context, c *opRequest, cause string) error {
	app := s.session.worldApp(func(a *appInfo) bool { return a.fields["quota"] != nil })
	if app == nil {
		return skip("the target's world has no app whose quota is on")
	}
	limit, perMinute := quotaLimit(c.op, app, cause), quotaLimit(c.op, app, tcbmock.CauseMinuteQuota)
	switch {
	case limit == 0:
		return fmt.Errorf("%s has no limit for %q", c.op.ID, cause)
	case limit > maxQuotaCalls:
		return skip(fmt.Sprintf("using up %s's %s takes %d calls", c.op.ID, cause, limit))
	}
	if err := s.actAs(ctx, c, app); err != nil {
		return err
	}
	s.changed = true // the fake counted the calls: reset it afterwards
	for i := range limit {
		if cause == tcbmock.CauseDailyQuota && perMinute > 0 && i > 0 && i%perMinute == 0 {
			if err := s.advance(ctx, time.Minute.String()); err != nil {
				return err
			}
		}
		a, err := s.do(ctx, c.valid())
		if err != nil {
			return err
		}
		if a.Errcode != 0 {
			return fmt.Errorf("call %d of %d within %s's %s answered %d", i+1, limit, c.op.ID, cause, a.Errcode)
		}
	}
	if cause == tcbmock.CauseDailyQuota && perMinute > 0 && limit%perMinute == 0 {
		return s.advance(ctx, time.Minute.String())
	}
	return nil
}

// actAs makes the call act for app: its credentials in the fields, and a
// token of its own minted by the fake where the operation takes one.
func (s *scenario) actAs(ctx context.Context, c *opRequest, app *appInfo) error {
	if c.op.Token != nil {
		tok, err := s.session.target.admin().MintToken(ctx, app.AppID, "", 0)
		if err != nil {
			return err
		}
		c.setToken(tok)
		if c.has("appid") {
			c.set("appid", app.AppID)
		}
		return nil
	}
	return actFor(c, app)
}

// quotaLimit is the app's limit of the operation for cause: its own, else
// the spec's (x-quota); 0 when the operation has none.
func quotaLimit(op *apispec.Operation, app *appInfo, cause string) int {
	if op.Quota == nil {
		return 0
	}
	if _, _, ok := op.Cause(cause); !ok {
		return 0
	}
	key, spec := map[string]string{tcbmock.CauseDailyQuota: "daily", tcbmock.CauseMinuteQuota: "minute", tcbmock.CauseMonthlyQuota: "monthly"}[cause],
		map[string]int{tcbmock.CauseDailyQuota: op.Quota.Daily, tcbmock.CauseMinuteQuota: op.Quota.Minute, tcbmock.CauseMonthlyQuota: op.Quota.Monthly}[cause]
	if own, _ := app.fields["quota"].(map[string]any)[key].(float64); own > 0 {
		return int(own)
	}
	return spec
}

// valid returns a copy of the call, valid: made to earn no cause.
func (c *opRequest) valid() *opRequest {
	d := *c
	d.query = maps.Clone(c.query)
	d.body = maps.Clone(c.body)
	d.cause = ""
	return &d
}

// worldNow returns the target's world as last read, or nil on production.
func (s *session) worldNow() *worldInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.world
}

// worldApp returns the first app of the target's world that ok accepts, or nil.
func (s *session) worldApp(ok func(*appInfo) bool) *appInfo {
	w := s.worldNow()
	if w == nil {
		return nil
	}
	for i := range w.Apps {
		if ok(&w.Apps[i]) {
			return &w.Apps[i]
		}
	}
	return nil
}
