package mock_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// envNames returns the envs getenvinfo lists for token.
func (f *fake) envNames(token string) string {
	f.t.Helper()
	var names []string
	for _, e := range decode[envReply](f.t, f.envs(token, "{}")).InfoList {
		names = append(names, e.Env+"/"+e.Status)
	}
	return strings.Join(names, ",")
}

func TestPutOverridesAFilesAppUntilTheWorldIsReset(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	override := `{"envs":[{"env":"test2-4a89da","alias":"test2","create_time":"2019-04-04 14:10:28","update_time":"2019-04-04 14:10:36","status":"HALTED","package_id":"basic","package_name":"基础版 1"}]}`
	rep := f.admin("PUT", "apps/"+demoAppID, override, http.StatusOK)
	if !strings.Contains(string(rep.Body), `"origin":"scenarios/world.yaml:5, overridden at run time at 2026-11-28T10:00:00Z"`) {
		t.Errorf("PUT answered %s; want the override's origin", rep.Body)
	}
	if got := f.envNames(tok); got != "test2-4a89da/HALTED" {
		t.Errorf("after the override: %s; want test2-4a89da/HALTED", got)
	}
	if apps := f.Config().Apps(); len(apps) != worldApps || apps[0].AppID != demoAppID || apps[0].Origin == "scenarios/world.yaml:5" {
		t.Errorf("after the override the world lists %d apps, the first %s (%s); want %d, the override in the file's place", len(apps), apps[0].AppID, apps[0].Origin, worldApps)
	}
	f.admin("PUT", "apps/"+demoAppID, `{"scenario":"system-busy"}`, http.StatusOK) // the fields given before stay
	wantErrcode(t, f.envs(tok, "{}"), -1)
	f.admin("PUT", "apps/"+demoAppID, `{"scenario":""}`, http.StatusOK)
	if got := f.envNames(tok); got != "test2-4a89da/HALTED" {
		t.Errorf("after a second override: %s; want the first one's env kept", got)
	}
	f.admin("POST", "reset", "", http.StatusOK)
	tok = f.token(demoAppID, demoSecret)
	if got := f.envNames(tok); got != "test2-4a89da/HALTED" {
		t.Errorf("after POST reset: %s; want the override kept", got)
	}
	rep = f.admin("POST", "reset", `{"world":true}`, http.StatusOK)
	if !strings.Contains(string(rep.Body), `"removed":1`) {
		t.Errorf("reset world answered %s; want removed 1", rep.Body)
	}
	tok = f.token(demoAppID, demoSecret)
	if got := f.envNames(tok); got != "test2-4a89da/NORMAL" {
		t.Errorf("after POST reset {world:true}: %s; want the file's env", got)
	}
}

func TestPutReplacesAnAppAddedAtRunTime(t *testing.T) {
	f := newFake(t)
	f.admin("PUT", "apps/"+addedAppID, addedApp, http.StatusCreated)
	tok := f.token(addedAppID, addedSecret)
	one := strings.Replace(addedApp, `,
		{"env":"two-4d5e6f","alias":"two","create_time":"2026-01-02 03:04:05","update_time":"2026-01-02 03:04:05","status":"HALTED","package_id":"basic","package_name":"基础版 1"}`, "", 1)
	f.admin("PUT", "apps/"+addedAppID, one, http.StatusOK)
	if got := f.envNames(tok); got != "one-1a2b3c/NORMAL" {
		t.Errorf("after PUT: %s; want the one env of the new app, the token kept", got)
	}
	f.admin("PUT", "apps/"+addedAppID, `{"envs":[]}`, http.StatusBadRequest) // a replacement is whole
	f.admin("PUT", "apps/wxadded00000000002", addedApp, http.StatusBadRequest)
}

func TestDeleteRefusesWhatTheFilesDefineAndWhatIsInUse(t *testing.T) {
	f := newFake(t)
	rep := f.admin("DELETE", "apps/"+demoAppID, "", http.StatusConflict)
	if !strings.Contains(string(rep.Body), "is defined at scenarios/world.yaml:5") {
		t.Errorf("got %s; want where the app is defined", rep.Body)
	}
	f.admin("DELETE", "apps/wxadded00000000009", "", http.StatusNotFound)
	f.admin("POST", "scenarios", addedScenario, http.StatusCreated)
	f.admin("POST", "apps", strings.Replace(addedApp, `"description"`, `"scenario":"added-busy","description"`, 1), http.StatusCreated)
	f.admin("POST", "components", addedComp, http.StatusCreated)
	for path, want := range map[string]string{
		"scenarios/added-busy": `bound to app \"` + addedAppID,
		"apps/" + addedAppID:   `authorized by component \"` + addedCompID,
	} {
		if rep := f.admin("DELETE", path, "", http.StatusConflict); !strings.Contains(string(rep.Body), want) {
			t.Errorf("DELETE %s: %s; want it to say %s", path, rep.Body, want)
		}
	}
	f.admin("DELETE", "components/"+addedCompID, "", http.StatusOK)
	f.admin("DELETE", "apps/"+addedAppID, "", http.StatusOK)
	f.admin("DELETE", "scenarios/added-busy", "", http.StatusOK)
}

func TestDeletingAnOverrideServesTheFilesItemAgain(t *testing.T) {
	f := newFake(t)
	f.admin("PUT", "scenarios/retry-then-ok", `{"sequence":[{"errcode":-1},{"natural":true}]}`, http.StatusOK)
	tok := f.token(flakyAppID, flakySecret)
	wantErrcode(t, f.envs(tok, "{}"), -1)
	wantErrcode(t, f.envs(tok, "{}"), 0)
	f.admin("DELETE", "scenarios/retry-then-ok", "", http.StatusOK)
	f.admin("DELETE", "scenarios/retry-then-ok", "", http.StatusConflict)
	wantErrcode(t, f.envs(tok, "{}"), -1) // the file's sequence, from its start
	wantErrcode(t, f.envs(tok, "{}"), -1)
	wantErrcode(t, f.envs(tok, "{}"), 0)
}

func TestReloadKeepsRunTimeItemsAndTheFileWinsAClash(t *testing.T) {
	f := newFake(t)
	f.admin("POST", "apps", addedApp, http.StatusCreated)
	f.admin("POST", "scenarios", addedScenario, http.StatusCreated)
	f.admin("PUT", "apps/"+secondAppID, `{"scenario":"added-busy"}`, http.StatusOK)
	c := loadWith(t, `{"scenarios":[{"name":"added-busy","description":"from a file","errcode":-1000}]}`)
	if err := f.Reload(c); err != nil {
		t.Fatal(err)
	}
	if got := f.envNames(f.token(addedAppID, addedSecret)); got != "one-1a2b3c/NORMAL,two-4d5e6f/HALTED" {
		t.Errorf("the added app after a reload: %s", got)
	}
	wantErrcode(t, f.envs(f.token(secondAppID, secondSecret), "{}"), -1000) // the override kept, bound to the file's scenario
	dropped := f.Status().Dropped
	if len(dropped) != 1 || !strings.Contains(dropped[0], `scenario "added-busy" is now defined at more/more.yaml:1, which is served`) {
		t.Errorf("dropped %q; want the scenario that clashed", dropped)
	}
	var cfg struct{ Dropped []string }
	_ = json.Unmarshal(f.admin("GET", "config", "", http.StatusOK).Body, &cfg)
	if len(cfg.Dropped) != 1 {
		t.Errorf("GET config dropped %q; want the clash", cfg.Dropped)
	}
}

func TestTheJournalRecordsEachChangeToTheWorld(t *testing.T) {
	f := newFake(t)
	f.admin("POST", "apps", addedApp, http.StatusCreated)
	f.admin("PUT", "apps/"+demoAppID, `{"description":"changed"}`, http.StatusOK)
	f.admin("POST", "apps", addedApp, http.StatusConflict)
	f.admin("DELETE", "apps/"+demoAppID, "", http.StatusOK)
	f.admin("DELETE", "apps/"+addedAppID, "", http.StatusOK)
	var got []string
	for _, e := range f.Journal(mock.Filter{}) {
		got = append(got, e.Method+" "+e.Path+" "+e.Change)
	}
	want := []string{
		`POST /__tcbmock/apps app "` + addedAppID + `" added`,
		`PUT /__tcbmock/apps/` + demoAppID + ` app "` + demoAppID + `" overridden (description)`,
		`DELETE /__tcbmock/apps/` + demoAppID + ` app "` + demoAppID + `": override deleted, scenarios/world.yaml:5 served`,
		`DELETE /__tcbmock/apps/` + addedAppID + ` app "` + addedAppID + `" deleted`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("journal:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// loadWith loads the embedded configuration with a file of the given contents.
func loadWith(t *testing.T, contents string) *mock.Config {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "more.yaml"), []byte(contents), 0o600); err != nil {
		t.Fatal(err)
	}
	files := mock.Embedded()
	files.Scenarios = append(files.Scenarios, mock.File{FS: os.DirFS(dir), Path: ".", Name: "more"})
	c, err := mock.Load(t.Context(), files)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAReloadThatShortensASequenceGivesItsLastStep(t *testing.T) {
	f := newFake(t, mock.WithConfig(loadWith(t, `{"scenarios":[{"name":"three","description":"d","operations":["getEnvInfo"],"sequence":[{"errcode":-1},{"errcode":-1},{"errcode":-1},{"natural":true}]}]}`)))
	tok := f.token(demoAppID, demoSecret)
	for range 3 {
		wantErrcode(t, f.envs(tok, "{}", mock.ScenarioHeader+": three"), -1)
	}
	if err := f.Reload(loadWith(t, `{"scenarios":[{"name":"three","description":"d","operations":["getEnvInfo"],"sequence":[{"errcode":-1},{"errcode":-1000}]}]}`)); err != nil {
		t.Fatal(err)
	}
	wantErrcode(t, f.envs(tok, "{}", mock.ScenarioHeader+": three"), -1000)
}

// TestEachEnvsAnswerIsItsPartOfTheWholeList checks the answers of one env,
// rendered from the whole list and not checked one by one at load, against
// the whole list's: each is valid (f.do validates every answer) and lists
// that env as the whole list does.
func TestEachEnvsAnswerIsItsPartOfTheWholeList(t *testing.T) {
	f := newFake(t)
	f.admin("POST", "apps", addedApp, http.StatusCreated)
	for _, app := range [][2]string{{demoAppID, demoSecret}, {secondAppID, secondSecret}, {addedAppID, addedSecret}} {
		tok := f.token(app[0], app[1])
		var whole struct {
			InfoList []json.RawMessage `json:"info_list"`
		}
		_ = json.Unmarshal(f.envs(tok, "{}").Body, &whole)
		for _, item := range whole.InfoList {
			var e env
			_ = json.Unmarshal(item, &e)
			var one struct {
				InfoList []json.RawMessage `json:"info_list"`
			}
			_ = json.Unmarshal(f.envs(tok, `{"env":"`+e.Env+`"}`).Body, &one)
			if len(one.InfoList) != 1 || string(one.InfoList[0]) != string(item) {
				t.Errorf("app %s env %s: %s; want %s", app[0], e.Env, one.InfoList, item)
			}
		}
	}
}
