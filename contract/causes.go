package contract

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// callValid calls the operation validly.
func (s *scenario) callValid(ctx context.Context, opName string) error {
	return s.callChanged(ctx, opName, func(_ context.Context, c *opRequest) error {
		if c.lacks != "" {
			return skip(c.lacks)
		}
		return nil
	})
}

// callCause calls the operation with its valid call changed so that it
// earns cause, one of the when causes of its x-errcodes table.
func (s *scenario) callCause(ctx context.Context, opName, cause string) error {
	return s.callChanged(ctx, opName, func(ctx context.Context, c *opRequest) error {
		c.cause = cause
		return s.earn(ctx, c, cause)
	})
}

// change makes a valid call wrong in one way.
type change func(ctx context.Context, c *opRequest) error

// callChanged calls the operation (an operationId, a path, or its last
// segment) with its valid call changed by change.
func (s *scenario) callChanged(ctx context.Context, opName string, change change) error {
	op, err := s.session.operation(opName)
	if err != nil {
		return err
	}
	c, err := s.validCall(ctx, op)
	if err != nil {
		return err
	}
	if err := change(ctx, c); err != nil {
		return err
	}
	_, err = s.do(ctx, c)
	return err
}

// earn changes a valid call so that it earns cause.
func (s *scenario) earn(ctx context.Context, c *opRequest, cause string) error {
	if kind, name, ok := strings.Cut(cause, " "); ok && (kind == "missing" || kind == "invalid") && c.has(name) {
		if kind == "missing" {
			return missing(c, name)
		}
		return invalid(c, name)
	}
	switch cause {
	case tcbmock.CauseMethod:
		other := http.MethodGet
		if c.method == http.MethodGet {
			other = http.MethodPost
		}
		c.sendMethod(other)
	case tcbmock.CauseEmptyBody:
		c.sendBody("")
	case tcbmock.CauseMalformedBody:
		c.sendBody("{")
	case tcbmock.CauseInvalidBody:
		c.sendBody("[]")
	case tcbmock.CauseUnknownToken:
		c.setToken(unknownToken)
	case tcbmock.CauseExpiredToken:
		return s.expire(ctx)
	case tcbmock.CauseWrongKind:
		return s.wrongKind(ctx, c)
	case tcbmock.CauseUnauthorized:
		tok, err := s.authorizerTokenOf(ctx, s.unpermitted)
		c.setToken(tok)
		return err
	case tcbmock.CauseUnknownAppID:
		return setIfThere(c, "appid", unknownAppID, "secret", wrongSecret)
	case tcbmock.CauseWrongSecret:
		if c.has("component_appsecret") {
			return setField(c, "component_appsecret", wrongSecret)
		}
		if c.has("appsecret") {
			return setField(c, "appsecret", wrongSecret)
		}
		return setField(c, "secret", wrongSecret)
	case tcbmock.CauseUnknownComp:
		return setIfThere(c, "component_appid", unknownAppID, "component_appsecret", wrongSecret)
	case tcbmock.CauseWrongTicket:
		return setField(c, "component_verify_ticket", "ticket@@@tcbmock-wrong-ticket")
	case tcbmock.CauseNotAuthorized:
		return setField(c, "authorizer_appid", unknownAppID)
	case tcbmock.CauseWrongRefresh:
		return setField(c, "authorizer_refresh_token", "refreshtoken@@@tcbmock-wrong-refresh-token")
	default:
		if ok, err := s.earnAccess(ctx, c, cause); ok {
			return err
		}
		return fmt.Errorf("the suite cannot earn the cause %q of %s", cause, c.op.ID)
	}
	return nil
}

// missing leaves out a query parameter, a token parameter or a body field.
func missing(c *opRequest, name string) error {
	if c.op.Token != nil && c.op.Token.Params[0] == name {
		c.clearToken() // the first token parameter missing: none is given
		return nil
	}
	c.del(name)
	return nil
}

// invalid gives a query parameter, a token parameter or a body field a
// value its schema refuses.
func invalid(c *opRequest, name string) error {
	if c.op.Token != nil && slices.Contains(c.op.Token.Params, name) {
		c.clearToken()
		c.query.Set(name, "not-a-token")
		return nil
	}
	v, _, ok := c.op.InvalidValue(name)
	if !ok {
		return fmt.Errorf("the suite cannot make %s of %s invalid: its schema takes any string", name, c.op.ID)
	}
	c.set(name, v)
	return nil
}

// setField sets a field the operation has.
func setField(c *opRequest, name string, v any) error {
	if !c.has(name) {
		return fmt.Errorf("%s has no field %s", c.op.ID, name)
	}
	c.set(name, v)
	return nil
}

// setIfThere sets a field and, if the operation has it, a second one.
func setIfThere(c *opRequest, name string, v any, name2 string, v2 any) error {
	if err := setField(c, name, v); err != nil {
		return err
	}
	if c.has(name2) {
		c.set(name2, v2)
	}
	return nil
}

// wrongSecret is shaped like an AppSecret, but is nobody's.
var wrongSecret = strings.Repeat("0", 32)

// wrongKind passes a token of a kind the operation does not take: a
// platform's component token to an account's API, an account's to a
// platform's.
func (s *scenario) wrongKind(ctx context.Context, c *opRequest) error {
	if c.op.Takes(apispec.KindComponent) {
		tok, err := s.appTokenValue(ctx)
		c.setToken(tok)
		return err
	}
	err := s.platformToken(ctx)
	c.setToken(s.component)
	return err
}

// expire moves the fake's clock past the longest lifetime a token answer
// of the spec can have (the largest expires_in maximum): the call's token
// has then expired.
func (s *scenario) expire(ctx context.Context) error {
	lifetime := tokenLifetime(s.session.spec)
	if lifetime == 0 {
		return fmt.Errorf("%s bounds no expires_in: the suite cannot tell when a token expires", s.session.spec.File)
	}
	return s.advance(ctx, (lifetime + time.Second).String())
}

// tokenLifetime is the longest lifetime of the spec's token answers: the
// largest maximum of their expires_in.
func tokenLifetime(spec *apispec.Spec) time.Duration {
	var longest time.Duration
	for _, op := range spec.Operations() {
		if op.Answer != nil {
			longest = max(longest, op.Answer.Lifetime())
		}
	}
	return longest
}
