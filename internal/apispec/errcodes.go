package apispec

import (
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// Errcode is one row of an operation's x-errcodes table.
type Errcode struct {
	Code   int    `yaml:"code" json:"code"`
	Errmsg string `yaml:"errmsg" json:"errmsg"` // before the rid suffix
	// Scenario names the scenario that forces this row's answer; rows of
	// several operations that share a name make one scenario covering them.
	Scenario string `yaml:"scenario,omitempty" json:"scenario,omitempty"`
	Meaning  string `yaml:"meaning" json:"meaning"`
	Solution string `yaml:"solution" json:"solution"`
	// Live says the row's causes can be provoked safely against production:
	// a live run sends them, asserts those Known gives evidence for, and
	// observes the others.
	Live bool     `yaml:"live" json:"live"`
	When []string `yaml:"when,omitempty" json:"when,omitempty"`
	// Known maps causes of When to the evidence (a doc page, a captured
	// answer) that production answers the row to them; a cause it does not
	// name is the fake's choice.
	Known map[string]string `yaml:"known,omitempty" json:"known,omitempty"`
	// Text is the evidence that production's errmsg is the row's Errmsg; ""
	// when the text is the fake's choice.
	Text string `yaml:"text,omitempty" json:"text,omitempty"`
	// Hint says the real server may put a hint block ("hint: [...]")
	// before the rid of the errmsg.
	Hint bool `yaml:"hint,omitempty" json:"hint,omitempty"`
}

// LiveCause reports whether the row, earned by cause ("" for a valid call),
// is safe to provoke against production.
func (e Errcode) LiveCause(cause string) bool {
	return e.Live && (cause == "" || slices.Contains(e.When, cause))
}

// KnownCause reports whether production is known to answer the row to
// cause ("" for a valid call, known for the row of errcode 0): what a live
// run may assert. Everything else the row says is a choice.
func (e Errcode) KnownCause(cause string) bool {
	if cause == "" {
		return e.Code == 0
	}
	return e.Known[cause] != ""
}

var fixedCauses = []string{
	tcbmock.CauseMethod, tcbmock.CauseEmptyBody, tcbmock.CauseMalformedBody, tcbmock.CauseInvalidBody,
	tcbmock.CauseUnknownToken, tcbmock.CauseExpiredToken, tcbmock.CauseWrongKind, tcbmock.CauseUnauthorized,
	tcbmock.CauseUnknownAppID, tcbmock.CauseWrongSecret, tcbmock.CauseUnknownComp, tcbmock.CauseWrongTicket,
	tcbmock.CauseNotAuthorized, tcbmock.CauseWrongRefresh,
}

// validCause reports whether an x-errcodes row may list cause under when.
func validCause(cause string, names []string) bool {
	if slices.Contains(fixedCauses, cause) || slices.Contains(accessCauses, cause) {
		return true
	}
	kind, name, _ := strings.Cut(cause, " ")
	return (kind == "missing" || kind == "invalid") && slices.Contains(names, name)
}

// ScenarioName matches a scenario's name.
var ScenarioName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func (o *Operation) loadErrcodes(yd *yamlfile.Doc, at []any) error {
	value, ok := o.Op.Extensions["x-errcodes"]
	at = append(at, "x-errcodes")
	if !ok {
		return yd.Errorf(at[:len(at)-1], "%s has no x-errcodes table", o)
	}
	if err := yd.DecodeValue(&o.Errcodes, value, at...); err != nil {
		return err
	}
	var errs yamlfile.List
	names := o.FieldNames()
	seen := map[string]int{}
	rows, _ := value.([]any)
	for i, e := range o.Errcodes {
		row := append(slices.Clone(at), i)
		if i < len(rows) && !hasKey(rows[i], "code") {
			errs.Add(yd.Errorf(row, "a row of x-errcodes needs its code"))
			continue
		}
		if i2 := slices.IndexFunc(o.Errcodes[:i], func(p Errcode) bool { return p.Code == e.Code }); i2 >= 0 {
			errs.Add(yd.Errorf(row, "errcode %d is listed twice", e.Code))
		}
		if e.Errmsg == "" || e.Meaning == "" || e.Solution == "" {
			errs.Add(yd.Errorf(row, "errcode %d needs errmsg, meaning and solution", e.Code))
		}
		switch {
		case e.Code == 0 && e.Scenario != "":
			errs.Add(yd.Errorf(append(slices.Clone(row), "scenario"), "errcode 0 is no error: it has no scenario"))
		case e.Code != 0 && !ScenarioName.MatchString(e.Scenario):
			errs.Add(yd.Errorf(row, "errcode %d needs a scenario name of lowercase letters, digits, '.', '_' and '-'", e.Code))
		}
		errs.Add(o.checkEvidence(yd, row, e))
		for j, cause := range e.When {
			where := append(slices.Clone(row), "when", j)
			if !validCause(cause, names) {
				errs.Add(yd.Errorf(where, "unknown cause %q: want one of %s, or missing/invalid and one of %s",
					cause, strings.Join(append(slices.Clone(fixedCauses), accessCauses...), ", "), strings.Join(names, ", ")))
			} else if _, ok := o.Earnable(cause); !ok {
				errs.Add(yd.Errorf(where, "cause %q cannot be produced: the schema of %s takes any string, so no request breaks it", cause, strings.TrimPrefix(cause, "invalid ")))
			}
			if prev, ok := seen[cause]; ok {
				errs.Add(yd.Errorf(where, "cause %q is already errcode %d's", cause, prev))
			}
			seen[cause] = e.Code
		}
	}
	for _, code := range []int{0, -1} {
		if _, ok := o.Errcode(code); !ok {
			errs.Add(yd.Errorf(at, "%s must list errcode %d", o, code))
		}
	}
	return errs.Err()
}

// hasKey reports whether v, a decoded YAML mapping, has key.
func hasKey(v any, key string) bool {
	m, ok := v.(map[string]any)
	_, has := m[key]
	return ok && has
}

// FieldSchema returns the schema of the operation's query parameter or
// top-level body field name, or nil.
func (o *Operation) FieldSchema(name string) *openapi3.Schema {
	if p := o.Op.Parameters.GetByInAndName("query", name); p != nil && p.Schema != nil {
		return p.Schema.Value
	}
	if rb := o.Op.RequestBody; rb != nil && rb.Value != nil {
		for _, mt := range rb.Value.Content {
			if mt.Schema != nil && mt.Schema.Value != nil {
				if p := mt.Schema.Value.Properties[name]; p != nil {
					return p.Value
				}
			}
		}
	}
	return nil
}

// AppIDFields lists the request fields that name an account (appid,
// authorizer_appid, component_appid), those the operation has.
func (o *Operation) AppIDFields() []string { return o.appidFields }

// FieldNames lists the operation's query parameters and top-level body
// fields, sorted.
func (o *Operation) FieldNames() []string {
	var names []string
	for _, p := range o.Op.Parameters {
		names = append(names, p.Value.Name)
	}
	if rb := o.Op.RequestBody; rb != nil && rb.Value != nil {
		for _, mt := range rb.Value.Content {
			if mt.Schema != nil && mt.Schema.Value != nil {
				for name := range mt.Schema.Value.Properties {
					names = append(names, name)
				}
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}
