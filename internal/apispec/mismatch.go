package apispec

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tcbmock/tcbmock"
)

// Mismatch is one way an answer breaks the spec.
type Mismatch = tcbmock.Mismatch

// AnswerError is an answer that breaks the spec.
type AnswerError struct {
	Operation  *Operation
	Mismatches []Mismatch
	Err        error // kin-openapi's verdict
}

var _ error = (*AnswerError)(nil)

func (e *AnswerError) Error() string {
	parts := make([]string, len(e.Mismatches))
	for i, m := range e.Mismatches {
		parts[i] = m.String()
	}
	return fmt.Sprintf("%s answer breaks the spec: %s", e.Operation.ID, strings.Join(parts, "; "))
}

// Unwrap returns kin-openapi's error.
func (e *AnswerError) Unwrap() error { return e.Err }

// explain lists, field by field, how an answer breaks the operation's spec.
func (o *Operation) explain(status int, contentType string, body []byte) []Mismatch {
	if o.Op.Responses.Status(status) == nil {
		return []Mismatch{{Field: "HTTP status", Expected: statusList(o), Received: strconv.Itoa(status)}}
	}
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != "application/json" {
		return []Mismatch{{Field: "Content-Type", Expected: "application/json", Received: strconv.Quote(contentType)}}
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []Mismatch{{Field: "body", Expected: "JSON", Received: quoteShort(body)}}
	}
	schema := o.ResponseSchema()
	if schema == nil {
		return nil
	}
	return schemaMismatches(pickBranch(schema, v), v)
}

func statusList(o *Operation) string {
	var codes []string
	for code := range o.Op.Responses.Map() {
		codes = append(codes, code)
	}
	return "HTTP " + strings.Join(codes, " or ")
}

// pickBranch chooses, of a oneOf, the branch the answer means to be: the
// one whose errcode (or lack of it) fits, else the one with the fewest errors.
func pickBranch(schema *openapi3.Schema, v any) *openapi3.Schema {
	if len(schema.OneOf) == 0 {
		return schema
	}
	obj, _ := v.(map[string]any)
	errcode, has := obj["errcode"]
	best, bestErrs := schema, -1
	for _, ref := range schema.OneOf {
		b := ref.Value
		fits := !has && !slices.Contains(b.Required, "errcode")
		if p := b.Properties["errcode"]; has && p != nil {
			fits = p.Value.VisitJSON(errcode) == nil
		}
		n := len(schemaMismatches(b, v))
		if fits {
			n -= 1000
		}
		if bestErrs == -1 || n < bestErrs {
			best, bestErrs = b, n
		}
	}
	return best
}

func schemaMismatches(schema *openapi3.Schema, v any) []Mismatch {
	err := schema.VisitJSON(v, openapi3.MultiErrors())
	var out []Mismatch
	for _, se := range SchemaErrors(err) {
		out = append(out, MismatchOf(se))
	}
	return out
}

// SchemaErrors flattens a kin-openapi validation error into the schema
// errors it holds.
func SchemaErrors(err error) []*openapi3.SchemaError {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var out []*openapi3.SchemaError
		for _, e := range me {
			out = append(out, SchemaErrors(e)...)
		}
		return out
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return []*openapi3.SchemaError{se}
	}
	return nil
}

// MismatchOf describes a schema error as a Mismatch: the field, the
// expected and the received value.
func MismatchOf(se *openapi3.SchemaError) Mismatch {
	ptr := se.JSONPointer()
	m := Mismatch{Field: "/" + strings.Join(ptr, "/"), Received: quoteValue(se.Value)}
	s := se.Schema
	switch se.SchemaField {
	case "required":
		m.Expected, m.Received = "present", "absent"
	case "type":
		m.Expected = "a value of type " + strings.Join(s.Type.Slice(), " or ")
	case "enum":
		m.Expected = "one of " + quoteValue(s.Enum)
	case "pattern":
		m.Expected = "a string matching " + s.Pattern
	case "not":
		m.Expected = "not " + quoteValue(s.Not.Value.Enum)
	default:
		m.Expected = se.Reason
	}
	return m
}

func quoteValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return quoteShort(b)
}

func quoteShort(b []byte) string {
	const max = 120
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

// ResponseSchema returns the schema of the operation's HTTP 200 JSON answer.
func (o *Operation) ResponseSchema() *openapi3.Schema {
	resp := o.Op.Responses.Status(http.StatusOK)
	if resp == nil || resp.Value == nil {
		return nil
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}
