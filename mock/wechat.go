package mock

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock"
)

// MaxBodySize is the largest body the fake reads; a larger one is answered
// as a body that is not JSON.
const MaxBodySize = 1 << 20

// exchange is one WeChat API request on its way to an answer.
type exchange struct {
	cfg      *Config
	r        *http.Request
	route    *tcbmock.Route // nil when no operation is at the path
	now      time.Time
	rid      string
	body     []byte
	bodyErr  error  // too large or unreadable
	token    *token // the request's token, once checked
	found    *token // the token its value names, once looked up
	looked   bool
	req      *parsed // what the request says, once parsed
	cause    string  // why the natural answer failed, if it did
	appid    string
	env      string
	scenario string
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	ex := &exchange{cfg: s.Config(), r: r, now: s.Now()}
	ex.rid = s.newRID(ex.now)
	ex.route = ex.cfg.Spec.Match(r)
	if r.Body != nil { // a server's request always has one; a Go caller's may not
		ex.body, ex.bodyErr = io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodySize))
	}
	a := s.answer(ex)
	s.record(ex, a)
	deliver(w, r, a)
}

func (s *Server) answer(ex *exchange) answer {
	if ex.route == nil {
		return answer{status: http.StatusNotFound, errcode: -1, carries: true, body: renderErrcode(-1, "tcbmock: no API at "+ex.r.URL.Path, ex.rid)}
	}
	if ex.r.Method != ex.route.Method {
		return ex.fail(tcbmock.CauseMethod)
	}
	sc, key, err := s.choose(ex)
	if err != nil {
		return answer{status: http.StatusBadRequest, body: marshal(adminError{err.Error()})}
	}
	if sc == nil {
		return s.natural(ex)
	}
	ex.scenario = sc.Name
	st := s.seqs.next(sc, key)
	var a answer
	switch _, replaces := replacing[st.Fault]; {
	case replaces:
		a = faultAnswer(st.Fault)
	case st.Natural:
		a = s.natural(ex)
	default:
		a = ex.forced(st)
	}
	a.fault, a.dribble = st.Fault, st.Dribble
	if st.Delay != nil {
		a.delay = st.Delay.pick()
	}
	return a
}

// parsed returns what the request says, parsing it once.
func (ex *exchange) parsed() *parsed {
	if ex.req == nil {
		ex.req = ex.cfg.parses.of(ex)
	}
	return ex.req
}

// param returns the first value of the query parameter name.
func (ex *exchange) param(name string) string { return queryGet(ex.r.URL.RawQuery, name) }

// lookup returns the token value names, looking it up once per request.
func (ex *exchange) lookup(ts *tokens, value string) *token {
	if !ex.looked {
		ex.found, ex.looked = ts.lookup(value), true
	}
	return ex.found
}

// choose finds the scenario of the request, most specific first: the
// header, the token's binding, the app's binding, the server default. A
// scenario that does not answer for the operation leaves the choice to the
// next. The key says whose position in a sequence the request moves.
func (s *Server) choose(ex *exchange) (*Scenario, string, error) {
	op := ex.route.ID
	if v := ex.r.Header.Get(ScenarioHeader); v != "" {
		name, key, err := parseScenarioHeader(v)
		if err != nil {
			return nil, "", err
		}
		sc := ex.cfg.Scenario(name)
		if sc == nil {
			return nil, "", fmt.Errorf("%w %q in %s; GET %sscenarios lists them", ErrUnknownScenario, name, ScenarioHeader, AdminPrefix)
		}
		if sc.Covers(op) {
			return sc, "header:" + key, nil
		}
	}
	value, _ := ex.route.TokenValue(ex.param)
	if t := ex.lookup(s.tokens, value); t != nil {
		ex.appid = t.appid
		if sc := ex.cfg.Scenario(t.scenario); sc != nil && sc.Covers(op) {
			return sc, "token:" + value, nil
		}
	} else if value == "" {
		ex.appid = ex.credentials().AppID
	}
	if app := ex.cfg.App(ex.appid); app != nil {
		if sc := ex.cfg.Scenario(app.Scenario); sc != nil && sc.Covers(op) {
			return sc, "app:" + app.AppID, nil
		}
	}
	if sc := ex.cfg.Scenario(s.scenario); sc != nil && sc.Covers(op) {
		return sc, "default", nil
	}
	return nil, "", nil
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

// forced answers a scenario's step.
func (ex *exchange) forced(st Step) answer {
	if st.Body != nil {
		return answer{status: http.StatusOK, errcode: st.Errcode, carries: st.carries, body: st.render(ex.rid)}
	}
	row, _ := ex.route.Errcode(st.Errcode)
	return errcodeAnswer(row.Code, row.Errmsg, ex.rid)
}

// fail answers the errcode of the first row that lists one of causes, or
// -1 when none does.
func (ex *exchange) fail(causes ...string) answer {
	row, ok := ex.route.Cause(causes...)
	if !ok {
		row, _ = ex.route.Errcode(-1)
	}
	for _, c := range causes {
		if slices.Contains(row.When, c) {
			ex.cause = c
			break
		}
	}
	return errcodeAnswer(row.Code, row.Errmsg, ex.rid)
}

// natural answers from the world, checking in the documented order: the
// query parameters, the token, the body, then the operation's own checks.
func (s *Server) natural(ex *exchange) answer {
	req := ex.parsed()
	params, body := req.params, req.body
	if len(params) > 0 {
		return ex.fail(params...)
	}
	if ex.route.Token != nil {
		if cause := s.checkToken(ex); cause != "" {
			return ex.fail(cause)
		}
	}
	if ex.bodyErr != nil {
		return ex.fail(tcbmock.CauseMalformedBody)
	}
	if len(body) > 0 {
		if _, ok := ex.route.Cause(body...); !ok {
			body = []string{tcbmock.CauseInvalidBody, tcbmock.CauseMalformedBody}
		}
		return ex.fail(body...)
	}
	switch ex.route.ID {
	case OpGetEnvInfo:
		return ex.getEnvInfo()
	case OpGetAccessToken:
		return s.getAccessToken(ex)
	case OpGetStableAccessToken:
		return s.getStableAccessToken(ex)
	case OpGetComponentAccessToken:
		return s.getComponentAccessToken(ex)
	case OpGetAuthorizerAccessToken:
		return s.getAuthorizerAccessToken(ex)
	}
	return ex.example()
}

// checkToken checks the request's token against the operation's x-token
// and the world, and returns the cause it fails with, or "".
func (s *Server) checkToken(ex *exchange) string {
	value, param := ex.route.TokenValue(ex.param)
	if value == "" {
		return tcbmock.Missing(param)
	}
	t := ex.lookup(s.tokens, value)
	if t == nil {
		return tcbmock.CauseUnknownToken
	}
	if cause := t.failsAt(ex.now); cause != "" {
		return cause
	}
	if !ex.route.Takes(t.kind) {
		return tcbmock.CauseWrongKind
	}
	ex.token, ex.appid = t, t.appid
	switch t.kind {
	case tcbmock.KindComponent:
		if ex.cfg.Component(t.appid) == nil {
			return tcbmock.CauseUnknownToken
		}
	case tcbmock.KindAuthorizer:
		return ex.checkAuthorization(t)
	default:
		if ex.cfg.App(t.appid) == nil {
			return tcbmock.CauseUnknownToken
		}
	}
	return ""
}

// checkAuthorization checks that an authorizer token's account still
// authorizes its platform, with a permission set that holds the API.
func (ex *exchange) checkAuthorization(t *token) string {
	comp := ex.cfg.Component(t.component)
	if comp == nil || comp.Authorization(t.appid) == nil || ex.cfg.App(t.appid) == nil {
		return tcbmock.CauseUnknownToken
	}
	if !ex.route.Grants(comp.Authorization(t.appid).PermissionSets) {
		return tcbmock.CauseUnauthorized
	}
	return ""
}

func (ex *exchange) getEnvInfo() answer {
	ex.env = ex.parsed().env
	body := ex.cfg.App(ex.appid).answer(ex.env)
	if body == nil && ex.cfg.UnknownEnvErrcode != 0 {
		row, _ := ex.route.Errcode(ex.cfg.UnknownEnvErrcode)
		return errcodeAnswer(row.Code, row.Errmsg, ex.rid)
	}
	if body == nil {
		body = noEnvs
	}
	return answer{status: http.StatusOK, carries: true, body: body}
}

// credentials are a token request's fields, from the query or the body.
type credentials struct {
	GrantType    string `json:"grant_type"`
	AppID        string `json:"appid"`
	Secret       string `json:"secret"`
	ForceRefresh bool   `json:"force_refresh"`
}

func (ex *exchange) credentials() credentials { return ex.parsed().creds }

// tokenAnswer is a token answer (no errcode) as encoding/json writes it: the
// admin API mints with it; the token endpoints render the same bytes by hand.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

// app checks a token request's credentials against the world: the app, or
// the cause they fail with.
func (ex *exchange) app(c credentials) (*App, string) {
	ex.appid = c.AppID
	app := ex.cfg.App(c.AppID)
	switch {
	case app == nil:
		return nil, tcbmock.CauseUnknownAppID
	case app.Secret != c.Secret:
		return nil, tcbmock.CauseWrongSecret
	}
	return app, ""
}

func (s *Server) getAccessToken(ex *exchange) answer {
	app, cause := ex.app(ex.credentials())
	if app == nil {
		return ex.fail(cause)
	}
	t := s.tokens.issue(&token{kind: tcbmock.KindApp, appid: app.AppID}, ex.now)
	return answer{status: http.StatusOK, body: renderToken(t.value, int(TokenLifetime/time.Second))}
}

func (s *Server) getStableAccessToken(ex *exchange) answer {
	c := ex.credentials()
	app, cause := ex.app(c)
	if app == nil {
		return ex.fail(cause)
	}
	t, expiresIn := s.tokens.stableToken(app.AppID, c.ForceRefresh, ex.now)
	return answer{status: http.StatusOK, body: renderToken(t.value, expiresIn)}
}

// example answers an operation the fake has no world for with the example
// of its HTTP 200 answer.
func (ex *exchange) example() answer {
	if resp := ex.route.Op.Responses.Status(http.StatusOK); resp != nil && resp.Value != nil {
		if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Example != nil {
			a := okAnswer(mt.Example)
			if m, ok := mt.Example.(map[string]any); ok {
				code, isInt := m["errcode"].(int)
				a.errcode, a.carries = code, isInt
			}
			return a
		}
	}
	return ex.fail()
}

// record journals the exchange: what came in and what was sent, each part
// cut to journalPartMax bytes and, with redaction, without credentials.
func (s *Server) record(ex *exchange, a answer) {
	rawQuery, body, answerBody := ex.r.URL.RawQuery, string(ex.body), string(a.body)
	redactHeader := func(_, v string) string { return v }
	if s.redactor != nil {
		sf := ex.cfg.secrets
		rawQuery, body, answerBody = s.redactor.query(sf, rawQuery), s.redactor.json(sf, body), s.redactor.json(sf, answerBody)
		redactHeader = s.redactor.header
	}
	e := record{
		Entry: Entry{
			Time: ex.now, Method: ex.r.Method, Path: ex.r.URL.Path, AppID: strings.Clone(ex.appid), Env: ex.env,
			Scenario: ex.scenario, Status: a.status, RID: ex.rid, Fault: a.fault, Cause: ex.cause,
		},
		errcode: a.errcode, hasErrcode: a.carries,
	}
	// The path and method may be slices of the whole request line.
	e.Path, _ = keep(e.Path)
	e.Method, _ = keep(e.Method)
	var cut [4]bool
	e.rawQuery, cut[0] = keep(rawQuery)
	e.header, cut[1] = keepHeader(ex.r.Header, redactHeader)
	e.body, cut[2] = keep(body)
	e.answer, cut[3] = keep(answerBody)
	for i, part := range []string{"query", "header", "body", "answer"} {
		if cut[i] {
			e.Truncated = append(e.Truncated, part)
		}
	}
	if ex.route != nil {
		e.Operation = ex.route.ID
	}
	if ex.token != nil {
		e.Component = ex.token.component
	}
	s.journal.add(e)
	if s.logger.Enabled(ex.r.Context(), slog.LevelDebug) {
		s.logger.Debug("answered", "method", e.Method, "path", e.Path, "status", e.Status, "scenario", e.Scenario, "rid", e.RID)
	}
}
