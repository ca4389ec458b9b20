package contract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"

	"github.com/tcbmock/tcbmock"
)

// noEnvToProve is why a scenario that needs an environment skips.
const noEnvToProve = "the app lists no environment, and no --env names one it has: " +
	"the answer cannot be told from a server that never lists one"

func (s *scenario) getEnvInfo(ctx context.Context, method, token, body string) error {
	req := request{method: method, path: "/tcb/getenvinfo", body: body, scenario: s.forced, cause: getEnvInfoCause(method, token, body, s.component)}
	if token != "" {
		req.query = url.Values{"access_token": {token}}
	}
	_, err := s.send(ctx, req)
	return err
}

// getEnvInfoCause is the cause a getenvinfo request of the features earns,
// read from what it changes: the method, the token, the body.
func getEnvInfoCause(method, token, body, component string) string {
	var v any
	switch {
	case method != http.MethodPost:
		return tcbmock.CauseMethod
	case token == "":
		return tcbmock.Missing("access_token")
	case token == unknownToken:
		return tcbmock.CauseUnknownToken
	case token == component:
		return tcbmock.CauseWrongKind
	case body != "" && json.Unmarshal([]byte(body), &v) != nil:
		return tcbmock.CauseMalformedBody
	}
	if obj, ok := v.(map[string]any); ok {
		if env, ok := obj["env"]; ok {
			if _, isString := env.(string); !isString {
				return tcbmock.Invalid("env")
			}
		}
	} else if body != "" {
		return tcbmock.CauseInvalidBody
	}
	return ""
}

func (s *scenario) list(ctx context.Context) error {
	if err := s.getEnvInfo(ctx, http.MethodPost, s.token, "{}"); err != nil {
		return err
	}
	if s.last.Errcode == 0 {
		s.listed = s.last
	}
	return nil
}

func (s *scenario) listForced(ctx context.Context, name string) error {
	if why := s.session.lacksScenario(name); why != "" {
		return skip(why)
	}
	s.forced = name
	return s.list(ctx)
}

func (s *scenario) listWith(ctx context.Context, token string) error {
	return s.getEnvInfo(ctx, http.MethodPost, token, "{}")
}

func (s *scenario) askEnv(ctx context.Context, id string) error {
	s.asked, s.askedEnv = id, nil
	return s.getEnvInfo(ctx, http.MethodPost, s.token, jsonString(map[string]string{"env": id}))
}

// askAppEnv asks for an environment the app is known to have: on a fake
// the world's first, else the first --env, else the first the list gave.
func (s *scenario) askAppEnv(ctx context.Context) error {
	world, ids, _ := s.session.expectedEnvs()
	var id string
	var known map[string]any
	switch {
	case len(world) > 0:
		known = world[0]
		id, _ = known["env"].(string)
	case len(ids) > 0:
		id = ids[0]
	case s.listed != nil && len(s.listed.InfoList) > 0:
		known = s.listed.InfoList[0]
		id, _ = known["env"].(string)
	default:
		return skip(noEnvToProve)
	}
	if err := s.askEnv(ctx, id); err != nil {
		return err
	}
	if known == nil && s.listed != nil {
		if i := slices.Index(s.listed.envIDs(), id); i >= 0 {
			known = s.listed.InfoList[i]
		}
	}
	s.askedEnv = known
	return nil
}

func (s *scenario) getEnvInfoBody(ctx context.Context, body string) error {
	return s.getEnvInfo(ctx, http.MethodPost, s.token, body)
}

func (s *scenario) getEnvInfoMethod(ctx context.Context, method string) error {
	return s.getEnvInfo(ctx, method, s.token, "")
}

func (s *scenario) advance(ctx context.Context, d string) error {
	s.changed = true
	_, err := s.session.target.admin().Advance(ctx, d)
	return err
}

// errcodeIs checks the last answer's errcode; send checked its errmsg.
func (s *scenario) errcodeIs(_ context.Context, code string) error {
	want, err := strconv.Atoi(code)
	if err != nil {
		return err
	}
	a := s.last
	if a == nil {
		return errors.New("no answer yet")
	}
	if a.Errcode != want && !s.chosenCode {
		return fmt.Errorf("errcode: expected %d, received %d\nbody: %s", want, a.Errcode, s.session.excerpt(a.body))
	}
	return nil
}

// listsAll checks that the answer lists every environment the app is known
// to have: on a fake exactly the world's, in its order; and each --env.
// With nothing known and nothing listed, there is nothing to prove; with
// nothing known, only the list's shape.
func (s *scenario) listsAll(ctx context.Context) error {
	if err := s.errcodeIs(ctx, "0"); err != nil {
		return err
	}
	got := s.last.InfoList
	world, ids, known := s.session.expectedEnvs()
	if known && !sameEnvs(got, world) {
		return fmt.Errorf("info_list: expected the app's %d environments %v, as the fake's world has them; received %d: %s",
			len(world), envIDsOf(world), len(got), s.session.excerpt(s.last.body))
	}
	for _, id := range ids {
		if !slices.Contains(s.last.envIDs(), id) {
			return fmt.Errorf("info_list: expected the environment %q (--env) among those listed; received %v", id, s.last.envIDs())
		}
	}
	switch {
	case known || len(ids) > 0:
	case len(got) == 0:
		return skip(noEnvToProve)
	default: // nothing known to compare with: the list's shape was checked
		s.shape = "the target's world is unknown and no --env names an environment the app has: the answer's schema was checked, not the environments it lists"
	}
	return nil
}

// listsAsked checks that the answer lists exactly the environment asked
// for, as the app is known to have it (the world's, or the full list's).
func (s *scenario) listsAsked(ctx context.Context) error {
	if err := s.errcodeIs(ctx, "0"); err != nil {
		return err
	}
	got := s.last.InfoList
	if len(got) != 1 || got[0]["env"] != s.asked {
		return fmt.Errorf("info_list: expected only the environment %q, received %v", s.asked, s.last.envIDs())
	}
	if s.askedEnv != nil && !reflect.DeepEqual(got[0], s.askedEnv) {
		return fmt.Errorf("info_list: expected %q as the app has it, %s; received %s", s.asked, jsonString(s.askedEnv), s.session.excerpt(s.last.body))
	}
	return nil
}

func (s *scenario) listsNone(ctx context.Context) error {
	if err := s.errcodeIs(ctx, "0"); err != nil {
		return err
	}
	if len(s.last.InfoList) != 0 {
		return fmt.Errorf("info_list: expected no environment, received %v", s.last.envIDs())
	}
	return nil
}

// sameEnvs reports whether two lists hold the same environments, field
// for field, in the same order.
func sameEnvs(a, b []map[string]any) bool {
	return slices.EqualFunc(a, b, func(x, y map[string]any) bool { return reflect.DeepEqual(x, y) })
}

func envIDsOf(envs []map[string]any) []string {
	ids := make([]string, len(envs))
	for i, e := range envs {
		ids[i], _ = e["env"].(string)
	}
	return ids
}
