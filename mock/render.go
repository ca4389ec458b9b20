package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

// A template is an answer's JSON, compact and with its properties in the
// spec's order, made from a schema once at load: literal bytes, with holes
// that each request fills. Rendering it is a few appends.
type template struct {
	parts []templatePart
	tail  []byte
}

type templatePart struct {
	lit  []byte
	hole hole
}

// hole is a value a request puts in a template.
type hole int

const (
	noHole        hole = iota
	holeErrcode        // the errcode, an integer
	holeErrmsg         // the errmsg, with the request id after it
	holeToken          // an issued token
	holeExpiresIn      // its lifetime left, in seconds
	holeRefresh        // an authorizer refresh token
	holeList           // the listed entities, as JSON
)

// fill is what a request puts in a template's holes.
type fill struct {
	errcode   int
	errmsg    string // before the rid
	rid       string
	token     string
	expiresIn int
	refresh   string
	list      []byte
}

// newTemplate makes the template of an object schema: each property gets
// the hole holes names for it, else the value of a one-value enum or its
// default; a required property with none of these cannot be rendered.
func newTemplate(spec *apispec.Spec, schema *openapi3.Schema, holes map[string]hole) (*template, error) {
	t := &template{}
	lit := []byte{'{'}
	first := true
	for _, name := range spec.Properties(schema) {
		h, ok := holes[name]
		var value []byte
		if !ok {
			v, has := constant(schema.Properties[name])
			if !has {
				if slices.Contains(schema.Required, name) {
					return nil, spec.SchemaError(schema, "required", "the fake cannot answer the required property %q: give it an enum of one value or a default, or map it in the operation's x-answer", name)
				}
				continue
			}
			value = marshal(v)
		}
		if !first {
			lit = append(lit, ',')
		}
		first = false
		lit = appendString(lit, name)
		lit = append(lit, ':')
		if value != nil {
			lit = append(lit, value...)
			continue
		}
		t.parts = append(t.parts, templatePart{lit: lit, hole: h})
		lit = nil
	}
	for name := range holes {
		if schema.Properties[name] == nil {
			return nil, spec.SchemaError(schema, "properties", "the answer has no property %q", name)
		}
	}
	t.tail = append(lit, '}')
	return t, nil
}

// constant returns the value a property always has: its enum's only value,
// or its default.
func constant(ref *openapi3.SchemaRef) (any, bool) {
	if ref == nil || ref.Value == nil {
		return nil, false
	}
	if len(ref.Value.Enum) == 1 {
		return ref.Value.Enum[0], true
	}
	if ref.Value.Default != nil {
		return ref.Value.Default, true
	}
	return nil, false
}

// render returns the template filled with f.
func (t *template) render(f *fill) []byte {
	n := len(t.tail) + len(f.list) + len(f.errmsg) + len(f.token) + len(f.refresh) + 64
	for _, p := range t.parts {
		n += len(p.lit)
	}
	b := make([]byte, 0, n)
	for _, p := range t.parts {
		b = append(b, p.lit...)
		switch p.hole {
		case holeErrcode:
			b = strconv.AppendInt(b, int64(f.errcode), 10)
		case holeErrmsg:
			b = appendStringBody(append(b, '"'), f.errmsg)
			if f.rid != "" {
				b = append(append(b, " rid: "...), f.rid...)
			}
			b = append(b, '"')
		case holeToken:
			b = appendString(b, f.token)
		case holeExpiresIn:
			b = strconv.AppendInt(b, int64(f.expiresIn), 10)
		case holeRefresh:
			b = appendString(b, f.refresh)
		case holeList:
			b = append(b, f.list...)
		}
	}
	return append(b, t.tail...)
}

// renderValue renders v, a value of schema, as compact JSON with objects'
// properties in the spec's order; properties the schema does not name
// follow, sorted.
func renderValue(spec *apispec.Spec, schema *openapi3.Schema, v any) []byte {
	return appendValue(nil, spec, schema, v)
}

func appendValue(b []byte, spec *apispec.Spec, schema *openapi3.Schema, v any) []byte {
	switch v := v.(type) {
	case map[string]any:
		var order []string
		if schema != nil {
			for _, name := range spec.Properties(schema) {
				if _, ok := v[name]; ok {
					order = append(order, name)
				}
			}
		}
		for _, name := range slices.Sorted(maps.Keys(v)) {
			if !slices.Contains(order, name) {
				order = append(order, name)
			}
		}
		b = append(b, '{')
		for i, name := range order {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, name)
			b = append(b, ':')
			b = appendValue(b, spec, propertySchema(schema, name), v[name])
		}
		return append(b, '}')
	case []any:
		var items *openapi3.Schema
		if schema != nil && schema.Items != nil {
			items = schema.Items.Value
		}
		b = append(b, '[')
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, spec, items, x)
		}
		return append(b, ']')
	case string:
		return appendString(b, v)
	}
	return append(b, marshal(v)...)
}

func propertySchema(schema *openapi3.Schema, name string) *openapi3.Schema {
	if schema == nil || schema.Properties[name] == nil {
		return nil
	}
	return schema.Properties[name].Value
}

// marshal encodes v as compact JSON, with <, > and & as they are, like the real server.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("mock: %v", err)) // only JSON-shaped values come here
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// shortEscape are the control characters encoding/json writes as \n and the like.
var shortEscape = [0x20]byte{'\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't'}

// appendString appends s as a JSON string, the bytes encoding/json writes
// with HTML characters left as they are.
func appendString(b []byte, s string) []byte {
	return append(appendStringBody(append(b, '"'), s), '"')
}

// appendStringBody appends s as the inside of a JSON string.
func appendStringBody(b []byte, s string) []byte {
	plain := 0 // the bytes that need no escape, the common case, go in one append
	for plain < len(s) && s[plain] >= 0x20 && s[plain] < utf8.RuneSelf && s[plain] != '"' && s[plain] != '\\' {
		plain++
	}
	b = append(b, s[:plain]...)
	for i := plain; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
			i++
		case c < 0x20 && shortEscape[c] != 0:
			b = append(b, '\\', shortEscape[c])
			i++
		case c < 0x20:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xf])
			i++
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b = append(b, `\ufffd`...)
			case r == 0x2028 || r == 0x2029:
				b = append(b, `\u202`...)
				b = append(b, "0123456789abcdef"[r&0xf])
			default:
				b = append(b, s[i:i+size]...)
			}
			i += size
		}
	}
	return b
}
