package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// writeFiles writes files (name: contents) into a new directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const myScenario = "scenarios:\n  - name: mine\n    description: my own scenario\n    operations: [getEnvInfo]\n    errcode: 45009\n"

func TestServeAddsAScenarioDirectoryToTheEmbeddedWorld(t *testing.T) {
	dir := writeFiles(t, map[string]string{"mine.yaml": myScenario})
	url, stderr := serveInProcess(t, "--scenarios", dir)
	if !strings.Contains(stderr.String(), "appid=wxd0c0ffee00000001") {
		t.Errorf("startup line %q names no app of the embedded world", stderr.String())
	}
	if apps := get(t, url+"/__tcbmock/apps"); !strings.Contains(apps, `"appid":"`+mocktest.DemoAppID+`"`) {
		t.Errorf("apps: %s", apps)
	}
	if scenarios := get(t, url+"/__tcbmock/scenarios"); !strings.Contains(scenarios, `"name":"mine"`) || !strings.Contains(scenarios, `"name":"retry-then-ok"`) {
		t.Errorf("scenarios lack mine or an embedded one: %.300s", scenarios)
	}
}

func TestServeReplacingTheScenariosWarnsOfAnEmptyWorld(t *testing.T) {
	dir := writeFiles(t, map[string]string{"mine.yaml": myScenario})
	_, stderr := serveInProcess(t, "--scenarios", dir, "--replace-scenarios")
	if !strings.Contains(stderr.String(), "level=WARN msg=\""+dir+": the world has no app") {
		t.Errorf("stderr %q; want a warning naming %s", stderr.String(), dir)
	}
}

func TestLintFindsAnEmptyWorld(t *testing.T) {
	dir := writeFiles(t, map[string]string{"mine.yaml": myScenario})
	out, _, code := runCLI(t, "lint", "--scenarios", dir, "--replace-scenarios")
	if code != 1 || !strings.HasPrefix(out, dir+": the world has no app") {
		t.Errorf("exit %d, %q; want 1 and the finding", code, out)
	}
	if out, _, code := runCLI(t, "lint", "--scenarios", dir); code != 0 || out != "" {
		t.Errorf("added to the embedded world: exit %d, %q; want 0 and silence", code, out)
	}
}

func TestAProblemNamesTheFileTheUserGave(t *testing.T) {
	dir := writeFiles(t, map[string]string{"world.yaml": "apps:\n  - appid: wxd0c0ffee00000001\n    secret: 0123456789abcdef0123456789abcdef\n"})
	out, _, code := runCLI(t, "lint", "--scenarios", dir)
	if want := filepath.Join(dir, "world.yaml") + `:2: app "` + mocktest.DemoAppID + `" is already defined at scenarios/world.yaml:`; code != 1 || !strings.HasPrefix(out, want) {
		t.Errorf("exit %d, %q; want 1 and %s…", code, out, want)
	}
}

func TestReplaceScenariosNeedsADirectory(t *testing.T) {
	for _, cmd := range []string{"lint", "serve"} {
		if _, errOut, code := runCLI(t, cmd, "--replace-scenarios"); code != 2 || !strings.Contains(errOut, "--replace-scenarios needs --scenarios DIR") {
			t.Errorf("%s: exit %d, %q; want 2 and the reason", cmd, code, errOut)
		}
	}
}

func TestLintAndServeRefuseASpecTheFakeCannotAnswer(t *testing.T) {
	data, err := fs.ReadFile(tcbmock.FS(), tcbmock.SpecFile)
	if err != nil {
		t.Fatal(err)
	}
	spec := strings.Replace(string(data), "      required: [errcode, errmsg]\n      properties:\n        errcode:\n          type: integer\n          not:",
		"      required: [errcode, errmsg, hint]\n      properties:\n        hint:\n          type: string\n        errcode:\n          type: integer\n          not:", 1)
	if spec == string(data) {
		t.Fatal("the spec's ErrorResponse is not as the test expects")
	}
	file := filepath.Join(writeFiles(t, map[string]string{"openapi.yaml": spec}), "openapi.yaml")
	line := strings.Count(spec[:strings.Index(spec, "required: [errcode, errmsg, hint]")], "\n") + 1
	want := file + ":" + strconv.Itoa(line) + `: the fake cannot answer the required property "hint"`
	if out, _, code := runCLI(t, "lint", "--spec", file); code != 1 || !strings.HasPrefix(out, want) {
		t.Errorf("lint: exit %d, %q; want 1 and %s", code, out, want)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var stdout, stderr strings.Builder
	err = run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--spec", file}, &stdout, &stderr)
	if err == nil || exitCode(err) != 1 || !strings.Contains(stderr.String(), want) {
		t.Errorf("serve: %v, %q; want exit 1 and %s", err, stderr.String(), want)
	}
}

func TestLintListsProblemsInTheOrderOfTheirLines(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml": "apps:\n  - appid: wx0123456789abcdef\n    secret: 0123456789abcdef0123456789abcdef\n    envs:\n      - env: a-1\n        status: BROKEN\n" +
			"scenarios:\n  - name: x\n    description: d\n    errcode: 99999\n",
	})
	out, _, code := runCLI(t, "lint", "--scenarios", dir)
	// The scenarios are read before the apps: line 10 is found first.
	var lines []int
	for _, m := range regexp.MustCompile(`a\.yaml:(\d+):`).FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[1])
		lines = append(lines, n)
	}
	if code != 1 || !slices.IsSorted(lines) || !slices.Contains(lines, 6) || !slices.Contains(lines, 10) {
		t.Errorf("exit %d, lines %v; want 1 and lines 6 and 10 in order:\n%s", code, lines, out)
	}
}
