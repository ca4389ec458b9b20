package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

// opRequest is a request to one operation of the spec: first its valid form,
// built from the spec (method, path, the token its x-token takes, the
// required query parameters, the body of its request example) and the
// suite's credentials, then changed in one way by a step.
type opRequest struct {
	op       *apispec.Operation
	method   string
	query    url.Values
	body     map[string]any // nil: the operation takes no body
	raw      *string        // sent instead of body, when set
	scenario string         // the fake's scenario header, or ""
	unset    []string       // credential fields the suite has no value for
	cause    string         // the cause the call is made to earn, or ""
	lacks    string         // what the target's world lacks for the call to succeed, or ""
}

// field returns the value of a credential field of that name, if it is one.
func (c Credentials) field(name string) (string, bool) {
	switch name {
	case "appid":
		return c.AppID, true
	case "secret", "appsecret":
		return c.Secret, true
	case "component_appid":
		return c.ComponentAppID, true
	case "component_appsecret":
		return c.ComponentSecret, true
	case "component_verify_ticket":
		return c.VerifyTicket, true
	case "authorizer_appid":
		return c.AuthorizerAppID, true
	case "authorizer_refresh_token":
		return c.RefreshToken, true
	}
	return "", false
}

// credentialFields lists the operation's query parameters and body fields
// that carry a credential: its token parameters, appids, secrets, tickets.
func credentialFields(op *apispec.Operation) []string {
	var out []string
	if op.Token != nil {
		out = append(out, op.Token.Params...)
	}
	for _, name := range op.FieldNames() {
		if _, ok := (Credentials{}).field(name); ok {
			out = append(out, name)
		}
	}
	return out
}

// operation returns the operation whose operationId, path or last path
// segment is name.
func (s *session) operation(name string) (*apispec.Operation, error) {
	for _, op := range s.spec.Operations() {
		if op.ID == name || op.Path == name || strings.HasSuffix(op.Path, "/"+name) {
			return op, nil
		}
	}
	return nil, fmt.Errorf("%s has no operation %q", s.spec.File, name)
}

// validCall returns the operation's valid request: the token its x-token
// takes, its required query parameters, and the body of its request example,
// with the suite's credentials in the fields that hold one.
func (s *scenario) validCall(ctx context.Context, op *apispec.Operation) (*opRequest, error) {
	c := &opRequest{op: op, method: op.Method, query: url.Values{}}
	creds := s.session.credentials()
	if op.Token != nil {
		tok, err := s.tokenFor(ctx, op)
		if err != nil {
			return nil, err
		}
		c.query.Set(op.Token.Params[0], tok)
	}
	for _, ref := range op.Op.Parameters {
		p := ref.Value
		if p.In != "query" || (op.Token != nil && slices.Contains(op.Token.Params, p.Name)) {
			continue
		}
		if v, ok := creds.field(p.Name); ok {
			c.put(p.Name, v)
		} else if v, ok := paramExample(p); ok && p.Required {
			c.query.Set(p.Name, fmt.Sprint(v))
		}
	}
	if body, ok := requestExample(op); ok {
		c.body = body
		for name := range body {
			if v, ok := creds.field(name); ok {
				c.put(name, v)
			}
		}
	}
	s.bindToWorld(c)
	return c, nil
}

// bindToWorld names, in the request field that the operation's x-answer
// "within" binding reads, an entity the app has: the request example's may
// be another app's.
func (s *scenario) bindToWorld(c *opRequest) {
	if c.op.Answer != nil && c.op.Answer.Pick != nil {
		s.bindToPick(c, c.op.Answer.Pick)
	}
	if c.op.Answer == nil || c.op.Answer.Within == nil || !c.has(c.op.Answer.Within.Field) {
		return
	}
	w := c.op.Answer.Within
	if v, ok := s.session.entity(w.List, w.Field); ok {
		c.set(w.Field, v)
	}
}

// put sets a credential field, or marks it unset when the suite has no value.
func (c *opRequest) put(name, value string) {
	if value == "" {
		c.del(name) // before it is marked: del unmarks
		c.unset = append(c.unset, name)
		return
	}
	c.set(name, value)
}

// has reports whether the operation has a query parameter or body field name.
func (c *opRequest) has(name string) bool { return c.op.FieldSchema(name) != nil }

// set sets a query parameter or body field.
func (c *opRequest) set(name string, v any) {
	c.unset = slices.DeleteFunc(c.unset, func(u string) bool { return u == name })
	if c.op.InQuery(name) {
		c.query.Set(name, fmt.Sprint(v))
		return
	}
	if c.body == nil {
		c.body = map[string]any{}
	}
	c.body[name] = v
}

// del removes a query parameter or body field.
func (c *opRequest) del(name string) {
	c.unset = slices.DeleteFunc(c.unset, func(u string) bool { return u == name })
	c.query.Del(name)
	delete(c.body, name)
}

// setToken passes the token in the operation's first token parameter, and
// in no other.
func (c *opRequest) setToken(token string) {
	c.clearToken()
	c.query.Set(c.op.Token.Params[0], token)
}

// clearToken removes the token from every token parameter.
func (c *opRequest) clearToken() {
	for _, p := range c.op.Token.Params {
		c.query.Del(p)
	}
}

// sendBody sends body as it is, whatever the credentials: they are not sent.
func (c *opRequest) sendBody(body string) {
	c.raw = &body
	c.unset = nil
}

// sendMethod sends the call with another method and no body, as a client
// that uses the wrong method does.
func (c *opRequest) sendMethod(method string) {
	c.method = method
	if c.body != nil {
		c.sendBody("")
	}
}

// request is the call as it is sent; a call still missing a credential
// skips, since what it proves would depend on the missing value.
func (c *opRequest) request() (request, error) {
	if len(c.unset) > 0 {
		return request{}, skip(fmt.Sprintf("needs %s for %s, which was not given", strings.Join(c.unset, " and "), c.op.ID))
	}
	req := request{method: c.method, path: c.op.Path, query: c.query, scenario: c.scenario, cause: c.cause}
	switch {
	case c.raw != nil:
		req.body = *c.raw
	case c.body != nil:
		req.body = jsonString(c.body)
	}
	return req, nil
}

// do sends the call.
func (s *scenario) do(ctx context.Context, c *opRequest) (*received, error) {
	req, err := c.request()
	if err != nil {
		return nil, err
	}
	return s.send(ctx, req)
}

// tokenFor returns a token of the first kind the operation's x-token takes.
func (s *scenario) tokenFor(ctx context.Context, op *apispec.Operation) (string, error) {
	switch kind := op.Token.Kinds[0]; kind {
	case apispec.KindApp:
		return s.appTokenValue(ctx)
	case apispec.KindComponent:
		err := s.platformToken(ctx)
		return s.component, err
	case apispec.KindAuthorizer:
		return s.authorizerTokenOf(ctx, s.permitted)
	default:
		return "", fmt.Errorf("%s takes a token of kind %q, which the suite cannot get", op.ID, kind)
	}
}

// callForced calls the operation, valid but for the fake's scenario name,
// which forces its answer.
func (s *scenario) callForced(ctx context.Context, opName, name string) error {
	if why := s.session.lacksScenario(name); why != "" {
		return skip(why)
	}
	return s.callChanged(ctx, opName, func(_ context.Context, c *opRequest) error {
		c.scenario = name
		return nil
	})
}

// requestExample returns a copy of the operation's JSON request example.
func requestExample(op *apispec.Operation) (map[string]any, bool) {
	rb := op.Op.RequestBody
	if rb == nil || rb.Value == nil {
		return nil, false
	}
	mt := rb.Value.Content.Get("application/json")
	if mt == nil {
		return nil, false
	}
	body := map[string]any{}
	if ex, ok := mt.Example.(map[string]any); ok {
		maps.Copy(body, ex)
	}
	return body, true
}

// paramExample returns the parameter's example, or its schema's value.
func paramExample(p *openapi3.Parameter) (any, bool) {
	if p.Example != nil {
		return p.Example, true
	}
	return exampleValue(p.Schema.Value)
}

// exampleValue returns a value the schema takes: its example, its default
// or its first enum value.
func exampleValue(s *openapi3.Schema) (any, bool) {
	switch {
	case s == nil:
		return nil, false
	case s.Example != nil:
		return s.Example, true
	case s.Default != nil:
		return s.Default, true
	case len(s.Enum) > 0:
		return s.Enum[0], true
	}
	return nil, false
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of strings, numbers and booleans come here
	}
	return string(b)
}
