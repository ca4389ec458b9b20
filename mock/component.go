package mock

import (
	"fmt"
	"slices"

	"github.com/tcbmock/tcbmock"
)

// Operation ids of the third-party platform's token chain.
const (
	OpGetComponentAccessToken  = "getComponentAccessToken"
	OpGetAuthorizerAccessToken = "getAuthorizerAccessToken"
)

// Component is a third-party platform of the world.
type Component struct {
	AppID          string          `json:"component_appid" yaml:"component_appid"`
	Secret         string          `json:"component_appsecret" yaml:"component_appsecret"`
	VerifyTicket   string          `json:"component_verify_ticket" yaml:"component_verify_ticket"`
	Description    string          `json:"description,omitempty" yaml:"description"`
	Authorizations []Authorization `json:"authorizations" yaml:"authorizations"`
}

// Authorization is an account's authorization of a third-party platform.
type Authorization struct {
	AppID          string `json:"authorizer_appid" yaml:"authorizer_appid"` // an app of the world
	RefreshToken   string `json:"authorizer_refresh_token" yaml:"authorizer_refresh_token"`
	PermissionSets []int  `json:"permission_sets" yaml:"permission_sets"` // the sets it granted
}

// Authorization returns the platform's authorization by the account appid, or nil.
func (c *Component) Authorization(appid string) *Authorization {
	for i := range c.Authorizations {
		if c.Authorizations[i].AppID == appid {
			return &c.Authorizations[i]
		}
	}
	return nil
}

// refreshKey names an authorization's refresh token state.
func refreshKey(component, appid string) string { return component + "/" + appid }

func (c *Config) addComponents(d *fileDoc) error {
	var errs tcbmock.FileErrors
	for i := range d.file.Components {
		comp := &d.file.Components[i]
		at := []any{"components", i}
		if err := c.checkComponent(comp); err != nil {
			errs.Add(d.doc.Errorf(append(at, fieldOf(err)...), "component %q: %v", comp.AppID, err))
			continue
		}
		if c.components[comp.AppID] != nil || c.apps[comp.AppID] != nil {
			errs.Add(d.doc.Errorf(at, "appid %q is defined twice", comp.AppID))
			continue
		}
		c.components[comp.AppID] = comp
		c.Components = append(c.Components, comp)
	}
	return errs.Err()
}

func (c *Config) checkComponent(comp *Component) error {
	if comp.AppID == "" || comp.Secret == "" || comp.VerifyTicket == "" {
		return &fieldError{msg: "a component needs a component_appid, a component_appsecret and a component_verify_ticket"}
	}
	if err := c.fitSpec(OpGetComponentAccessToken, map[string]string{
		"component_appid": comp.AppID, "component_appsecret": comp.Secret, "component_verify_ticket": comp.VerifyTicket,
	}); err != nil {
		return err
	}
	for i, a := range comp.Authorizations {
		at := []any{"authorizations", i}
		switch {
		case c.App(a.AppID) == nil:
			return &fieldError{path: append(at, "authorizer_appid"), msg: fmt.Sprintf("authorizer_appid %q is no app of the world", a.AppID)}
		case slices.ContainsFunc(comp.Authorizations[:i], func(p Authorization) bool { return p.AppID == a.AppID }):
			return &fieldError{path: at, msg: fmt.Sprintf("app %q authorizes the platform twice", a.AppID)}
		}
		if err := c.fitSpec(OpGetAuthorizerAccessToken, map[string]string{"authorizer_refresh_token": a.RefreshToken}); err != nil {
			return &fieldError{path: append(at, fieldOf(err)...), msg: err.Error()}
		}
	}
	return nil
}

// fitSpec checks values against the schemas the operation gives their
// fields; an operation the spec lacks checks nothing.
func (c *Config) fitSpec(opID string, values map[string]string) error {
	op := c.Spec.Operation(opID)
	if op == nil {
		return nil
	}
	for _, name := range sortedKeys(values) {
		if schema := op.FieldSchema(name); schema != nil {
			if err := schema.VisitJSON(values[name]); err != nil {
				return &fieldError{path: []any{name}, msg: fmt.Sprintf("%s %q does not fit the spec: %s", name, values[name], firstLine(err))}
			}
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
