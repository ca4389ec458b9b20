package mock_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// Items added at run time in the tests: an app with two environments, a
// platform that manages it, and a scenario.
const (
	addedAppID  = "wxadded00000000001"
	addedSecret = "added00000000000000000000000001a"
	addedApp    = `{"appid":"` + addedAppID + `","secret":"` + addedSecret + `","description":"added at run time",
		"envs":[{"env":"one-1a2b3c","alias":"one","create_time":"2026-01-02 03:04:05","update_time":"2026-01-02 03:04:05","status":"NORMAL","package_id":"basic","package_name":"基础版 1"},
		{"env":"two-4d5e6f","alias":"two","create_time":"2026-01-02 03:04:05","update_time":"2026-01-02 03:04:05","status":"HALTED","package_id":"basic","package_name":"基础版 1"}]}`
	addedCompID     = "wxadded0000000c001"
	addedCompSecret = "added00000000000000000000000c0a1"
	addedComp       = `{"component_appid":"` + addedCompID + `","component_appsecret":"` + addedCompSecret + `","component_verify_ticket":"ticket@@@added",
		"authorizations":[{"authorizer_appid":"` + addedAppID + `","authorizer_refresh_token":"refreshtoken@@@added","permission_sets":[49]}]}`
	addedScenario = `{"name":"added-busy","description":"busy, added at run time","operations":["getEnvInfo"],"errcode":-1}`
)

// admin sends an admin request and fails unless the answer has status want.
func (f *fake) admin(method, path, body string, want int) reply {
	f.t.Helper()
	rep := f.do(method, mock.AdminPrefix+path, body)
	if rep.Status != want {
		f.t.Fatalf("%s %s: HTTP %d %s; want %d", method, path, rep.Status, rep.Body, want)
	}
	return rep
}

// componentTokenOf asks for the component token of a platform.
func (f *fake) componentTokenOf(appid, secret, ticket string) reply {
	f.t.Helper()
	body, _ := json.Marshal(map[string]string{"component_appid": appid, "component_appsecret": secret, "component_verify_ticket": ticket})
	return f.do("POST", "/cgi-bin/component/api_component_token", string(body))
}

func TestAddedItemsAnswerAndGoWhenDeleted(t *testing.T) {
	f := newFake(t)
	f.admin("POST", "apps", addedApp, http.StatusCreated)
	f.admin("POST", "components", addedComp, http.StatusCreated)
	f.admin("POST", "scenarios", addedScenario, http.StatusCreated)

	tok := f.token(addedAppID, addedSecret)
	got := decode[envReply](t, f.envs(tok, "{}"))
	if len(got.InfoList) != 2 || got.InfoList[0].Env != "one-1a2b3c" || got.InfoList[1].Status != "HALTED" {
		t.Errorf("getenvinfo of the added app: %+v; want its two envs", got.InfoList)
	}
	wantErrcode(t, f.componentTokenOf(addedCompID, addedCompSecret, "ticket@@@added"), 0)
	wantErrcode(t, f.envs(tok, "{}", mock.ScenarioHeader+": added-busy"), -1)

	f.admin("DELETE", "scenarios/added-busy", "", http.StatusOK)
	f.admin("DELETE", "components/"+addedCompID, "", http.StatusOK)
	f.admin("DELETE", "apps/"+addedAppID, "", http.StatusOK)

	if _, resp := f.raw("POST", "/tcb/getenvinfo?access_token="+f.token(demoAppID, demoSecret), "{}", mock.ScenarioHeader+": added-busy"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the deleted scenario: HTTP %d; want 400, unknown", resp.StatusCode)
	}
	wantErrcode(t, f.envs(tok, "{}"), 40001)
	f.admin("POST", "apps", addedApp, http.StatusCreated)
	wantErrcode(t, f.envs(tok, "{}"), 40001) // the app's tokens went with it: the same app again does not take them
	f.admin("DELETE", "apps/"+addedAppID, "", http.StatusOK)
	wantErrcode(t, f.do("GET", "/cgi-bin/token?grant_type=client_credential&appid="+addedAppID+"&secret="+addedSecret, ""), 40013)
	if rep := f.componentTokenOf(addedCompID, addedCompSecret, "ticket@@@added"); rep.Errcode == 0 {
		t.Errorf("the deleted platform still gets a token: %s", rep.Body)
	}
	listed := string(f.admin("GET", "apps", "", http.StatusOK).Body) + string(f.admin("GET", "scenarios", "", http.StatusOK).Body)
	for _, name := range []string{addedAppID, addedCompID, "added-busy"} {
		if strings.Contains(listed, name) {
			t.Errorf("%s is still listed", name)
		}
	}
}

func TestAddedAppClashIs409NamingWhereItIsDefined(t *testing.T) {
	f := newFake(t)
	clash := strings.Replace(addedApp, addedAppID, demoAppID, 1)
	rep := f.admin("POST", "apps", clash, http.StatusConflict)
	if want := `app \"` + demoAppID + `\" is already defined at scenarios/world.yaml:5`; !strings.Contains(string(rep.Body), want) {
		t.Errorf("got %s; want it to say %s", rep.Body, want)
	}
	f.admin("POST", "apps", addedApp, http.StatusCreated)
	rep = f.admin("POST", "apps", addedApp, http.StatusConflict)
	if want := `app \"` + addedAppID + `\" was already added at run time at 2026-11-28T10:00:00Z`; !strings.Contains(string(rep.Body), want) {
		t.Errorf("got %s; want it to say %s", rep.Body, want)
	}
	rep = f.admin("POST", "components", strings.Replace(addedComp, addedCompID, demoAppID, 1), http.StatusConflict)
	if want := `appid \"` + demoAppID + `\" is already defined at scenarios/world.yaml:5`; !strings.Contains(string(rep.Body), want) {
		t.Errorf("a platform named as an app: got %s; want it to say %s", rep.Body, want)
	}
	rep = f.admin("POST", "scenarios", `{"name":"system-busy","description":"again","errcode":-1}`, http.StatusConflict)
	if want := `scenario \"system-busy\" is already defined at openapi.yaml:`; !strings.Contains(string(rep.Body), want) {
		t.Errorf("got %s; want it to say %s", rep.Body, want)
	}
}

func TestListingsMarkEachItemsOrigin(t *testing.T) {
	f := newFake(t)
	f.admin("POST", "apps", addedApp, http.StatusCreated)
	f.admin("POST", "components", addedComp, http.StatusCreated)
	f.admin("POST", "scenarios", addedScenario, http.StatusCreated)
	var w struct {
		Apps       []mock.App
		Components []mock.Component
	}
	_ = json.Unmarshal(f.admin("GET", "apps", "", http.StatusOK).Body, &w)
	origins := map[string]string{}
	for _, a := range w.Apps {
		origins[a.AppID] = a.Origin
	}
	for _, c := range w.Components {
		origins[c.AppID] = c.Origin
	}
	var sc struct {
		Scenarios []struct{ Name, Origin string }
	}
	_ = json.Unmarshal(f.admin("GET", "scenarios", "", http.StatusOK).Body, &sc)
	for _, s := range sc.Scenarios {
		origins[s.Name] = s.Origin
	}
	for id, want := range map[string]string{
		demoAppID:                "scenarios/world.yaml:5",
		mockComponentID:          "scenarios/world.yaml:93",
		"retry-then-ok":          "scenarios/sequences.yaml:",
		addedAppID:               "added at run time at 2026-11-28T10:00:00Z",
		addedCompID:              "added at run time at 2026-11-28T10:00:00Z",
		"added-busy":             "added at run time at 2026-11-28T10:00:00Z",
		"system-busy":            "openapi.yaml:",
		"retry-then-ok-nonexist": "",
	} {
		if got := origins[id]; !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("origin of %s: %q; want %q", id, got, want)
		}
	}
}

const mockComponentID = "wxd0c0ffee0000c001"
