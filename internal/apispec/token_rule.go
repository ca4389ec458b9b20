package apispec

import (
	"slices"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// loadToken reads the operation's x-token and x-permission-sets.
func (o *Operation) loadToken(yd *yamlfile.Doc, at []any) error {
	var errs yamlfile.List
	if sets, ok := o.Op.Extensions["x-permission-sets"]; ok {
		errs.Add(yd.DecodeValue(&o.PermissionSets, sets, append(slices.Clone(at), "x-permission-sets")...))
	}
	where := append(slices.Clone(at), "x-token")
	rule, ok := o.Op.Extensions["x-token"]
	if !ok {
		return errs.Err()
	}
	o.Token = &TokenRule{}
	if err := yd.DecodeValue(o.Token, rule, where...); err != nil {
		errs.Add(err)
		return errs.Err()
	}
	if len(o.Token.Params) == 0 || len(o.Token.Kinds) == 0 {
		errs.Add(yd.Errorf(where, "x-token needs params and kinds"))
	}
	for i, p := range o.Token.Params {
		if o.Op.Parameters.GetByInAndName("query", p) == nil {
			errs.Add(yd.Errorf(append(slices.Clone(where), "params", i), "x-token names %q, which is no query parameter of %s", p, o.ID))
		}
	}
	for i, k := range o.Token.Kinds {
		if !slices.Contains([]string{KindApp, KindComponent, KindAuthorizer}, k) {
			errs.Add(yd.Errorf(append(slices.Clone(where), "kinds", i), "unknown token kind %q: want %s, %s or %s", k, KindApp, KindComponent, KindAuthorizer))
		}
	}
	return errs.Err()
}

// TokenValue returns the operation's token in query (the first of its
// parameters that is given), and the parameter it came in.
func (o *Operation) TokenValue(query func(string) string) (value, param string) {
	if o.Token == nil {
		return "", ""
	}
	for _, p := range o.Token.Params {
		if v := query(p); v != "" {
			return v, p
		}
	}
	return "", o.Token.Params[0]
}

// Takes reports whether the operation takes a token of kind.
func (o *Operation) Takes(kind string) bool {
	return o.Token != nil && slices.Contains(o.Token.Kinds, kind)
}

// Grants reports whether permission sets granted include one of those that hold the API.
func (o *Operation) Grants(granted []int) bool {
	if len(o.PermissionSets) == 0 {
		return true
	}
	for _, set := range granted {
		if slices.Contains(o.PermissionSets, set) {
			return true
		}
	}
	return false
}
