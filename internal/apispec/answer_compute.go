package apispec

import (
	"errors"
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tcbmock/tcbmock/internal/compute"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// Pick names the entity of the world that a request names: the one of
// the token's account in List whose fields By names equal the request
// fields they map to. Items is the name of the schema, under
// components/schemas, of the list's entities.
type Pick struct {
	List  string            `yaml:"list" json:"list"`
	Items string            `yaml:"items" json:"items"`
	By    map[string]string `yaml:"by" json:"by"`

	schema *openapi3.Schema
	pairs  [][2]string // By, sorted: entity field, request field
}

// Pairs returns By as pairs of entity field and request field, sorted.
func (p *Pick) Pairs() [][2]string { return p.pairs }

// Program returns the compiled expression of the success answer's
// property prop, or nil.
func (r *AnswerRule) Program(prop string) *compute.Program { return r.programs[prop] }

// ListName returns the name of the world's list the operation's x-answer
// lists or picks from, or "".
func (o *Operation) ListName() string {
	switch r := o.Answer; {
	case r == nil:
		return ""
	case r.Pick != nil:
		return r.Pick.List
	}
	return o.Answer.List
}

// checkCompute checks a computing x-answer and compiles its expressions,
// each typed by its property's schema.
func (o *Operation) checkCompute(yd *yamlfile.Doc, at []any, success *openapi3.Schema) error {
	r := o.Answer
	var errs yamlfile.List
	if r.Into != "" || r.Match != "" || r.Within != nil || r.Fields != nil || r.Overlap != 0 || r.ForceRefresh != nil {
		errs.Add(yd.Errorf(at, "a computing x-answer takes compute, pick, unknown and failed; into, match, within, fields, overlap and force_refresh are for lists and tokens"))
	}
	switch {
	case o.Token == nil && o.FieldSchema("appid") == nil:
		errs.Add(yd.Errorf(at, "x-answer computes for an account: %s takes an account's token (x-token) or names the account in an appid field", o.ID))
	case o.Token != nil && ((!o.Takes(KindApp) && !o.Takes(KindAuthorizer)) || o.Takes(KindComponent)):
		errs.Add(yd.Errorf(at, "x-answer computes from the token's account, so %s takes an account's tokens alone (x-token kinds app, authorizer, or both)", o.ID))
	}
	r.programs = map[string]*compute.Program{}
	for prop, src := range r.Compute {
		where := append(slices.Clone(at), "compute", prop)
		p := success.Properties[prop]
		if p == nil || p.Value == nil {
			errs.Add(yd.Errorf(where, "%q is no property of %s's success answer", prop, o.ID))
			continue
		}
		kind := compute.Any
		if types := p.Value.Type.Slice(); len(types) == 1 {
			kind = compute.KindOf(types[0])
		}
		prog, err := compute.Compile(src, kind)
		if err != nil {
			errs.Add(ExpressionError(yd, where, prop, err))
			continue
		}
		r.programs[prop] = prog
	}
	if r.Failed == 0 {
		r.Failed = -1
	}
	if _, ok := o.Errcode(r.Failed); !ok {
		errs.Add(yd.Errorf(append(slices.Clone(at), "failed"), "failed: errcode %d is not in %s's x-errcodes", r.Failed, o.ID))
	}
	if r.Pick != nil {
		if _, ok := o.Errcode(r.Unknown); !ok || r.Unknown == 0 {
			errs.Add(yd.Errorf(append(slices.Clone(at), "unknown"), "unknown: want the errcode of the table answered when the request names no entity of %s", r.Pick.List))
		}
	} else if r.Unknown != 0 {
		errs.Add(yd.Errorf(append(slices.Clone(at), "unknown"), "unknown is the errcode of a pick that finds nothing: there is no pick"))
	}
	return errs.Err()
}

// checkPicks checks each operation's pick against the spec: its schema,
// and the fields it matches.
func (s *Spec) checkPicks(yd *yamlfile.Doc) error {
	var errs yamlfile.List
	for _, o := range s.ops {
		if o.Answer != nil && o.Answer.Pick != nil {
			errs.Add(s.checkPick(yd, o, o.At("x-answer", "pick")))
		}
	}
	return errs.Err()
}

func (s *Spec) checkPick(yd *yamlfile.Doc, o *Operation, at []any) error {
	p := o.Answer.Pick
	if p.List == "" || len(p.By) == 0 {
		return yd.Errorf(at, "pick: want list (the world's list), items (its schema) and by (entity field: request field)")
	}
	var ref *openapi3.SchemaRef
	if s.Doc.Components != nil {
		ref = s.Doc.Components.Schemas[p.Items]
	}
	if ref == nil || ref.Value == nil || !ref.Value.Type.Is("object") {
		return yd.Errorf(append(slices.Clone(at), "items"), "items %q is no object schema under components/schemas", p.Items)
	}
	p.schema = ref.Value
	p.pairs = nil
	for _, field := range slices.Sorted(maps.Keys(p.By)) {
		p.pairs = append(p.pairs, [2]string{field, p.By[field]})
	}
	var errs yamlfile.List
	for field, req := range p.By {
		if p.schema.Properties[field] == nil {
			errs.Add(yd.Errorf(append(slices.Clone(at), "by", field), "%q is no field of %s", field, p.Items))
		}
		if o.FieldSchema(req) == nil {
			errs.Add(yd.Errorf(append(slices.Clone(at), "by", field), "%q is no query parameter or body field of %s", req, o.ID))
		}
	}
	return errs.Err()
}

// ExpressionError is a compile error of the expression at path, at its
// line in the file: a block scalar's lines follow its key's.
func ExpressionError(yd *yamlfile.Doc, path []any, what string, err error) error {
	var ce *compute.Error
	if !errors.As(err, &ce) {
		return yd.Errorf(path, "%s: %v", what, err)
	}
	fe := yd.Errorf(path, "%s: column %d: %s", what, ce.Column, ce.Msg)
	var one *yamlfile.Error
	if errors.As(fe, &one) && ce.Line > 1 {
		one.Line += ce.Line // a block scalar: its text starts below the key
	}
	return fe
}

// count returns how many of conds hold.
func count(conds ...bool) int {
	n := 0
	for _, c := range conds {
		if c {
			n++
		}
	}
	return n
}
