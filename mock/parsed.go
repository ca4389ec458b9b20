package mock

import (
	"encoding/json"
	"sync"
)

// parsed is what a request says, as far as the fake reads it: how it
// breaks the spec, the credentials of a token request, the env asked for.
// It is a function of the request's operation, query and body alone.
type parsed struct {
	params, body []string // the causes of kin-openapi's validation failures
	creds        credentials
	env          string
}

// parses memoizes parsed requests: a request like one seen before is
// neither validated nor decoded again. The memo is bounded; it belongs to
// one Config, so a reload, which may change the spec, starts a new one.
type parses struct {
	mu sync.Mutex
	m  map[string]*parsed
}

// The memo's bounds: when it is full it starts over; bigger requests are
// parsed every time.
const (
	maxParses   = 4096
	maxParseKey = 4 << 10
)

// of returns what the exchange's request says.
func (ps *parses) of(ex *exchange) *parsed {
	var buf [512]byte
	key := append(append(append(append(buf[:0], ex.route.ID...), 0), ex.r.URL.RawQuery...), 0)
	key = append(key, ex.body...)
	if len(key) > maxParseKey {
		return parse(ex)
	}
	ps.mu.Lock()
	p, ok := ps.m[string(key)] // no allocation for the lookup
	ps.mu.Unlock()
	if ok {
		return p
	}
	p = parse(ex)
	ps.mu.Lock()
	if ps.m == nil || len(ps.m) >= maxParses {
		ps.m = make(map[string]*parsed, 64)
	}
	ps.m[string(key)] = p
	ps.mu.Unlock()
	return p
}

// parse validates the request with kin-openapi and decodes what the fake
// reads of its body.
func parse(ex *exchange) *parsed {
	p := &parsed{}
	if err := ex.route.ValidateRequest(ex.r.Context(), ex.r, ex.body); err != nil {
		p.params, p.body = requestCauses(err, ex.param)
	}
	var body struct {
		credentials
		Env any `json:"env"`
	}
	if b := string(ex.body); b != "" && b != "{}" {
		_ = json.Unmarshal(ex.body, &body) // a body of the wrong shape has its causes above
	}
	p.env, _ = body.Env.(string)
	// The credentials are where the spec has them: /cgi-bin/token's in the
	// query (a body there is ignored, as the real server ignores it),
	// stable_token's in the body.
	if ex.route.Op.Parameters.GetByInAndName("query", "appid") != nil {
		p.creds = credentials{GrantType: ex.param("grant_type"), AppID: ex.param("appid"), Secret: ex.param("secret")}
	} else {
		p.creds = body.credentials
	}
	return p
}
