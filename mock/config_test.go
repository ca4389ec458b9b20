package mock_test

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
	"github.com/tcbmock/tcbmock/mock"
)

// loadScenarios loads the embedded spec with one scenario file, dir/test.yaml,
// in place of the embedded scenario directory.
func loadScenarios(t testing.TB, yaml string) (*mock.Config, error) {
	t.Helper()
	files := mock.Embedded()
	files.Scenarios = []mock.File{{FS: fstest.MapFS{"test.yaml": {Data: []byte(yaml)}}, Path: ".", Name: "dir"}}
	return mock.Load(t.Context(), files)
}

const goodApp = `apps:
  - appid: wx0123456789abcdef
    secret: 0123456789abcdef0123456789abcdef
    envs:
      - env: a-1
        alias: a
        create_time: "2020-01-02 03:04:05"
        update_time: "2020-01-02 03:04:05"
        status: NORMAL
        package_id: basic
        package_name: x
`

// TestAScenarioMayWordAChosenTextOtherwise: the text of a row without
// evidence is the fake's choice; a recording of production's is welcome.
func TestAScenarioMayWordAChosenTextOtherwise(t *testing.T) {
	if _, err := loadScenarios(t, "scenarios:\n  - name: x\n    description: d\n    operations: [getEnvInfo]\n    body: {errcode: 45009, errmsg: \"reach max api daily quota limit hint: [Xy12]\"}\n"); err != nil {
		t.Errorf("got %v; want the chosen text of 45009 worded otherwise accepted", err)
	}
}

func TestLoadReportsFileLineAndWhat(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"syntax", "scenarios:\n  - name: [\n", "dir/test.yaml:2: did not find expected node content"},
		{"unknown top key", "scenario:\n  - name: x\n", `dir/test.yaml:1: unknown key "scenario"`},
		{"unknown scenario key", "scenarios:\n  - name: x\n    description: a scenario with a typo\n    errcod: -1\n", `dir/test.yaml:4: unknown key "errcod"`},
		{"wrong type", "scenarios:\n  - name: x\n    description: a scenario with a typo\n    errcode: busy\n", `dir/test.yaml:4: want an integer, got "busy"`},
		{"no description", "scenarios:\n  - name: x\n    errcode: -1\n", `dir/test.yaml:2: scenario "x": a scenario needs a description`},
		{"bad name", "scenarios:\n  - name: Has Space\n    description: d\n    errcode: -1\n", `dir/test.yaml:2: scenario "Has Space": a scenario needs a name`},
		{"errcode not in the table", "scenarios:\n  - name: x\n    description: d\n    errcode: 12345\n", `dir/test.yaml:4: scenario "x": errcode 12345 is in no operation's x-errcodes`},
		{"errcode 0", "scenarios:\n  - name: x\n    description: d\n    errcode: 0\n", `dir/test.yaml:4: scenario "x": errcode 0 is no error`},
		{"unknown operation", "scenarios:\n  - name: x\n    description: d\n    operations: [getEnvInfo, nope]\n    errcode: -1\n", `dir/test.yaml:4: scenario "x": the spec has no operation "nope"`},
		{"two answers", "scenarios:\n  - name: x\n    description: d\n    errcode: -1\n    body: {}\n", `dir/test.yaml:2: scenario "x": an answer has exactly one of errcode, body, natural: true`},
		{"body the spec refuses", "scenarios:\n  - name: x\n    description: d\n    body:\n      errcode: 0\n      errmsg: ok\n      info_list:\n        - env: a-1\n          status: BROKEN\n", `dir/test.yaml:9: scenario "x": breaks the spec of getEnvInfo: /info_list/0/status: expected one of`},
		{"error body without errmsg", "scenarios:\n  - name: x\n    description: d\n    body: {errcode: 40001}\n", `dir/test.yaml:4: scenario "x": breaks the spec of getEnvInfo:`},
		{"error body with a number for errmsg", "scenarios:\n  - name: x\n    description: d\n    body: {errcode: 40001, errmsg: 5}\n", `dir/test.yaml:4: scenario "x": breaks the spec of getEnvInfo: /errmsg: expected a value of type string`},
		{"an errmsg off its row's known text", "scenarios:\n  - name: x\n    description: d\n    operations: [getEnvInfo]\n    body: {errcode: 41001, errmsg: access_token absent}\n", `dir/test.yaml:5: scenario "x": differs from getEnvInfo's row 41001, whose text is known: /errmsg: expected "access_token missing", then the rid`},
		{"body errcode as a string", "scenarios:\n  - name: x\n    description: d\n    body: {errcode: \"-1\", errmsg: system error}\n", `dir/test.yaml:4: scenario "x": breaks the spec of getEnvInfo: /errcode: expected a value of type integer, received "-1"`},
		{"sequence step", "scenarios:\n  - name: x\n    description: d\n    sequence:\n      - errcode: -1\n      - natural: false\n", `dir/test.yaml:6: scenario "x": an answer has exactly one`},
		{"unknown fault", "scenarios:\n  - name: x\n    description: d\n    fault: explode\n", `dir/test.yaml:4: scenario "x": unknown fault "explode"`},
		{"fault with an answer", "scenarios:\n  - name: x\n    description: d\n    fault: reset\n    errcode: -1\n", `dir/test.yaml:4: scenario "x": fault reset answers in place of the server`},
		{"truncate without an answer", "scenarios:\n  - name: x\n    description: d\n    fault: truncate\n", `dir/test.yaml:2: scenario "x": an answer has exactly one`},
		{"bad delay", "scenarios:\n  - name: x\n    description: d\n    delay: 5s..1s\n    natural: true\n", `dir/test.yaml:4: scenario "x": delay "5s..1s": want 0 <= min <= max`},
		{"dribble without the fault", "scenarios:\n  - name: x\n    description: d\n    dribble: 1s\n    natural: true\n", `dir/test.yaml:4: scenario "x": dribble goes with fault: dribble`},
		{"sequence and a body", "scenarios:\n  - name: x\n    description: d\n    body: {errcode: -1, errmsg: x}\n    sequence:\n      - natural: true\n", `dir/test.yaml:2: scenario "x": a scenario has a sequence, or one answer`},
		{"sequence and an answer", "scenarios:\n  - name: x\n    description: d\n    natural: true\n    sequence:\n      - natural: true\n", `dir/test.yaml:2: scenario "x": a scenario has a sequence, or one answer`},
		{"duplicate scenario", "scenarios:\n  - name: x\n    description: d\n    errcode: -1\n  - name: x\n    description: d\n    errcode: -1\n", `dir/test.yaml:5: scenario "x" is already defined at dir/test.yaml:2`},
		{"bad appid", strings.Replace(goodApp, "wx0123456789abcdef", "app1", 1), `dir/test.yaml:2: app "app1": appid "app1" does not fit the spec`},
		{"bad env status", strings.Replace(goodApp, "NORMAL", "BROKEN", 1), `dir/test.yaml:9: app "wx0123456789abcdef": breaks the spec (getEnvInfo's info_list): envs/0/status: expected one of ["NORMAL","HALTED","UNAVAILABLE"], received "BROKEN"`},
		{"bad env time", strings.Replace(goodApp, "2020-01-02 03:04:05", "2020-01-02T03:04:05Z", 1), `dir/test.yaml:7: app "wx0123456789abcdef": breaks the spec (getEnvInfo's info_list): envs/0/create_time: expected a string matching`},
		{"unknown bound scenario", strings.Replace(goodApp, "    envs:", "    scenario: nope\n    envs:", 1), `dir/test.yaml:4: app "wx0123456789abcdef": no scenario is named "nope"`},
		{"duplicate app", goodApp + strings.TrimPrefix(goodApp, "apps:\n"), `dir/test.yaml:12: app "wx0123456789abcdef" is already defined at dir/test.yaml:2`},
		{"component of an unknown app", goodApp + componentYAML("wx0123456789abcdee"), `dir/test.yaml:17: component "wxc0c0c0c0c0c0c0c0": authorizer_appid "wx0123456789abcdee" is no app of the world`},
		{"component with a bad secret", goodApp + strings.Replace(componentYAML("wx0123456789abcdef"), "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0", "nope", 1), `dir/test.yaml:14: component "wxc0c0c0c0c0c0c0c0": component_appsecret "nope" does not fit the spec`},
		{"component with an app's appid", goodApp + strings.Replace(componentYAML("wx0123456789abcdef"), "wxc0c0c0c0c0c0c0c0", "wx0123456789abcdef", 1), `dir/test.yaml:13: appid "wx0123456789abcdef" is already defined at dir/test.yaml:2`},
		{"unknown_env_errcode", "unknown_env_errcode: 12345\n", `dir/test.yaml:1: errcode 12345 is not in getEnvInfo's x-errcodes`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadScenarios(t, tc.yaml)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v; want %q", err, tc.want)
			}
			var fe *yamlfile.Error
			if !errors.As(err, &fe) || fe.Line == 0 {
				t.Errorf("error %v is not a FileError with a line", err)
			}
		})
	}
}

// componentYAML is a component that the app appid authorizes.
func componentYAML(appid string) string {
	return `components:
  - component_appid: wxc0c0c0c0c0c0c0c0
    component_appsecret: c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0
    component_verify_ticket: ticket@@@t
    authorizations:
      - authorizer_appid: ` + appid + `
        authorizer_refresh_token: refreshtoken@@@r
        permission_sets: [49]
`
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := loadScenarios(t, "scenarios:\n  - name: x\n    errcode: -1\n  - name: y\n    description: d\n    errcode: 1\n")
	var list yamlfile.List
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("got %v; want two problems", err)
	}
}

func TestLoadAcceptsAGoodWorld(t *testing.T) {
	c, err := loadScenarios(t, goodApp+"unknown_env_errcode: 40097\nscenarios:\n  - name: x\n    description: d\n    errcode: -1\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.App("wx0123456789abcdef") == nil || c.Scenario("x") == nil {
		t.Errorf("loaded %+v", c)
	}
}

func TestUnknownEnvErrcodeIsAnswered(t *testing.T) {
	c, err := loadScenarios(t, goodApp+"unknown_env_errcode: 40097\n")
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, mock.WithConfig(c))
	tok := f.token("wx0123456789abcdef", "0123456789abcdef0123456789abcdef")
	wantErrcode(t, f.envs(tok, `{"env":"nope"}`), 40097)
	wantErrcode(t, f.envs(tok, `{"env":"a-1"}`), 0)
}

func TestBodyScenarioErrmsgGetsTheRID(t *testing.T) {
	c, err := loadScenarios(t, "scenarios:\n  - name: x\n    description: d\n    body: {errcode: -1, errmsg: system error}\n")
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, mock.WithConfig(c))
	rep := f.envs("", "{}", mock.ScenarioHeader+": x")
	wantErrcode(t, rep, -1)
	if !strings.HasPrefix(rep.Errmsg, "system error rid: ") {
		t.Errorf("errmsg %q", rep.Errmsg)
	}
}

func TestLoadReportsASpecProblemAtItsLine(t *testing.T) {
	spec, err := fs.ReadFile(tcbmock.FS(), tcbmock.SpecFile)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(spec), "          when: [invalid env]", "          when: [invalid envv]", 1)
	files := mock.Embedded()
	files.Spec = mock.File{FS: fstest.MapFS{"spec.yaml": {Data: []byte(bad)}}, Path: "spec.yaml"}
	_, err = mock.Load(t.Context(), files)
	line := strings.Count(bad[:strings.Index(bad, "invalid envv")], "\n") + 1
	var fe *yamlfile.Error
	if !errors.As(err, &fe) || fe.File != "spec.yaml" || fe.Line != line || !strings.Contains(fe.Msg, `unknown cause "invalid envv"`) {
		t.Errorf("got %v; want spec.yaml:%d: unknown cause", err, line)
	}
}

func TestNewRefusesAnUnknownDefaultScenario(t *testing.T) {
	if _, err := mock.New(mock.WithScenario("nope")); !errors.Is(err, mock.ErrUnknownScenario) {
		t.Errorf("got %v; want ErrUnknownScenario", err)
	}
}

func TestAMisspeltScenarioGetsASuggestionAndNoFlag(t *testing.T) {
	_, err := mock.New(mock.WithScenario("system_busy"))
	if err == nil || !strings.Contains(err.Error(), `unknown scenario "system_busy" (did you mean "system-busy"?)`) || strings.Contains(err.Error(), "--") {
		t.Errorf("got %v; want the scenario it meant, and no command-line flag named to a Go caller", err)
	}
}

func TestReloadKeepsTheLastGoodConfigOnError(t *testing.T) {
	f := newFake(t, mock.WithScenario("retry-then-ok"))
	c, err := loadScenarios(t, goodApp)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Reload(c); !errors.Is(err, mock.ErrUnknownScenario) {
		t.Fatalf("got %v; want ErrUnknownScenario (the default is gone)", err)
	}
	if f.Config().Scenario("retry-then-ok") == nil {
		t.Error("the failed reload replaced the configuration")
	}
}

func TestLoadReportsEveryProblemOfAnItemAtOnce(t *testing.T) {
	_, err := loadScenarios(t, "scenarios:\n  - name: x\n    operations: [getEnvinfo]\n    errcode: -1\n"+
		"apps:\n  - appid: wx0123456789abcdef\n    secret: nope\n    envs:\n      - env: a-1\n        status: NORMAL\n")
	for _, want := range []string{
		`dir/test.yaml:2: scenario "x": a scenario needs a description`,
		`dir/test.yaml:3: scenario "x": the spec has no operation "getEnvinfo"`,
		`dir/test.yaml:7: app "wx0123456789abcdef": secret "nope" does not fit the spec`,
		`dir/test.yaml:9: app "wx0123456789abcdef": breaks the spec (getEnvInfo's info_list): envs/0/alias: expected present`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v; want, among the problems, %s", err, want)
		}
	}
}
