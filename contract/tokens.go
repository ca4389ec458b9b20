package contract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

// The token operations, by operationId.
const (
	opToken       = "getAccessToken"
	opStableToken = "getStableAccessToken"
)

// unknownToken is shaped like a real token, but no server issued it.
var unknownToken = "97_" + strings.Repeat("Tcbm0ckUnknownT0ken", 8)

// unknownAppID is shaped like an appid, but names no account.
const unknownAppID = "wx0000000000000000"

// errRetires refuses a request that would retire a running service's token.
var errRetires = errors.New("never sent to a target without the admin API: it would retire the token a running service uses")

// safe refuses, on a target without the admin API, the requests that would
// retire the token of the service that shares the app, whatever the
// features say.
func (s *session) safe(req request) error {
	if s.target.Admin {
		return nil
	}
	for _, op := range s.spec.Operations() {
		if op.Path == req.path && retires(op, req.body) {
			return fmt.Errorf("%s %s: %w", req.method, req.path, errRetires)
		}
	}
	return nil
}

// retires reports whether a call of the operation with body retires the
// token a running service of the app uses: an app-token behaviour issues a
// new one on every call, a stable-token one when force_refresh is asked.
func retires(op *apispec.Operation, body string) bool {
	switch {
	case op.Answer == nil:
		return false
	case op.Answer.Issue == apispec.IssueAppToken:
		return true
	case op.Answer.ForceRefresh == nil:
		return false
	}
	var fields struct {
		ForceRefresh any `json:"force_refresh"`
	}
	_ = json.Unmarshal([]byte(body), &fields)
	return fields.ForceRefresh != nil && fields.ForceRefresh != false
}

// appToken gets the run's token, and "I" call with it.
func (s *scenario) appToken(ctx context.Context) error {
	tok, err := s.appTokenValue(ctx)
	s.token = tok
	return err
}

// appTokenValue returns the run's token: the one given, or stable_token's.
func (s *scenario) appTokenValue(ctx context.Context) (string, error) {
	return s.session.cached(&s.session.token, func() (string, error) {
		if t := s.session.target.Token; t != "" {
			return t, nil
		}
		if err := s.stableToken(ctx, false); err != nil {
			return "", err
		}
		return s.token, nil
	})
}

// got records a token answer.
func (s *scenario) got(a *received, err error) error {
	if err != nil {
		return err
	}
	if a.Errcode != 0 || a.AccessToken == "" {
		return fmt.Errorf("no token: errcode %d, %s", a.Errcode, s.session.excerpt(a.body))
	}
	s.token = a.AccessToken
	s.tokens = append(s.tokens, a.AccessToken)
	return nil
}

// stableToken gets a token from stable_token, with force_refresh if force.
func (s *scenario) stableToken(ctx context.Context, force bool) error {
	c, err := s.tokenCall(ctx, opStableToken)
	if err != nil {
		return err
	}
	if force {
		c.set("force_refresh", true)
	}
	return s.got(s.do(ctx, c))
}

// plainToken gets a token from /cgi-bin/token.
func (s *scenario) plainToken(ctx context.Context) error {
	c, err := s.tokenCall(ctx, opToken)
	if err != nil {
		return err
	}
	return s.got(s.do(ctx, c))
}

// tokenCall is the valid call of a token operation.
func (s *scenario) tokenCall(ctx context.Context, opName string) (*opRequest, error) {
	op, err := s.session.operation(opName)
	if err != nil {
		return nil, err
	}
	return s.validCall(ctx, op)
}

func (s *scenario) tokenValidFor(_ context.Context, seconds string) error {
	want, err := strconv.Atoi(seconds)
	if err != nil {
		return err
	}
	a := s.last
	if a == nil {
		return errors.New("no answer yet")
	}
	if a.AccessToken == "" || a.ExpiresIn < want {
		return fmt.Errorf("expires_in: expected at least %d, received %s", want, s.session.excerpt(a.body))
	}
	return nil
}

func (s *scenario) tokensSame(same bool) error {
	if len(s.tokens) < 2 {
		return fmt.Errorf("expected two tokens, got %d", len(s.tokens))
	}
	if (s.tokens[0] == s.tokens[1]) != same {
		return fmt.Errorf("tokens: expected them the same: %v; received two that are %s", same, map[bool]string{true: "the same", false: "different"}[s.tokens[0] == s.tokens[1]])
	}
	return nil
}

// tokenAnswers lists the environments with the first or second token and
// expects errcode want.
func (s *scenario) tokenAnswers(ctx context.Context, which, want string) error {
	i := map[string]int{"first": 0, "second": 1}[which]
	if i >= len(s.tokens) {
		return fmt.Errorf("there is no %s token", which)
	}
	if err := s.listWith(ctx, s.tokens[i]); err != nil {
		return err
	}
	return s.errcodeIs(ctx, want)
}
