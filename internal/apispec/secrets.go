package apispec

import (
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// Secrets returns the names of the query parameters and body fields, of
// requests and answers, whose schema the spec marks x-secret: tokens,
// secrets, tickets. What carries them is what a journal or a log must
// redact.
func (s *Spec) Secrets() []string {
	var names []string
	add := func(name string, ref *openapi3.SchemaRef) {
		if ref != nil && ref.Value != nil && ref.Value.Extensions["x-secret"] == true {
			names = append(names, name)
		}
	}
	var walk func(*openapi3.SchemaRef, int)
	walk = func(ref *openapi3.SchemaRef, depth int) {
		if ref == nil || ref.Value == nil || depth > 8 {
			return
		}
		for name, p := range ref.Value.Properties {
			add(name, p)
			walk(p, depth+1)
		}
		for _, branch := range slices.Concat(ref.Value.OneOf, ref.Value.AnyOf, ref.Value.AllOf) {
			walk(branch, depth+1)
		}
		walk(ref.Value.Items, depth+1)
	}
	for _, o := range s.ops {
		for _, p := range o.Op.Parameters {
			add(p.Value.Name, p.Value.Schema)
		}
		if rb := o.Op.RequestBody; rb != nil && rb.Value != nil {
			for _, mt := range rb.Value.Content {
				walk(mt.Schema, 0)
			}
		}
		for _, resp := range o.Op.Responses.Map() {
			if resp.Value != nil {
				for _, mt := range resp.Value.Content {
					walk(mt.Schema, 0)
				}
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}
