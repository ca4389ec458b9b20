package apispec

import (
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// schemaPlace is where a schema is written in the spec: its YAML path and
// its properties in the order written (kin-openapi keeps them in a map).
type schemaPlace struct {
	path  []any
	props []string
}

// placeSchemas walks the spec's YAML beside the loaded document, so that
// answers list fields in the spec's order and problems name a line.
func (s *Spec) placeSchemas(yd *yamlfile.Doc) {
	s.places = map[*openapi3.Schema]schemaPlace{}
	for name, ref := range s.Doc.Components.Schemas {
		s.place(yd, ref, []any{"components", "schemas", name})
	}
	for _, o := range s.ops {
		at := o.At()
		if rb := o.Op.RequestBody; rb != nil && rb.Value != nil {
			for ct, mt := range rb.Value.Content {
				s.place(yd, mt.Schema, append(slices.Clone(at), "requestBody", "content", ct, "schema"))
			}
		}
		for code, resp := range o.Op.Responses.Map() {
			if resp.Value != nil {
				for ct, mt := range resp.Value.Content {
					s.place(yd, mt.Schema, append(slices.Clone(at), "responses", code, "content", ct, "schema"))
				}
			}
		}
	}
}

func (s *Spec) place(yd *yamlfile.Doc, ref *openapi3.SchemaRef, path []any) {
	n := yd.Node(path...)
	if ref == nil || ref.Value == nil || n == nil || n.Kind != yaml.MappingNode {
		return
	}
	if yd.Node(append(slices.Clone(path), "$ref")...) != nil {
		return // placed where the component is written
	}
	if _, done := s.places[ref.Value]; done {
		return
	}
	p := schemaPlace{path: path}
	if props := yd.Node(append(slices.Clone(path), "properties")...); props != nil && props.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(props.Content); i += 2 {
			p.props = append(p.props, props.Content[i].Value)
		}
	}
	s.places[ref.Value] = p
	for _, name := range p.props {
		s.place(yd, ref.Value.Properties[name], append(slices.Clone(path), "properties", name))
	}
	s.place(yd, ref.Value.Items, append(slices.Clone(path), "items"))
	for key, branches := range map[string]openapi3.SchemaRefs{"oneOf": ref.Value.OneOf, "anyOf": ref.Value.AnyOf, "allOf": ref.Value.AllOf} {
		for i, b := range branches {
			s.place(yd, b, append(slices.Clone(path), key, i))
		}
	}
}

// Properties returns the names of schema's properties in the order the spec
// writes them.
func (s *Spec) Properties(schema *openapi3.Schema) []string {
	if p, ok := s.places[schema]; ok && len(p.props) == len(schema.Properties) {
		return p.props
	}
	var names []string
	for name := range schema.Properties {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// SchemaError returns a problem with schema, at the line of its field in the spec.
func (s *Spec) SchemaError(schema *openapi3.Schema, field string, format string, args ...any) error {
	path := []any{}
	if p, ok := s.places[schema]; ok {
		path = slices.Clone(p.path)
		if field != "" {
			path = append(path, field)
		}
	}
	return s.yd.Errorf(path, format, args...)
}

// Line returns the line of path in the spec.
func (s *Spec) Line(path []any) int { return s.yd.Line(path...) }

// Errorf returns a problem at the line of path in the spec.
func (s *Spec) Errorf(path []any, format string, args ...any) error {
	return s.yd.Errorf(path, format, args...)
}

// branches returns the schemas an answer can take: the oneOf branches of
// the HTTP 200 answer, or that schema itself.
func (o *Operation) branches() []*openapi3.Schema {
	schema := o.ResponseSchema()
	if schema == nil {
		return nil
	}
	if len(schema.OneOf) == 0 {
		return []*openapi3.Schema{schema}
	}
	var out []*openapi3.Schema
	for _, b := range schema.OneOf {
		if b.Value != nil {
			out = append(out, b.Value)
		}
	}
	return out
}

// SuccessSchema returns the schema of the operation's answer to a request
// that succeeds: the first branch whose errcode, if it has one, takes 0.
func (o *Operation) SuccessSchema() *openapi3.Schema {
	for _, b := range o.branches() {
		if p := b.Properties["errcode"]; p == nil || p.Value == nil || p.Value.VisitJSON(float64(0)) == nil {
			return b
		}
	}
	return nil
}

// ErrorSchema returns the schema of the operation's error answers: the
// first branch with an errcode that takes other codes than 0.
func (o *Operation) ErrorSchema() *openapi3.Schema {
	for _, b := range o.branches() {
		if p := b.Properties["errcode"]; p != nil && p.Value != nil && p.Value.VisitJSON(float64(-1)) == nil {
			return b
		}
	}
	return nil
}

// InQuery reports whether the request field name is a query parameter of
// the operation (else it is a field of its JSON body).
func (o *Operation) InQuery(name string) bool {
	return o.query[name]
}
