package contract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cucumber/godog"
)

// scenario is the state of one running scenario; godog makes one per scenario.
type scenario struct {
	session    *session
	id         string   // unique to the scenario: its key in the fake's sequences
	token      string   // the token "I" call with
	tokens     []string // the tokens got in this scenario, in order
	last       *answer  // the last answer
	listed     []env    // the last full list of environments
	asked      string   // the environment asked for
	forced     string   // the fake's scenario "I" call with
	component  string   // the platform's component token
	refreshes  []string // the old and the new refresh token, after a reauthorization
	movedClock bool     // the fake's state changed: reset it afterwards
}

// register binds the step definitions of the features.
func (s *scenario) register(sc *godog.ScenarioContext) {
	sc.Step(`^a token for the app$`, s.appToken)
	sc.Step(`^I get a stable token(?: again)?$`, func(ctx context.Context) error { return s.stableToken(ctx, false) })
	sc.Step(`^I get a stable token with force_refresh$`, func(ctx context.Context) error { return s.stableToken(ctx, true) })
	sc.Step(`^I get a stable token with the scenario "([^"]*)"$`, s.stableTokenForced)
	sc.Step(`^(?:a token|I get (?:a|another) token) from /cgi-bin/token$`, s.plainToken)
	sc.Step(`^I get a token from /cgi-bin/token with the scenario "([^"]*)"$`, s.plainTokenForced)
	sc.Step(`^I ask (stable_token|/cgi-bin/token) with (.+)$`, s.probe)

	sc.Step(`^I list the environments$`, s.list)
	sc.Step(`^I list the environments again$`, s.list)
	sc.Step(`^I list the environments with the scenario "([^"]*)"$`, s.listForced)
	sc.Step(`^I list the environments without a token$`, func(ctx context.Context) error { return s.listWith(ctx, "") })
	sc.Step(`^I list the environments with an unknown token$`, func(ctx context.Context) error { return s.listWith(ctx, unknownToken) })
	sc.Step(`^I list the environments with the token "([^"]*)"$`, s.listWith)
	sc.Step(`^I ask for the environment "([^"]*)"$`, s.askEnv)
	sc.Step(`^I ask for the first environment of the list by its id$`, s.askFirstEnv)
	sc.Step(`^I call getenvinfo with the body "(.*)"$`, s.getEnvInfoBody)
	sc.Step(`^I call getenvinfo with the method (\w+)$`, s.getEnvInfoMethod)
	sc.Step(`^the clock moves on (\S+)$`, s.advance)

	sc.Step(`^the errcode is (-?\d+)$`, s.errcodeIs)
	sc.Step(`^the answer lists exactly that environment$`, s.listsAsked)
	sc.Step(`^the answer lists no environment$`, s.listsNone)
	sc.Step(`^I get a token valid for at least (\d+) seconds$`, s.tokenValidFor)
	sc.Step(`^both tokens are the same$`, func() error { return s.tokensSame(true) })
	sc.Step(`^the tokens differ$`, func() error { return s.tokensSame(false) })
	sc.Step(`^the (first|second) token (?:still )?works$`, func(ctx context.Context, which string) error { return s.tokenAnswers(ctx, which, 0) })
	sc.Step(`^the (first|second) token is refused with errcode (-?\d+)$`, s.tokenAnswers)
	s.registerThirdParty(sc)
}

// unknownToken is shaped like a real token, but no server issued it.
var unknownToken = "97_" + strings.Repeat("Tcbm0ckUnknownT0ken", 8)

// unknownAppID is shaped like an appid, but names no account.
const unknownAppID = "wx0000000000000000"

// appToken gets the run's token: the one given, or stable_token's.
func (s *scenario) appToken(ctx context.Context) error {
	tok, err := s.session.cached(&s.session.token, func() (string, error) {
		if t := s.session.target.Token; t != "" {
			return t, nil
		}
		if err := s.stableToken(ctx, false); err != nil {
			return "", err
		}
		return s.token, nil
	})
	s.token = tok
	return err
}

// got records a token answer.
func (s *scenario) got(a *answer, err error) error {
	if err != nil {
		return err
	}
	if a.Errcode != 0 || a.AccessToken == "" {
		return fmt.Errorf("no token: errcode %d, %s", a.Errcode, short(a.body))
	}
	s.token = a.AccessToken
	s.tokens = append(s.tokens, a.AccessToken)
	return nil
}

func (s *scenario) stableToken(ctx context.Context, force bool) error {
	if force && !s.session.target.Admin {
		return errors.New("force_refresh is never sent to a target without the admin API: it would retire a running service's token")
	}
	req, err := s.stableRequest(ctx, map[string]any{"force_refresh": force})
	if err != nil {
		return err
	}
	return s.got(s.send(ctx, req))
}

func (s *scenario) stableTokenForced(ctx context.Context, name string) error {
	req, err := s.stableRequest(ctx, nil)
	if err != nil {
		return err
	}
	req.scenario = name
	_, err = s.send(ctx, req)
	return err
}

// stableRequest is a stable_token request with the app's credentials and extra fields.
func (s *scenario) stableRequest(ctx context.Context, extra map[string]any) (request, error) {
	c, err := s.session.credentials(ctx)
	if err != nil {
		return request{}, err
	}
	if c.AppID == "" || c.Secret == "" {
		return request{}, errNeedsSecret
	}
	fields := map[string]any{"grant_type": "client_credential", "appid": c.AppID, "secret": c.Secret}
	for k, v := range extra {
		fields[k] = v
	}
	return request{method: http.MethodPost, path: "/cgi-bin/stable_token", body: jsonString(fields)}, nil
}

// plainRequest is a /cgi-bin/token request with the app's credentials.
func (s *scenario) plainRequest(ctx context.Context) (request, error) {
	if !s.session.target.Admin {
		return request{}, errors.New("/cgi-bin/token is never called on a target without the admin API: it would retire a running service's token")
	}
	c, err := s.session.credentials(ctx)
	if err != nil {
		return request{}, err
	}
	q := url.Values{"grant_type": {"client_credential"}, "appid": {c.AppID}, "secret": {c.Secret}}
	return request{method: http.MethodGet, path: "/cgi-bin/token", query: q}, nil
}

func (s *scenario) plainToken(ctx context.Context) error {
	req, err := s.plainRequest(ctx)
	if err != nil {
		return err
	}
	return s.got(s.send(ctx, req))
}

func (s *scenario) plainTokenForced(ctx context.Context, name string) error {
	req, err := s.plainRequest(ctx)
	if err != nil {
		return err
	}
	req.scenario = name
	_, err = s.send(ctx, req)
	return err
}

func (s *scenario) getEnvInfo(ctx context.Context, method, token, body string) error {
	req := request{method: method, path: "/tcb/getenvinfo", body: body, scenario: s.forced}
	if token != "" {
		req.query = url.Values{"access_token": {token}}
	}
	_, err := s.send(ctx, req)
	return err
}

func (s *scenario) list(ctx context.Context) error {
	if err := s.getEnvInfo(ctx, http.MethodPost, s.token, "{}"); err != nil {
		return err
	}
	if s.last.Errcode == 0 {
		s.listed = s.last.InfoList
	}
	return nil
}

func (s *scenario) listForced(ctx context.Context, name string) error {
	s.forced = name
	return s.list(ctx)
}

func (s *scenario) listWith(ctx context.Context, token string) error {
	return s.getEnvInfo(ctx, http.MethodPost, token, "{}")
}

func (s *scenario) askEnv(ctx context.Context, id string) error {
	s.asked = id
	return s.getEnvInfo(ctx, http.MethodPost, s.token, jsonString(map[string]string{"env": id}))
}

func (s *scenario) askFirstEnv(ctx context.Context) error {
	if len(s.listed) == 0 {
		return fmt.Errorf("%w: the app has no environment to ask for", godog.ErrSkip)
	}
	return s.askEnv(ctx, s.listed[0].Env)
}

func (s *scenario) getEnvInfoBody(ctx context.Context, body string) error {
	return s.getEnvInfo(ctx, http.MethodPost, s.token, body)
}

func (s *scenario) getEnvInfoMethod(ctx context.Context, method string) error {
	return s.getEnvInfo(ctx, method, s.token, "")
}

func (s *scenario) advance(ctx context.Context, d string) error {
	s.movedClock = true
	return s.session.target.admin(ctx, http.MethodPost, "clock", map[string]string{"advance": d}, nil)
}

func (s *scenario) errcodeIs(want int) error {
	a := s.last
	if a == nil {
		return errors.New("no answer yet")
	}
	if a.Errcode != want {
		return fmt.Errorf("errcode: expected %d, received %d\nbody: %s", want, a.Errcode, short(a.body))
	}
	if row, ok := a.op.Errcode(want); ok && want != 0 && !strings.HasPrefix(a.Errmsg, row.Errmsg+" ") {
		return fmt.Errorf("errmsg: expected %q, then the rid; received %q", row.Errmsg, a.Errmsg)
	}
	return nil
}

func (s *scenario) listsAsked() error {
	if err := s.errcodeIs(0); err != nil {
		return err
	}
	if got := s.last.InfoList; len(got) != 1 || got[0].Env != s.asked {
		return fmt.Errorf("info_list: expected only the environment %q, received %s", s.asked, short(s.last.body))
	}
	return nil
}

func (s *scenario) listsNone() error {
	if err := s.errcodeIs(0); err != nil {
		return err
	}
	if len(s.last.InfoList) != 0 {
		return fmt.Errorf("info_list: expected no environment, received %s", short(s.last.body))
	}
	return nil
}

func (s *scenario) tokenValidFor(seconds int) error {
	if a := s.last; a == nil || a.AccessToken == "" || a.ExpiresIn < seconds {
		return fmt.Errorf("expires_in: expected at least %d, received %s", seconds, short(s.last.body))
	}
	return nil
}

func (s *scenario) tokensSame(same bool) error {
	if len(s.tokens) < 2 {
		return fmt.Errorf("expected two tokens, got %d", len(s.tokens))
	}
	if (s.tokens[0] == s.tokens[1]) != same {
		return fmt.Errorf("tokens: expected them the same: %v; received %.12s… and %.12s…", same, s.tokens[0], s.tokens[1])
	}
	return nil
}

// tokenAnswers lists the environments with the first or second token and
// expects errcode want.
func (s *scenario) tokenAnswers(ctx context.Context, which string, want int) error {
	i := map[string]int{"first": 0, "second": 1}[which]
	if i >= len(s.tokens) {
		return fmt.Errorf("there is no %s token", which)
	}
	if err := s.getEnvInfo(ctx, http.MethodPost, s.tokens[i], "{}"); err != nil {
		return err
	}
	return s.errcodeIs(want)
}
