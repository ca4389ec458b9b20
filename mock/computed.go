package mock

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/compute"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// computedProp is a property of a computing operation's success answer:
// its expression and schema, in the order the template's holes take them.
type computedProp struct {
	name   string
	prog   *compute.Program
	schema *openapi3.Schema // checked per request unless the expression's type is one the schema takes
	check  bool
}

// newComputed makes the success template of a computing operation: a hole
// for each computed property, in the schema's order.
func newComputed(ctx context.Context, spec *apispec.Spec, t *templates) error {
	r, success := t.op.Answer, t.op.SuccessSchema()
	holes := map[string]hole{}
	for _, name := range spec.Properties(success) {
		prog := r.Program(name)
		if prog == nil {
			continue
		}
		holes[name] = holeComputed
		schema := success.Properties[name].Value
		types := schema.Type.Slice()
		// A scalar expression is typed when compiled; its value still
		// meets the rest of the schema (a pattern, a range) per request.
		t.needs |= prog.Needs()
		t.readsApp = t.readsApp || prog.Uses("app")
		t.computed = append(t.computed, computedProp{name: name, prog: prog, schema: schema,
			check: len(types) != 1 || !slices.Contains([]string{"string", "integer", "number", "boolean"}, types[0]) || hasRules(schema)})
	}
	var err error
	if t.success, err = newTemplate(spec, success, holes); err != nil {
		return err
	}
	sample := make([][]byte, len(t.computed))
	for i, p := range t.computed {
		sample[i] = marshal(sampleValue(p.schema))
	}
	body := t.success.render(&fill{computed: sample})
	t.noteSuccess(body)
	return t.validate(ctx, spec, body, "x-answer")
}

// hasRules reports whether a scalar schema says more than its type.
func hasRules(s *openapi3.Schema) bool {
	return s.Pattern != "" || len(s.Enum) > 0 || s.Min != nil || s.Max != nil || s.MinLength > 0 || s.MaxLength != nil || s.Format != ""
}

// sampleValue is a value of schema's type, for the answer checked at
// load: its example, enum or default, else the least its type and bounds
// allow.
func sampleValue(s *openapi3.Schema) any {
	switch {
	case s.Example != nil:
		return s.Example
	case len(s.Enum) > 0:
		return s.Enum[0]
	case s.Default != nil:
		return s.Default
	case s.Type.Is("string"):
		return strings.Repeat("x", int(s.MinLength))
	case s.Type.Is("integer"), s.Type.Is("number"):
		if s.Min != nil {
			return *s.Min
		}
		return 0
	case s.Type.Is("boolean"):
		return false
	case s.Type.Is("array"):
		return []any{}
	}
	return map[string]any{}
}

// computeAnswer answers a computing operation: the entity the request
// picks, then each expression, within its bounds.
func computeAnswer(c *call, r *apispec.AnswerRule) outcome {
	var o outcome
	app, cause := c.account()
	if cause != "" {
		return refuse(c, cause)
	}
	if app == nil {
		return failed(c, r, o, nil)
	}
	if p := r.Pick; p != nil {
		if env, ok := p.By["env"]; ok {
			o.env = c.field(env)
		}
	}
	if body := c.req.computed.Load(); body != nil {
		o.answer = c.tpl.ok(*body)
		return o
	}
	v := &compute.Vars{AppID: app.AppID}
	if c.tpl.readsApp || app.exprs != nil && app.exprs.readsApp {
		v.App = app.view()
	}
	needs := c.tpl.needs
	if p := r.Pick; p != nil {
		item, n, err := app.pick(c, p, v)
		needs |= n

		switch {
		case item == nil && err == nil:
			row, _ := c.op.Errcode(r.Unknown)
			o.answer = c.tpl.errorAnswer(row, c.rid)
			return o
		case err != nil:
			return failed(c, r, o, err)
		}
		v.Item = item
	} else {
		c.fillVars(v, c.tpl.needs)
	}
	values := make([][]byte, len(c.tpl.computed))
	for i, p := range c.tpl.computed {
		out, err := p.prog.EvalWithin(v, c.bound)
		if err == nil && p.check {
			err = p.schema.VisitJSON(asJSON(out))
		}
		if err != nil {
			return failed(c, r, o, err)
		}
		if str, ok := out.(string); ok {
			values[i] = appendString(make([]byte, 0, len(str)+len(str)/8+2), str)
		} else {
			values[i] = marshal(out)
		}
	}
	body := c.tpl.success.render(&fill{computed: values})
	if needs&compute.NeedsHeader == 0 {
		c.req.computed.Store(&body) // the same request gets the same answer
	}
	o.answer = c.tpl.ok(body)
	return o
}

// account is the app the request acts for: its token's, or, for an
// operation that takes no token, the app its appid field names, whose
// secret must be the request's secret (or appsecret) when it has one. An
// appid field beside a token must name the token's own account. cause
// says why not.
func (c *call) account() (*App, string) {
	if c.token != nil {
		if c.op.FieldSchema("appid") != nil && c.field("appid") != c.token.AppID {
			return nil, tcbmock.CauseUnknownAppID
		}
		return c.cfg.App(c.token.AppID), ""
	}
	app := c.cfg.App(c.field("appid"))
	if app == nil {
		return nil, tcbmock.CauseUnknownAppID
	}
	for _, secret := range []string{"secret", "appsecret"} {
		if c.op.FieldSchema(secret) != nil && c.field(secret) != app.Secret {
			return nil, tcbmock.CauseWrongSecret
		}
	}
	return app, ""
}

// failed answers the errcode of an expression that failed, err saying
// why in the journal's cause: one stopped at its time bound is told apart.
func failed(c *call, r *apispec.AnswerRule, o outcome, err error) outcome {
	row, _ := c.op.Errcode(r.Failed)
	o.answer = c.tpl.errorAnswer(row, c.rid)
	switch {
	case errors.Is(err, compute.ErrTimeout):
		o.cause = fmt.Sprintf("expression stopped at its time bound (%v)", cmp.Or(c.bound.Timeout, compute.Timeout))
	case err != nil:
		o.cause = "expression failed: " + cutCause(err.Error())
	default:
		o.cause = "expression failed"
	}
	return o
}

// cutCause returns an error's text as a journal's cause keeps it: its
// first line, at most 200 bytes.
func cutCause(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

// asJSON returns v as encoding/json decodes it, as the validators take it.
func asJSON(v any) any {
	switch x := v.(type) {
	case string, bool, float64, nil:
		return v
	case int:
		return float64(x)
	}
	var out any
	if data, err := json.Marshal(v); err == nil {
		_ = json.Unmarshal(data, &out)
	}
	return out
}

// fillVars puts in v the parts of the request that needs names.
func (c *call) fillVars(v *compute.Vars, needs compute.Needs) {
	if needs&compute.NeedsQuery != 0 {
		v.Query = map[string]string{}
		for _, p := range c.op.Op.Parameters {
			if p.Value != nil && p.Value.In == "query" {
				v.Query[p.Value.Name] = c.query.Get(p.Value.Name)
			}
		}
	}
	if needs&compute.NeedsHeader != 0 {
		v.Header = make(map[string]string, len(c.r.Header))
		for name, values := range c.r.Header {
			v.Header[name] = values[0]
		}
	}
	if needs&compute.NeedsRaw != 0 {
		v.Raw = string(c.body)
	}
	if needs&compute.NeedsBody == 0 {
		return
	}
	if c.req.fields != nil {
		v.Body = c.req.fields
	} else if len(c.body) > 0 {
		_ = json.Unmarshal(c.body, &v.Body)
	}
}

// pick returns the app's entity of p's list that the request names, its
// expression fields computed, and the parts of the request they read;
// nil when there is none.
func (a *App) pick(c *call, p *apispec.Pick, v *compute.Vars) (map[string]any, compute.Needs, error) {
	var small [4]string // the request's values of the pick's fields
	values := small[:0]
	for _, pair := range p.Pairs() {
		values = append(values, c.field(pair[1]))
	}
	for i, e := range a.Entities[p.List] {
		if matches(e, p.Pairs(), values) {
			progs, needs, item := a.entityExprs(p.List, i)
			c.fillVars(v, c.tpl.needs|needs)
			if len(progs) == 0 {
				return e, needs, nil
			}
			if item != nil {
				return item, needs, nil // computed when the world loaded
			}
			item = make(map[string]any, len(e))
			for k, val := range e {
				item[k] = val
			}
			v.Item = map[string]any(e)
			for field, prog := range progs {
				out, err := prog.EvalWithin(v, c.bound)
				if err != nil {
					return nil, needs, err
				}
				item[field] = out
			}
			return item, needs, nil
		}
	}
	return nil, 0, nil
}

// matches reports whether e's fields of pairs are values.
func matches(e Entity, pairs [][2]string, values []string) bool {
	for i, pair := range pairs {
		if s, _ := e[pair[0]].(string); s != values[i] {
			return false
		}
	}
	return true
}

// compileEntities compiles the expression fields (x-expression in their
// schema) of an app's entities of one list, each refused at its line.
func (a *App) compileEntities(doc *yamlfile.Doc, schema *openapi3.Schema, list string, entities []Entity, at []any) error {
	var errs yamlfile.List
	var progs []map[string]*compute.Program
	var needs []compute.Needs
	readsApp := false
	for i, e := range entities {
		for field, ref := range schema.Properties {
			if ref.Value == nil || ref.Value.Extensions["x-expression"] != true {
				continue
			}
			src, ok := e[field].(string)
			if !ok {
				continue
			}
			prog, err := compute.Compile(src, compute.KindOf(ref.Value.Type.Slice()[0]))
			if err != nil {
				errs.Add(apispec.ExpressionError(doc, append(slices.Clone(at), i, field), field, err))
				continue
			}
			if progs == nil {
				progs, needs = make([]map[string]*compute.Program, len(entities)), make([]compute.Needs, len(entities))
			}
			if progs[i] == nil {
				progs[i] = map[string]*compute.Program{}
			}
			progs[i][field] = prog
			needs[i] |= prog.Needs()
			readsApp = readsApp || prog.Uses("app")
		}
	}
	if progs == nil { // no expression: an app holds nothing for them
		return errs.Err()
	}
	if a.exprs == nil {
		a.exprs = &appExprs{progs: map[string][]map[string]*compute.Program{}, needs: map[string][]compute.Needs{}}
	}
	a.exprs.progs[list], a.exprs.needs[list] = progs, needs
	a.exprs.readsApp = a.exprs.readsApp || readsApp
	return errs.Err()
}

// entityExprs returns the expression fields of entity i of list, the parts
// of a request they read, and the entity as computed at load (nil unless
// its expressions read nothing of a request).
func (a *App) entityExprs(list string, i int) (map[string]*compute.Program, compute.Needs, map[string]any) {
	if a.exprs == nil || a.exprs.progs[list] == nil {
		return nil, 0, nil
	}
	var item map[string]any
	if items := a.exprs.items[list]; items != nil {
		item = items[i]
	}
	return a.exprs.progs[list][i], a.exprs.needs[list][i], item
}

// view returns the app's entities as expressions read them (app): each
// list of entities, as plain values. It is made when an expression reads
// it, not kept: a large world holds no second copy of its entities.
func (a *App) view() map[string]any {
	view := make(map[string]any, len(a.Entities))
	for name, list := range a.Entities {
		items := make([]any, len(list))
		for i, e := range list {
			items[i] = map[string]any(e)
		}
		view[name] = items
	}
	return view
}

// computeItems computes, once, the entities whose expressions read
// nothing of a request (as login's, which reads the appid): a pick of one
// answers it as it is. An expression that fails is left to fail per
// request, with the operation's errcode.
func (a *App) computeItems() {
	if a.exprs == nil {
		return
	}
	a.exprs.items = map[string][]map[string]any{}
	view := a.view()
	for list, progs := range a.exprs.progs {
		a.exprs.items[list] = make([]map[string]any, len(progs))
		for i, fields := range progs {
			if len(fields) == 0 || a.exprs.needs[list][i] != 0 || usesItem(fields) {
				continue
			}
			e := a.Entities[list][i]
			item := make(map[string]any, len(e))
			for k, val := range e {
				item[k] = val
			}
			v := &compute.Vars{AppID: a.AppID, App: view, Item: map[string]any(e)}
			ok := true
			for field, prog := range fields {
				out, err := prog.Eval(v)
				item[field], ok = out, ok && err == nil
			}
			if ok {
				a.exprs.items[list][i] = item
			}
		}
	}
}

// usesItem reports whether one of progs reads item.
func usesItem(progs map[string]*compute.Program) bool {
	for _, p := range progs {
		if p.Uses("item") {
			return true
		}
	}
	return false
}
