package apispec

import (
	"slices"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// checkParams refuses a required query parameter that the suite cannot
// fill: one with no example, on itself or its schema, and no default or
// enum (the token's parameters are filled with a token, and the
// credential fields with the suite's credentials). Without it the
// suite's valid call would leave it out and fail.
func (o *Operation) checkParams(yd yamlDoc, at []any) error {
	var errs yamlfile.List
	for i, ref := range o.Op.Parameters {
		p := ref.Value
		if p == nil || p.In != "query" || !p.Required || (o.Token != nil && slices.Contains(o.Token.Params, p.Name)) {
			continue
		}
		if p.Example != nil || slices.Contains(credentialFields, p.Name) {
			continue
		}
		if s := p.Schema; s != nil && s.Value != nil && (s.Value.Example != nil || s.Value.Default != nil || len(s.Value.Enum) > 0) {
			continue
		}
		errs.Add(yd.Errorf(append(slices.Clone(at), "parameters", i),
			"the required query parameter %q has no example (on the parameter or its schema): the suite's valid call cannot fill it", p.Name))
	}
	return errs.Err()
}

// yamlDoc is what a check needs of the spec's YAML: lines for its errors.
type yamlDoc interface {
	Errorf(path []any, format string, args ...any) error
}

// credentialFields are the request fields the suite fills with the
// credentials it is given.
var credentialFields = []string{"appid", "secret", "component_appid", "component_appsecret", "component_verify_ticket", "authorizer_appid", "authorizer_refresh_token"}
