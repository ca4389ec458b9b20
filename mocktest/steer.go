package mocktest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/tcbmock/tcbmock/mock"
)

// item returns v for the admin client to send: JSON given as bytes or a
// string as it is, anything else as encoding/json encodes it.
func item(v any) any {
	switch b := v.(type) {
	case []byte:
		return json.RawMessage(b)
	case string:
		return json.RawMessage(b)
	case mock.App: // its JSON is its pointer's
		return &b
	}
	return v
}

// add, put and remove send an item of the world's kind (apps, components,
// scenarios) to the admin API: POST kind, PUT and DELETE kind/ID.
func (a *Admin) add(ctx context.Context, kind string, v any) error {
	return wrap(a.client().Do(ctx, http.MethodPost, kind, item(v), nil))
}

func (a *Admin) put(ctx context.Context, kind, id string, v any) error {
	return wrap(a.client().Do(ctx, http.MethodPut, kind+"/"+url.PathEscape(id), item(v), nil))
}

func (a *Admin) remove(ctx context.Context, kind, id string) error {
	return wrap(a.client().Do(ctx, http.MethodDelete, kind+"/"+url.PathEscape(id), nil, nil))
}

// AddApp adds an app to the fake's world (POST apps), written as a world
// file writes one: JSON, a [mock.App] or a map. The fake checks it as lint
// checks a file, and refuses an appid that is taken.
func (a *Admin) AddApp(ctx context.Context, app any) error {
	return a.add(ctx, "apps", app)
}

// PutApp replaces the app appid added at run time (PUT apps/APPID), or
// overrides the fields app gives of an app of the files until ResetWorld.
func (a *Admin) PutApp(ctx context.Context, appid string, app any) error {
	return a.put(ctx, "apps", appid, app)
}

// DeleteApp removes the app appid added at run time, or the override of an
// app of the files (DELETE apps/APPID).
func (a *Admin) DeleteApp(ctx context.Context, appid string) error {
	return a.remove(ctx, "apps", appid)
}

// AddComponent adds a third-party platform, as AddApp adds an app.
func (a *Admin) AddComponent(ctx context.Context, component any) error {
	return a.add(ctx, "components", component)
}

// PutComponent replaces or overrides the platform appid, as PutApp an app.
func (a *Admin) PutComponent(ctx context.Context, appid string, component any) error {
	return a.put(ctx, "components", appid, component)
}

// DeleteComponent removes the platform appid, as DeleteApp an app.
func (a *Admin) DeleteComponent(ctx context.Context, appid string) error {
	return a.remove(ctx, "components", appid)
}

// AddScenario adds a scenario, written as a scenario file writes one, as
// AddApp adds an app.
func (a *Admin) AddScenario(ctx context.Context, scenario any) error {
	return a.add(ctx, "scenarios", scenario)
}

// PutScenario replaces or overrides the scenario name, as PutApp an app.
func (a *Admin) PutScenario(ctx context.Context, name string, scenario any) error {
	return a.put(ctx, "scenarios", name, scenario)
}

// DeleteScenario removes the scenario name, as DeleteApp an app.
func (a *Admin) DeleteScenario(ctx context.Context, name string) error {
	return a.remove(ctx, "scenarios", name)
}

// ResetWorld is Reset, and removes everything added or overridden at run
// time (POST reset {"world":true}): the world is the files' again.
func (a *Admin) ResetWorld(ctx context.Context) error {
	return wrap(a.client().Do(ctx, http.MethodPost, "reset", map[string]bool{"world": true}, nil))
}

// AddApp adds an app to the fake's world in-process, as [Admin.AddApp]
// does over HTTP; the error is a [*mock.ItemError].
func (f *Fake) AddApp(ctx context.Context, app any) error { return f.server.AddApp(ctx, app) }

// PutApp replaces or overrides the app appid in-process, as [Admin.PutApp].
func (f *Fake) PutApp(ctx context.Context, appid string, app any) error {
	return f.server.PutApp(ctx, appid, app)
}

// DeleteApp removes the app appid in-process, as [Admin.DeleteApp].
func (f *Fake) DeleteApp(appid string) error { return f.server.DeleteApp(appid) }

// AddComponent adds a third-party platform in-process, as [Admin.AddComponent].
func (f *Fake) AddComponent(ctx context.Context, component any) error {
	return f.server.AddComponent(ctx, component)
}

// PutComponent replaces or overrides the platform appid in-process, as [Admin.PutComponent].
func (f *Fake) PutComponent(ctx context.Context, appid string, component any) error {
	return f.server.PutComponent(ctx, appid, component)
}

// DeleteComponent removes the platform appid in-process, as [Admin.DeleteComponent].
func (f *Fake) DeleteComponent(appid string) error { return f.server.DeleteComponent(appid) }

// AddScenario adds a scenario in-process, as [Admin.AddScenario].
func (f *Fake) AddScenario(ctx context.Context, scenario any) error {
	return f.server.AddScenario(ctx, scenario)
}

// PutScenario replaces or overrides the scenario name in-process, as [Admin.PutScenario].
func (f *Fake) PutScenario(ctx context.Context, name string, scenario any) error {
	return f.server.PutScenario(ctx, name, scenario)
}

// DeleteScenario removes the scenario name in-process, as [Admin.DeleteScenario].
func (f *Fake) DeleteScenario(name string) error { return f.server.DeleteScenario(name) }

// ResetWorld is Reset, and removes everything added or overridden at run
// time; it returns how many items it removed.
func (f *Fake) ResetWorld() int { return f.server.ResetWorld() }
