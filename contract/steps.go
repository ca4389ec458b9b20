package contract

import "context"

// step binds a phrase of the features to a small function: func(ctx) error,
// or with one or two strings, the phrase's groups.
type step struct {
	phrase  string
	example string // a step it matches, for check --phrases and the README
	fn      any
}

// steps are the phrases the features can use, and what each does.
func (s *scenario) steps() []step {
	return []step{
		// Tokens.
		{`^a token for the app$`, `a token for the app`, s.appToken},
		{`^I get a stable token(?: again)?$`, `I get a stable token`, func(ctx context.Context) error { return s.stableToken(ctx, false) }},
		{`^I get a stable token with force_refresh$`, `I get a stable token with force_refresh`, func(ctx context.Context) error { return s.stableToken(ctx, true) }},
		{`^(?:a token|I get (?:a|another) token) from /cgi-bin/token$`, `I get another token from /cgi-bin/token`, s.plainToken},
		{`^I get a token valid for at least (\d+) seconds$`, `I get a token valid for at least 300 seconds`, s.tokenValidFor},
		{`^both tokens are the same$`, `both tokens are the same`, func(context.Context) error { return s.tokensSame(true) }},
		{`^the tokens differ$`, `the tokens differ`, func(context.Context) error { return s.tokensSame(false) }},
		{`^the (first|second) token (?:still )?works$`, `the first token still works`, func(ctx context.Context, which string) error { return s.tokenAnswers(ctx, which, "0") }},
		{`^the (first|second) token is refused with errcode (-?\d+)$`, `the first token is refused with errcode 40001`, s.tokenAnswers},

		// Any operation of the spec.
		{`^I ask (\S+) with (.+)$`, `I ask stable_token with an unknown appid`, s.probe},
		{`^I call (\S+)$`, `I call getEnvInfo`, s.callValid},
		{`^I call (\S+) with the scenario "([^"]*)"$`, `I call getEnvInfo with the scenario "system-busy"`, s.callForced},
		{`^I call (\S+) with the cause "([^"]*)"$`, `I call getEnvInfo with the cause "missing access_token"`, s.callCause},
		{`^the errcode is (-?\d+)$`, `the errcode is 41001`, s.errcodeIs},
		{`^the answer of (\S+) is as the target's world computes it$`, `the answer of invokeCloudFunction is as the target's world computes it`, s.computedAsWorld},
		{`^the answer of (\S+) lists what the target's world has$`, `the answer of getEnvInfo lists what the target's world has`, s.listedAsWorld},
		{`^the answer of (\S+) is checked for shape only: the target's world is unknown$`, `the answer of getEnvInfo is checked for shape only: the target's world is unknown`, s.shapeOnly},

		// getenvinfo.
		{`^I list the environments(?: again)?$`, `I list the environments`, s.list},
		{`^I list the environments with the scenario "([^"]*)"$`, `I list the environments with the scenario "retry-then-ok"`, s.listForced},
		{`^I list the environments without a token$`, `I list the environments without a token`, func(ctx context.Context) error { return s.listWith(ctx, "") }},
		{`^I list the environments with an unknown token$`, `I list the environments with an unknown token`, func(ctx context.Context) error { return s.listWith(ctx, unknownToken) }},
		{`^I list the environments with the token "([^"]*)"$`, `I list the environments with the token "not-a-token"`, s.listWith},
		{`^I list the environments with the component token$`, `I list the environments with the component token`, func(ctx context.Context) error { return s.listWith(ctx, s.component) }},
		{`^I ask for the environment "([^"]*)"$`, `I ask for the environment "no-such-env-000000"`, s.askEnv},
		{`^I ask for an environment of the app by its id$`, `I ask for an environment of the app by its id`, s.askAppEnv},
		{`^I call getenvinfo with the body "(.*)"$`, `I call getenvinfo with the body "{"`, s.getEnvInfoBody},
		{`^I call getenvinfo with the method (\w+)$`, `I call getenvinfo with the method GET`, s.getEnvInfoMethod},
		{`^the answer lists every environment of the app$`, `the answer lists every environment of the app`, s.listsAll},
		{`^the answer lists exactly that environment$`, `the answer lists exactly that environment`, s.listsAsked},
		{`^the answer lists no environment$`, `the answer lists no environment`, s.listsNone},

		// The fake's controls.
		{`^the clock moves on (\S+)$`, `the clock moves on 2h`, s.advance},

		// A third-party platform.
		{`^the platform's component token$`, `the platform's component token`, s.platformToken},
		{`^I get the authorizer token of the mini program$`, `I get the authorizer token of the mini program`, func(ctx context.Context) error {
			return s.authorizerToken(ctx, "component_access_token", s.permitted)
		}},
		{`^I get the authorizer token of the mini program, passing the component token as access_token$`, `I get the authorizer token of the mini program, passing the component token as access_token`, func(ctx context.Context) error {
			return s.authorizerToken(ctx, "access_token", s.permitted)
		}},
		{`^I get the authorizer token of the mini program without the permission sets$`, `I get the authorizer token of the mini program without the permission sets`, func(ctx context.Context) error {
			return s.authorizerToken(ctx, "component_access_token", s.unpermitted)
		}},
		{`^the mini program authorizes the platform again$`, `the mini program authorizes the platform again`, s.reauthorize},
		{`^the (old|new) refresh token (?:still )?gives an authorizer token$`, `the old refresh token still gives an authorizer token`, func(ctx context.Context, which string) error {
			return s.refreshAnswers(ctx, which, "0")
		}},
		{`^the (old|new) refresh token is refused with errcode (-?\d+)$`, `the old refresh token is refused with errcode 61023`, s.refreshAnswers},
	}
}
