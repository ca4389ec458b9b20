package mock

import (
	"github.com/tcbmock/tcbmock/internal/compute"

	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// App is a mini program of the world: its credentials and its entities.
type App struct {
	AppID       string
	Secret      string
	Description string
	Scenario    string // bound: every call for the app gets it, where it answers the call's operation
	// Access is its IP whitelist, its state and its quota.
	Access Access
	// Origin is where the app comes from: the file:line that defines it,
	// or when it was added or overridden at run time.
	Origin string
	// Entities are the app's entities by the name of their list (such as
	// "envs"), each a mapping whose fields the spec's schema defines.
	Entities map[string][]Entity

	lists []listing // the answers of each listing operation, in the spec's order
	exprs *appExprs // the expression fields of its entities; nil when none has one
}

// appExprs are the expression fields of an app's entities.
type appExprs struct {
	// progs are the compiled expression fields of each entity, by list.
	progs map[string][]map[string]*compute.Program
	needs map[string][]compute.Needs  // the parts of a request each entity's expressions read
	items map[string][]map[string]any // each entity computed at load, when its expressions read no request; else nil
	// readsApp is whether one of them reads the app's entities (app).
	readsApp bool
}

// Entity is one thing of the world an operation lists, such as a Cloud
// Base environment: its fields as the spec's schema names them.
type Entity map[string]any

// MarshalJSON writes the app as the admin API lists it: appid, secret,
// description, scenario, origin (when known), then each list of entities.
func (a *App) MarshalJSON() ([]byte, error) {
	b := []byte(`{"appid":`)
	b = appendString(b, a.AppID)
	b = append(b, `,"secret":`...)
	b = appendString(b, a.Secret)
	b = append(b, `,"description":`...)
	b = appendString(b, a.Description)
	b = append(b, `,"scenario":`...)
	b = appendString(b, a.Scenario)
	b = a.Access.appendJSON(b)
	if a.Origin != "" {
		b = append(b, `,"origin":`...)
		b = appendString(b, a.Origin)
	}
	for _, name := range slices.Sorted(maps.Keys(a.Entities)) {
		b = append(b, ',')
		b = appendString(b, name)
		b = append(b, ':')
		if items, ok := a.rendered(name); ok { // the fields in the answers' order
			b = append(b, '[')
			for i, item := range items {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, item...)
			}
			b = append(b, ']')
			continue
		}
		v, err := json.Marshal(a.Entities[name])
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads the app as the admin API lists it.
func (a *App) UnmarshalJSON(b []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return err
	}
	*a = App{Entities: map[string][]Entity{}}
	for name, raw := range fields {
		var err error
		switch name {
		case "appid":
			err = json.Unmarshal(raw, &a.AppID)
		case "secret":
			err = json.Unmarshal(raw, &a.Secret)
		case "description":
			err = json.Unmarshal(raw, &a.Description)
		case "scenario":
			err = json.Unmarshal(raw, &a.Scenario)
		case "ip_whitelist":
			err = json.Unmarshal(raw, &a.Access.IPWhitelist)
		case "state":
			err = json.Unmarshal(raw, &a.Access.State)
		case "quota":
			err = json.Unmarshal(raw, &a.Access.Quota)
		case "origin":
			err = json.Unmarshal(raw, &a.Origin)
		default:
			var list []Entity
			err = json.Unmarshal(raw, &list)
			a.Entities[name] = list
		}
		if err != nil {
			return fmt.Errorf("app field %s: %w", name, err)
		}
	}
	return nil
}

// Component is a third-party platform of the world.
type Component struct {
	AppID          string          `json:"component_appid" yaml:"component_appid"`
	Secret         string          `json:"component_appsecret" yaml:"component_appsecret"`
	VerifyTicket   string          `json:"component_verify_ticket" yaml:"component_verify_ticket"`
	Description    string          `json:"description" yaml:"description"`
	Authorizations []Authorization `json:"authorizations" yaml:"authorizations"`
	// IPWhitelist lists the addresses (an IP, or a CIDR range) allowed to
	// fetch the platform's component token; empty lets every address in.
	IPWhitelist []string `json:"ip_whitelist,omitempty" yaml:"ip_whitelist"`

	access Access // IPWhitelist, parsed
	// Origin is where the platform comes from: the file:line that defines
	// it, or when it was added or overridden at run time.
	Origin string `json:"origin,omitempty" yaml:"-"`
}

// allows reports whether the platform's whitelist lets the address ip in.
func (c *Component) allows(ip string) bool { return c.access.allows(ip) }

// Authorization is an account's authorization of a third-party platform.
type Authorization struct {
	AppID          string `json:"authorizer_appid" yaml:"authorizer_appid"` // an app of the world
	RefreshToken   string `json:"authorizer_refresh_token" yaml:"authorizer_refresh_token"`
	PermissionSets []int  `json:"permission_sets" yaml:"permission_sets"` // the sets it granted
}

// Authorization returns the platform's authorization by the account appid, or nil.
func (c *Component) Authorization(appid string) *Authorization {
	i := slices.IndexFunc(c.Authorizations, func(a Authorization) bool { return a.AppID == appid })
	if i < 0 {
		return nil
	}
	return &c.Authorizations[i]
}

// refreshKey names an authorization's refresh token state.
func refreshKey(component, appid string) string { return component + "/" + appid }

// world is the apps and platforms of a configuration.
type world struct {
	apps       []*App // in file order
	components []*Component
	appByID    map[string]*App
	compByID   map[string]*Component
	// unknownEnv overrides the errcode of a listing whose match or within
	// field is env and names nothing the app has (unknown_env_errcode).
	unknownEnv *int
}

func (w *world) app(appid string) *App             { return w.appByID[appid] }
func (w *world) component(appid string) *Component { return w.compByID[appid] }
