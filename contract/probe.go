package contract

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// wrongSecret is shaped like an AppSecret, but is nobody's.
var wrongSecret = strings.Repeat("0", 32)

// change makes a valid call wrong in one way.
type change func(ctx context.Context, c *call) error

// changes are the ways a feature can make a request wrong, by their phrase
// in "I ask ENDPOINT with PHRASE".
func (s *scenario) changes() map[string]change {
	return map[string]change{
		"a wrong grant_type":                             setField("grant_type", "password"),
		"no appid":                                       delField("appid"),
		"an unknown appid":                               setFields("appid", unknownAppID, "secret", wrongSecret),
		"no secret":                                      delField("secret"),
		"a wrong secret":                                 setField("secret", wrongSecret),
		"a body that is not JSON":                        withBody("{"),
		"an empty body":                                  withBody(""),
		"the method GET":                                 withMethod(http.MethodGet),
		"the method POST":                                withMethod(http.MethodPost),
		"no component_appid":                             delField("component_appid"),
		"an unknown component":                           setFields("component_appid", unknownAppID, "component_appsecret", wrongSecret),
		"another component":                              setField("component_appid", unknownAppID),
		"no component_appsecret":                         delField("component_appsecret"),
		"a wrong component_appsecret":                    setField("component_appsecret", wrongSecret),
		"a wrong verify ticket":                          setField("component_verify_ticket", "ticket@@@tcbmock-wrong-ticket"),
		"a wrong refresh token":                          setField("authorizer_refresh_token", "refreshtoken@@@tcbmock-wrong-refresh-token"),
		"no component token":                             func(_ context.Context, c *call) error { c.clearToken(); return nil },
		"a malformed component token":                    withToken("not-a-token"),
		"an unknown component token":                     withToken(unknownToken),
		"an account that did not authorize the platform": setField("authorizer_appid", unknownAppID),
		"the account's token": func(ctx context.Context, c *call) error {
			tok, err := s.appTokenValue(ctx)
			c.setToken(tok)
			return err
		},
	}
}

// probe sends an endpoint (an operationId, a path, or its last segment) its
// valid request made wrong in the way what says.
func (s *scenario) probe(ctx context.Context, endpoint, what string) error {
	change, ok := s.changes()[what]
	if !ok {
		return fmt.Errorf("no such request: %q", what)
	}
	return s.callChanged(ctx, endpoint, change)
}

func setField(name string, v any) change {
	return func(_ context.Context, c *call) error {
		if !c.has(name) {
			return fmt.Errorf("%s has no field %s", c.op.ID, name)
		}
		c.set(name, v)
		return nil
	}
}

func setFields(name string, v any, name2 string, v2 any) change {
	return func(ctx context.Context, c *call) error {
		if err := setField(name, v)(ctx, c); err != nil {
			return err
		}
		return setField(name2, v2)(ctx, c)
	}
}

func delField(name string) change {
	return func(_ context.Context, c *call) error {
		if !c.has(name) {
			return fmt.Errorf("%s has no field %s", c.op.ID, name)
		}
		c.del(name)
		return nil
	}
}

// withBody sends body as it is, whatever the credentials: they are not sent.
func withBody(body string) change {
	return func(_ context.Context, c *call) error {
		c.rawBody(body)
		c.unset = nil
		return nil
	}
}

// withMethod sends the call with another method and no body, as a client
// that uses the wrong method does.
func withMethod(method string) change {
	return func(_ context.Context, c *call) error {
		c.method = method
		if c.body != nil {
			c.rawBody("")
			c.unset = nil
		}
		return nil
	}
}

func withToken(token string) change {
	return func(_ context.Context, c *call) error {
		c.setToken(token)
		return nil
	}
}
