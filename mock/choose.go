package mock

import (
	"fmt"
	"strings"
)

// choice is the scenario a request gets, if any, and the key of its
// position in a sequence.
type choice struct {
	scenario *Scenario
	key      string
}

// choose finds the scenario of the request, most specific first: the
// header, the token's binding, the app's binding, the server default. A
// scenario asked for explicitly (the header, a bound token, the default)
// that does not answer the operation is an error, as an unknown name is;
// an app's binding only applies where it answers, so that the app's token
// calls still work.
func (s *Server) choose(c *call) (choice, error) {
	if v := c.r.Header.Get(ScenarioHeader); v != "" {
		name, key, err := parseScenarioHeader(v)
		if err != nil {
			return choice{}, err
		}
		sc, err := c.asked(name, ScenarioHeader)
		return choice{sc, "header:" + key}, err
	}
	if t := c.token; t != nil && t.Scenario != "" {
		sc, err := c.asked(t.Scenario, "the token's binding (POST "+AdminPrefix+"tokens)")
		return choice{sc, "token:" + t.Value}, err
	}
	if app := c.cfg.App(c.appid()); app != nil {
		if sc := c.cfg.Scenario(app.Scenario); sc != nil && sc.Covers(c.op.ID) {
			return choice{sc, "app:" + app.AppID}, nil
		}
	}
	if s.scenario != "" {
		sc, err := c.asked(s.scenario, "the server's default scenario")
		return choice{sc, "default"}, err
	}
	return choice{}, nil
}

// asked returns the scenario name, asked for by how: an error if there is
// none, or if it does not answer the request's operation.
func (c *call) asked(name, how string) (*Scenario, error) {
	sc := c.cfg.Scenario(name)
	if sc == nil {
		return nil, fmt.Errorf("%w in %s; GET %sscenarios lists them", c.cfg.unknownScenario(name), how, AdminPrefix)
	}
	if !sc.Covers(c.op.ID) {
		return nil, fmt.Errorf("%w: %q, from %s, answers %s, not %s", ErrScenarioNotCovered, name, how, strings.Join(sc.Operations, ", "), c.op.ID)
	}
	return sc, nil
}

// maxSequenceKey bounds the key of a scenario header.
const maxSequenceKey = 128

// parseScenarioHeader reads "NAME" or "NAME; key=K": the scenario, and the
// key of the request's position in a sequence ("" when none is given).
func parseScenarioHeader(v string) (name, key string, err error) {
	name, params, _ := strings.Cut(v, ";")
	name = strings.TrimSpace(name)
	for p := range strings.SplitSeq(params, ";") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		k, val, ok := strings.Cut(p, "=")
		if !ok || strings.TrimSpace(k) != "key" {
			return "", "", fmt.Errorf("%s: unknown parameter %q: want NAME or NAME; key=K", ScenarioHeader, p)
		}
		key = strings.TrimSpace(val)
		if len(key) > maxSequenceKey {
			return "", "", fmt.Errorf("%s: key is %d bytes; want at most %d", ScenarioHeader, len(key), maxSequenceKey)
		}
	}
	return name, key, nil
}
