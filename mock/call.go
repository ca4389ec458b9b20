package mock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/compute"
	"github.com/tcbmock/tcbmock/mock/internal/tokens"
)

// call is one WeChat API request as read: what every step of the request
// flow works from. Nothing in it changes once read.
type call struct {
	r       *http.Request
	cfg     *Config
	op      *apispec.Operation // the operation at the path; nil when there is none
	tpl     *templates         // how the fake renders its answers
	route   *apispec.Route
	now     time.Time
	rid     string
	body    []byte
	bodyErr error   // too large, or unreadable
	req     *parsed // what the request says
	query   query
	// tokenValue is the token the request carries, in the query parameter
	// tokenParam (the operation's first when none is given).
	tokenValue, tokenParam string
	token                  *tokens.Token // the token tokenValue names, if the fake issued it
	ip                     string        // the caller's address
	bound                  compute.Bound // the time an expression may take
}

// read reads and routes r.
func (s *Server) read(w http.ResponseWriter, r *http.Request) *call {
	l := s.live.Load()
	c := &call{r: r, cfg: l.cfg, now: s.Now(), query: query(r.URL.RawQuery)}
	c.rid = s.newRID(c.now)
	c.ip = callerIP(r, s.trustForwarded)
	c.bound = s.exprBound
	if r.Body != nil { // a server's request always has one; a Go caller's may not
		c.body, c.bodyErr = io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodySize))
	}
	c.route = c.cfg.spec.Match(r)
	if c.route == nil {
		return c
	}
	c.op, c.tpl = c.route.Operation, c.cfg.templates(c.route.Operation)
	c.req = l.parses.of(c, parse)
	c.tokenValue, c.tokenParam = c.op.TokenValue(c.query.Get)
	c.token = s.tokens.Lookup(c.tokenValue)
	return c
}

// field returns the request field name as a string: a query parameter of
// the operation, or else a top-level field of its JSON body.
func (c *call) field(name string) string {
	if c.op.InQuery(name) {
		return c.query.Get(name)
	}
	s, _ := c.req.fields[name].(string)
	return s
}

// flag returns the body field name as a boolean.
func (c *call) flag(name string) bool {
	b, _ := c.req.fields[name].(bool)
	return b
}

// appid returns who the request acts for: the account of its token, or
// the appid its fields name.
func (c *call) appid() string {
	if c.token != nil {
		return c.token.AppID
	}
	for _, name := range c.op.AppIDFields() {
		if v := c.field(name); v != "" {
			return v
		}
	}
	return ""
}

// parsed is what a request says, as far as the fake reads it: how it
// breaks the spec, and the fields of its JSON body. It is a function of
// the request's operation, path, query and body alone.
type parsed struct {
	params, body []string       // the causes of kin-openapi's validation failures
	fields       map[string]any // the body's top-level fields, when it is a JSON object
	// computed is a computing operation's success answer to the request,
	// once made, when its expressions read nothing but what the memo's key
	// holds (the path, the query with the token, the body) and the world.
	computed atomic.Pointer[[]byte]
}

// parse validates the request with kin-openapi and decodes its body. A
// body that is not exactly one JSON value (trailing data, two objects) is
// malformed, whatever kin-openapi's decoder makes of it.
func parse(c *call) *parsed {
	p := &parsed{}
	body := c.body
	if c.bodyErr != nil {
		body = nil // too large: malformed whatever it says, and not worth reading
	}
	if err := c.route.ValidateRequest(c.r.Context(), c.r, body); err != nil {
		p.params, p.body = requestCauses(err, c.query.Get)
	}
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 {
		if !json.Valid(trimmed) {
			p.body = []string{tcbmock.CauseMalformedBody}
			return p
		}
		_ = json.Unmarshal(trimmed, &p.fields) // not an object: no fields, and its causes above
	}
	return p
}

// query is a raw URL query. The hot path reads a parameter or two of
// every request: Get finds one without building url.Values.
type query string

// Get returns the first value of key, as url.ParseQuery(q).Get(key) would.
func (q query) Get(key string) string {
	raw := string(q)
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue // ParseQuery drops these
		}
		k, v, _ := strings.Cut(pair, "=")
		if strings.ContainsAny(k, "%+") {
			var err error
			if k, err = url.QueryUnescape(k); err != nil {
				continue
			}
		}
		if k != key {
			continue
		}
		if strings.ContainsAny(v, "%+") {
			var err error
			if v, err = url.QueryUnescape(v); err != nil {
				continue
			}
		}
		return v
	}
	return ""
}

// parses remembers what requests said: a request like one seen before, by
// its operation, path, query and body, is neither validated nor decoded again.
// It holds at most maxParses requests of up to maxParseKey bytes, and
// starts over when full. A reload, which may change the spec, starts anew.
type parses struct {
	mu sync.Mutex
	m  map[string]*parsed
}

const (
	maxParses   = 4096
	maxParseKey = 4 << 10
)

// of returns what c says, from the memo or from parse.
func (ps *parses) of(c *call, parse func(*call) *parsed) *parsed {
	var buf [512]byte
	key := append(append(append(append(buf[:0], c.op.ID...), 0), c.r.URL.EscapedPath()...), 0)
	key = append(append(append(key, c.r.URL.RawQuery...), 0), c.body...)
	if len(key) > maxParseKey || c.bodyErr != nil { // a body cut short says less than its bytes
		return parse(c)
	}
	ps.mu.Lock()
	p, ok := ps.m[string(key)] // no allocation for the lookup
	ps.mu.Unlock()
	if ok {
		return p
	}
	p = parse(c)
	ps.mu.Lock()
	if ps.m == nil || len(ps.m) >= maxParses {
		ps.m = make(map[string]*parsed, 64)
	}
	ps.m[string(key)] = p
	ps.mu.Unlock()
	return p
}
