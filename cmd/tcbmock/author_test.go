package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// TestCheckBlamesTheFeaturesForTheirMistakes: a step no phrase says, or a
// known phrase naming what does not exist, is one line naming the user's
// file, line and step, and exit 2, with no count of scenarios.
func TestCheckBlamesTheFeaturesForTheirMistakes(t *testing.T) {
	clearCredentials(t)
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, m)
	for _, tc := range []struct{ name, step, want string }{
		{"an undefined step", "I dance", "no phrase of the suite says this (tcbmock check --phrases lists them)"},
		{"a misspelt operation", "I call getEnvInfoo", `has no operation "getEnvInfoo"`},
		{"a misspelt cause", `I call getEnvInfo with the cause "missing acess_token"`, `getEnvInfo lists no cause "missing acess_token" in its x-errcodes`},
		{"a misspelt request", "I ask stable_token with a wrong grant type", `no such request "a wrong grant type"`},
		{"a misspelt scenario", `I list the environments with the scenario "retry-than-ok"`, `the target has no scenario "retry-than-ok"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "more")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			feature := "Feature: mine\n\n  Scenario: one\n    When " + tc.step + "\n    Then the errcode is 0\n"
			if err := os.WriteFile(filepath.Join(dir, "my.feature"), []byte(feature), 0o644); err != nil {
				t.Fatal(err)
			}
			_, errOut, code := runCLI(t, "check", "--target", url, "--features", dir)
			where := filepath.Join(dir, "my.feature") + `:4: step "` + tc.step + `": `
			if code != 2 || !strings.HasPrefix(errOut, where) || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || regexp.MustCompile(`\d+ scenarios`).MatchString(errOut) {
				t.Errorf("exit %d, stderr %q; want 2 and one line %q…%q", code, errOut, where, tc.want)
			}
		})
	}
}

func TestCheckPhrasesListsEveryPhraseWithAnExample(t *testing.T) {
	out, _, code := runCLI(t, "check", "--phrases")
	if code != 0 || !strings.Contains(out, "e.g. I call getEnvInfo with the cause \"missing access_token\"") {
		t.Errorf("exit %d, stdout %q; want 0 and each phrase with its example", code, out)
	}
}
