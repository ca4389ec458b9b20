package contract

import (
	"encoding/json"
	"errors"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

// worldInfo is the fake's world as its admin API lists it (GET apps).
type worldInfo struct {
	Apps       []appInfo       `json:"apps"`
	Components []componentInfo `json:"components"`
}

// appInfo is an app of the fake's world.
type appInfo struct {
	AppID    string
	Secret   string
	Scenario string
	fields   map[string]any // every field, the app's lists of entities among them
}

// UnmarshalJSON keeps every field of the app, and the known ones apart.
func (a *appInfo) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &a.fields); err != nil {
		return err
	}
	a.AppID, _ = a.fields["appid"].(string)
	a.Secret, _ = a.fields["secret"].(string)
	a.Scenario, _ = a.fields["scenario"].(string)
	return nil
}

// entities returns the app's entities of list, as the listing answers them.
func (a *appInfo) entities(list string) []map[string]any {
	raw, _ := a.fields[list].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, e := range raw {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// entity returns the field of the app's first entity in list, if there is one.
func (a *appInfo) entity(list, field string) (string, bool) {
	entities := a.entities(list)
	if len(entities) == 0 {
		return "", false
	}
	v, ok := entities[0][field].(string)
	return v, ok
}

// componentInfo is a third-party platform of the fake's world.
type componentInfo struct {
	AppID          string `json:"component_appid"`
	Secret         string `json:"component_appsecret"`
	VerifyTicket   string `json:"component_verify_ticket"`
	IPWhitelist    []any  `json:"ip_whitelist"`
	Authorizations []struct {
		AppID          string `json:"authorizer_appid"`
		RefreshToken   string `json:"authorizer_refresh_token"`
		PermissionSets []int  `json:"permission_sets"`
	} `json:"authorizations"`
}

// secrets lists every credential of the world.
func (w *worldInfo) secrets() []string {
	var out []string
	for _, a := range w.Apps {
		out = append(out, a.Secret)
	}
	for _, c := range w.Components {
		out = append(out, c.Secret, c.VerifyTicket)
		for _, a := range c.Authorizations {
			out = append(out, a.RefreshToken)
		}
	}
	return out
}

// app returns the app appid, or nil.
func (w *worldInfo) app(appid string) *appInfo {
	for i := range w.Apps {
		if w.Apps[i].AppID == appid {
			return &w.Apps[i]
		}
	}
	return nil
}

// richestApp returns the fake's app with the most environments and no
// bound scenario, so that filtering by env proves something.
func (w *worldInfo) richestApp() (appInfo, error) {
	best := -1
	for i, a := range w.Apps {
		if a.Scenario == "" && (best < 0 || len(a.entities("envs")) > len(w.Apps[best].entities("envs"))) {
			best = i
		}
	}
	if best < 0 {
		return appInfo{}, errors.New("the fake has no app without a bound scenario")
	}
	return w.Apps[best], nil
}

// thirdParty returns a platform of the fake with a mini program that granted
// op's permission sets and, if the platform has one, a mini program of the
// same platform that did not: the suite asks for its token with the
// platform's credentials. A platform with both is preferred.
func (w *worldInfo) thirdParty(op *apispec.Operation) (tp ThirdParty, unpermitted ThirdParty) {
	if op == nil {
		return tp, unpermitted
	}
	for _, c := range w.Components {
		var granted, refused ThirdParty
		for _, a := range c.Authorizations {
			creds := ThirdParty{c.AppID, c.Secret, c.VerifyTicket, a.AppID, a.RefreshToken}
			switch {
			case op.Grants(a.PermissionSets) && granted.AuthorizerAppID == "":
				granted = creds
			case !op.Grants(a.PermissionSets) && refused.AuthorizerAppID == "":
				refused = creds
			}
		}
		if !granted.Complete() {
			continue
		}
		if refused.AuthorizerAppID != "" {
			return granted, refused
		}
		if !tp.Complete() {
			tp = granted
		}
	}
	return tp, unpermitted
}
