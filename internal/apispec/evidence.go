package apispec

import (
	"maps"
	"slices"
	"strings"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// InvalidValue returns a value of the query parameter or body field name
// that its schema refuses, as the cause "invalid NAME" sends it, and
// whether it has the schema's JSON type: a string that breaks the
// documented rule (outside the enum, off the pattern, too short) is what
// production can be known to refuse with the field's errcode; a value of
// another JSON type is answered as the fake chose. ok is false when no
// request can break the schema (a query string that takes any text).
func (o *Operation) InvalidValue(name string) (v any, rightType, ok bool) {
	s, inURL := o.FieldSchema(name), o.InQuery(name) || o.Token != nil && slices.Contains(o.Token.Params, name)
	if p := o.Op.Parameters.GetByInAndName("path", name); p != nil && p.Schema != nil {
		s, inURL = p.Schema.Value, true
	}
	switch {
	case s == nil:
		return nil, false, false
	case s.Type.Is("string") && len(s.Enum) > 0:
		return "tcbmock-not-in-enum", true, true
	case s.Type.Is("string") && (s.Pattern != "" || s.MinLength > 1):
		return "!", true, true
	case inURL:
		return nil, false, false
	case s.Type.Is("string"):
		return 5, false, true
	}
	return "tcbmock-invalid", false, true
}

// Earnable reports whether a request can earn cause: every cause but an
// "invalid NAME" whose field's schema no value breaks.
func (o *Operation) Earnable(cause string) (rightType, ok bool) {
	name, isInvalid := strings.CutPrefix(cause, "invalid ")
	if !isInvalid || !slices.Contains(o.FieldNames(), name) {
		return true, true
	}
	_, rightType, ok = o.InvalidValue(name)
	return rightType, ok
}

// checkEvidence checks a row's known column: each entry a cause of its
// when with a source, and no "invalid NAME" that only a value of the wrong
// JSON type earns (what production answers to that is nowhere documented).
func (o *Operation) checkEvidence(yd *yamlfile.Doc, row []any, e Errcode) error {
	var errs yamlfile.List
	for _, cause := range slices.Sorted(maps.Keys(e.Known)) {
		at := append(slices.Clone(row), "known", cause)
		switch rightType, _ := o.Earnable(cause); {
		case !slices.Contains(e.When, cause):
			errs.Add(yd.Errorf(at, "known names %q, which is not a cause of errcode %d's when", cause, e.Code))
		case strings.TrimSpace(e.Known[cause]) == "":
			errs.Add(yd.Errorf(at, "known %q of errcode %d gives no evidence: name the doc page or the captured answer", cause, e.Code))
		case !rightType:
			errs.Add(yd.Errorf(at, "known %q of errcode %d: the suite earns it with a value of the wrong JSON type, which no source documents; it is a choice", cause, e.Code))
		}
	}
	return errs.Err()
}
