package contract

import "context"

// step binds a phrase of the features to a small function: func(ctx) error,
// or with one or two strings, the phrase's groups.
type step struct {
	phrase string
	fn     any
}

// steps are the phrases the features can use, and what each does.
func (s *scenario) steps() []step {
	return []step{
		// Tokens.
		{`^a token for the app$`, s.appToken},
		{`^I get a stable token(?: again)?$`, func(ctx context.Context) error { return s.stableToken(ctx, false) }},
		{`^I get a stable token with force_refresh$`, func(ctx context.Context) error { return s.stableToken(ctx, true) }},
		{`^(?:a token|I get (?:a|another) token) from /cgi-bin/token$`, s.plainToken},
		{`^I get a token valid for at least (\d+) seconds$`, s.tokenValidFor},
		{`^both tokens are the same$`, func(context.Context) error { return s.tokensSame(true) }},
		{`^the tokens differ$`, func(context.Context) error { return s.tokensSame(false) }},
		{`^the (first|second) token (?:still )?works$`, func(ctx context.Context, which string) error { return s.tokenAnswers(ctx, which, "0") }},
		{`^the (first|second) token is refused with errcode (-?\d+)$`, s.tokenAnswers},

		// Any operation of the spec.
		{`^I ask (\S+) with (.+)$`, s.probe},
		{`^I call (\S+)$`, s.callValid},
		{`^I call (\S+) with the scenario "([^"]*)"$`, s.callForced},
		{`^I call (\S+) with the cause "([^"]*)"$`, s.callCause},
		{`^the errcode is (-?\d+)$`, s.errcodeIs},

		// getenvinfo.
		{`^I list the environments(?: again)?$`, s.list},
		{`^I list the environments with the scenario "([^"]*)"$`, s.listForced},
		{`^I list the environments without a token$`, func(ctx context.Context) error { return s.listWith(ctx, "") }},
		{`^I list the environments with an unknown token$`, func(ctx context.Context) error { return s.listWith(ctx, unknownToken) }},
		{`^I list the environments with the token "([^"]*)"$`, s.listWith},
		{`^I list the environments with the component token$`, func(ctx context.Context) error { return s.listWith(ctx, s.component) }},
		{`^I ask for the environment "([^"]*)"$`, s.askEnv},
		{`^I ask for an environment of the app by its id$`, s.askAppEnv},
		{`^I call getenvinfo with the body "(.*)"$`, s.getEnvInfoBody},
		{`^I call getenvinfo with the method (\w+)$`, s.getEnvInfoMethod},
		{`^the answer lists every environment of the app$`, s.listsAll},
		{`^the answer lists exactly that environment$`, s.listsAsked},
		{`^the answer lists no environment$`, s.listsNone},

		// The fake's controls.
		{`^the clock moves on (\S+)$`, s.advance},

		// A third-party platform.
		{`^the platform's component token$`, s.platformToken},
		{`^I get the authorizer token of the mini program$`, func(ctx context.Context) error {
			return s.authorizerToken(ctx, "component_access_token", s.permitted)
		}},
		{`^I get the authorizer token of the mini program, passing the component token as access_token$`, func(ctx context.Context) error {
			return s.authorizerToken(ctx, "access_token", s.permitted)
		}},
		{`^I get the authorizer token of the mini program without the permission sets$`, func(ctx context.Context) error {
			return s.authorizerToken(ctx, "component_access_token", s.unpermitted)
		}},
		{`^the mini program authorizes the platform again$`, s.reauthorize},
		{`^the (old|new) refresh token (?:still )?gives an authorizer token$`, func(ctx context.Context, which string) error {
			return s.refreshAnswers(ctx, which, "0")
		}},
		{`^the (old|new) refresh token is refused with errcode (-?\d+)$`, s.refreshAnswers},
	}
}
