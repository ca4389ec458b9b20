package contract

import (
	"context"
	"fmt"
	"strings"

	"github.com/tcbmock/tcbmock"
)

// probes are the ways a feature can make a request wrong, by their phrase
// in "I ask ENDPOINT with PHRASE": each earns a cause of the spec's
// x-errcodes tables, as the generated checks do. "the method M" sends the
// valid call with the method M.
var probes = map[string]string{
	"a wrong grant_type":                             tcbmock.Invalid("grant_type"),
	"no appid":                                       tcbmock.Missing("appid"),
	"an unknown appid":                               tcbmock.CauseUnknownAppID,
	"no secret":                                      tcbmock.Missing("secret"),
	"a wrong secret":                                 tcbmock.CauseWrongSecret,
	"a body that is not JSON":                        tcbmock.CauseMalformedBody,
	"an empty body":                                  tcbmock.CauseEmptyBody,
	"no component_appid":                             tcbmock.Missing("component_appid"),
	"an unknown component":                           tcbmock.CauseUnknownComp,
	"another component":                              tcbmock.CauseUnknownComp,
	"no component_appsecret":                         tcbmock.Missing("component_appsecret"),
	"a wrong component_appsecret":                    tcbmock.CauseWrongSecret,
	"a wrong verify ticket":                          tcbmock.CauseWrongTicket,
	"a wrong refresh token":                          tcbmock.CauseWrongRefresh,
	"no component token":                             tcbmock.Missing("component_access_token"),
	"a malformed component token":                    tcbmock.Invalid("component_access_token"),
	"an unknown component token":                     tcbmock.CauseUnknownToken,
	"an account that did not authorize the platform": tcbmock.CauseNotAuthorized,
	"the account's token":                            tcbmock.CauseWrongKind,
}

// probe sends an endpoint (an operationId, a path, or its last segment) its
// valid request made wrong in the way what says.
func (s *scenario) probe(ctx context.Context, endpoint, what string) error {
	if method, ok := strings.CutPrefix(what, "the method "); ok {
		return s.callChanged(ctx, endpoint, func(_ context.Context, c *opRequest) error {
			c.sendMethod(method)
			c.cause = tcbmock.CauseMethod
			return nil
		})
	}
	cause, ok := probes[what]
	if !ok {
		return fmt.Errorf("no such request: %q", what)
	}
	return s.callCause(ctx, endpoint, cause)
}
