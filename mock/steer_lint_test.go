package mock_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
	"github.com/tcbmock/tcbmock/mock"
)

// lintProblems loads the embedded configuration with a file that lists
// item under list, and returns each problem lint finds, without its
// file:line.
func lintProblems(t *testing.T, list, item string) []string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "item.yaml"), []byte(`{"`+list+`": [`+item+`]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	files := mock.Embedded()
	files.Scenarios = append(files.Scenarios, mock.File{FS: os.DirFS(dir), Path: ".", Name: "more"})
	_, err := mock.Load(t.Context(), files)
	var errs yamlfile.List
	if !errors.As(err, &errs) {
		t.Fatalf("lint of %s: %v; want problems", item, err)
	}
	var out []string
	for _, e := range errs {
		out = append(out, regexp.MustCompile(`^more/item\.yaml:\d+: `).ReplaceAllString(e.Error(), ""))
	}
	return out
}

func TestAMalformedItemGetsLintsMessageAtItsPath(t *testing.T) {
	app := func(from, to string) string { return strings.Replace(addedApp, from, to, 1) }
	for _, tc := range []struct {
		name, list, item string
		paths            []string // where each problem is, in the item
	}{
		{"env status outside the spec", "apps", app(`"status":"HALTED"`, `"status":"BROKEN"`), []string{"$.envs[1].status"}},
		{"unknown key", "apps", app(`"envs":`, `"evns":`), []string{"$.evns"}},
		{"no secret", "apps", app(`"secret":"`+addedSecret+`",`, ""), []string{"$"}},
		{"unknown scenario bound", "apps", app(`"description"`, `"scenario":"nope","description"`), []string{"$.scenario"}},
		{"env listed twice", "apps", app(`"env":"two-4d5e6f"`, `"env":"one-1a2b3c"`), []string{"$.envs[1]"}},
		{"appid outside the spec", "apps", app(`"appid":"`+addedAppID, `"appid":"`+"wxNOPE"), []string{"$.appid"}},
		{"platform authorizes no app", "components", addedComp, []string{"$.authorizations[0].authorizer_appid"}},
		{"platform key of the wrong type", "components", strings.Replace(addedComp, `"permission_sets":[49]`, `"permission_sets":"49"`, 1), []string{"$.authorizations[0].permission_sets"}},
		{"errcode in no table", "scenarios", `{"name":"x","description":"d","errcode":12345}`, []string{"$.errcode"}},
		{"bad scenario name", "scenarios", `{"name":"Bad Name","description":"d","errcode":-1}`, []string{"$.name"}},
		{"sequence and errcode", "scenarios", `{"name":"x","description":"d","errcode":-1,"sequence":[{"errcode":-1}]}`, []string{"$"}},
		{"body breaks the spec", "scenarios", `{"name":"x","description":"d","operations":["getEnvInfo"],"body":{"errcode":0,"errmsg":"ok","info_list":[{"env":1}]}}`, []string{"$.body.info_list[0].env"}},
		{"unknown fault in a sequence", "scenarios", `{"name":"x","description":"d","sequence":[{"errcode":-1},{"fault":"explode"}]}`, []string{"$.sequence[1].fault"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			want := lintProblems(t, tc.list, tc.item)
			rep := f.admin("POST", tc.list, tc.item, http.StatusBadRequest)
			var got struct{ Problems []string }
			if err := json.Unmarshal(rep.Body, &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Problems) != len(want) || len(want) != len(tc.paths) {
				t.Fatalf("problems %q; lint says %q at %q", got.Problems, want, tc.paths)
			}
			for i := range want {
				if g, w := got.Problems[i], tc.paths[i]+": "+want[i]; g != w {
					t.Errorf("got %q; want %q", g, w)
				}
			}
		})
	}
}
