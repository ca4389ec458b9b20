package mock_test

import (
	"cmp"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
)

// newOpCases is testdata/newop/cases.yaml.
type newOpCases struct {
	App struct {
		AppID  string `yaml:"appid"`
		Secret string `yaml:"secret"`
	} `yaml:"app"`
	Cases []struct {
		Name     string `yaml:"name"`
		Token    string `yaml:"token"`
		Method   string `yaml:"method"`
		Body     string `yaml:"body"`
		Scenario string `yaml:"scenario"`
		Want     struct {
			Status   int     `yaml:"status"`
			Errcode  *int    `yaml:"errcode"`
			Body     string  `yaml:"body"`
			AppID    string  `yaml:"appid"`
			Env      string  `yaml:"env"`
			Cause    *string `yaml:"cause"`
			Scenario string  `yaml:"scenario"`
		} `yaml:"want"`
	} `yaml:"cases"`
	Refused []struct {
		File    string `yaml:"file"`
		Problem string `yaml:"problem"`
	} `yaml:"refused"`
}

// TestANewOperationNeedsNoGo adds an operation to a copy of the spec, with
// its world and scenarios, all in testdata/newop: no Go file names it. The
// fake routes it, checks its token and body, answers its causes' errcodes,
// its forced errcodes and sequences, lists the world's entities of the
// token's app, and journals what it did.
func TestANewOperationNeedsNoGo(t *testing.T) {
	const dir = "testdata/newop"
	files := mock.Embedded()
	files.Spec = mock.File{FS: os.DirFS("/"), Path: strings.TrimPrefix(testkit.WithFragment(t, filepath.Join(dir, "operation.yaml")), "/"), Name: "openapi.yaml"}
	files.Scenarios = append(files.Scenarios, mock.File{FS: os.DirFS(dir), Path: "scenarios", Name: dir + "/scenarios"})
	c, err := mock.Load(t.Context(), files)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "cases.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cases newOpCases
	if err := yaml.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	var op *apispec.Operation // the fragment's: the one the embedded spec lacks
	for _, o := range c.Spec().Operations() {
		if newFake(t).Config().Spec().Operation(o.ID) == nil {
			op = o
		}
	}
	if op == nil {
		t.Fatal("the spec has no operation the embedded one lacks")
	}
	f := newFake(t, mock.WithConfig(c))
	for _, tc := range cases.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			query := url.Values{}
			switch tc.Token {
			case "app", "expired":
				query.Set("access_token", f.token(cases.App.AppID, cases.App.Secret))
			case "other":
				query.Set("access_token", f.token(demoAppID, demoSecret))
			case "component":
				query.Set("access_token", f.componentToken())
			case "unknown":
				query.Set("access_token", "97_"+strings.Repeat("u", 140))
			case "malformed":
				query.Set("access_token", "not-a-token")
			}
			if tc.Token == "expired" {
				f.advance("2h")
				defer f.Reset()
			}
			var header []string
			if tc.Scenario != "" {
				header = append(header, mock.ScenarioHeader+": "+tc.Scenario)
			}
			r, resp := f.raw(strings.ToUpper(cmp.Or(tc.Method, "POST")), op.Path+"?"+query.Encode(), tc.Body, header...)
			if want := cmp.Or(tc.Want.Status, 200); resp.StatusCode != want {
				t.Fatalf("got HTTP %d; want %d", resp.StatusCode, want)
			}
			if tc.Want.Status != 0 {
				return
			}
			rep := f.check(r, resp)
			if tc.Want.Errcode != nil {
				wantErrcode(t, rep, *tc.Want.Errcode)
			}
			if tc.Want.Body != "" && string(rep.Body) != tc.Want.Body {
				t.Errorf("got %s; want %s", rep.Body, tc.Want.Body)
			}
			entries := f.Journal(mock.Filter{})
			e := entries[len(entries)-1]
			if e.Operation != op.ID || (tc.Want.AppID != "" && e.AppID != tc.Want.AppID) || (tc.Want.Env != "" && e.Env != tc.Want.Env) ||
				(tc.Want.Cause != nil && e.Cause != *tc.Want.Cause) || e.Scenario != tc.Want.Scenario {
				t.Errorf("journaled %+v; want operation %s, appid %q, env %q, cause %q, scenario %q",
					e, op.ID, tc.Want.AppID, tc.Want.Env, *cmp.Or(tc.Want.Cause, new(string)), tc.Want.Scenario)
			}
		})
	}
	t.Run("every errcode of its table, forced", func(t *testing.T) {
		tok := f.token(cases.App.AppID, cases.App.Secret)
		for _, row := range op.Errcodes {
			if row.Code == 0 {
				continue
			}
			rep := f.do("POST", op.Path+"?access_token="+tok, `{"env":"x"}`, mock.ScenarioHeader+": "+row.Scenario)
			wantErrcode(t, rep, row.Code)
			if !strings.HasPrefix(rep.Errmsg, row.Errmsg+" rid: ") {
				t.Errorf("%s: errmsg %q; want %q and the rid", row.Scenario, rep.Errmsg, row.Errmsg)
			}
		}
	})
	t.Run("lint refuses", func(t *testing.T) {
		for _, bad := range cases.Refused {
			files := files
			files.Scenarios = append(files.Scenarios[:len(files.Scenarios):len(files.Scenarios)],
				mock.File{FS: fstest.MapFS{"test.yaml": {Data: []byte(bad.File)}}, Path: ".", Name: "bad"})
			_, err := mock.Load(t.Context(), files)
			if err == nil || !strings.Contains(err.Error(), "bad/"+bad.Problem) {
				t.Errorf("got %v; want bad/%s", err, bad.Problem)
			}
		}
	})
}
