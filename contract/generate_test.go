package contract_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
)

// runWithSpec runs the suite against the embedded fake, reading the spec
// edited by edit.
func runWithSpec(t *testing.T, edit func(string) string) (string, *contract.Result) {
	t.Helper()
	data, err := fs.ReadFile(tcbmock.FS(), tcbmock.SpecFile)
	if err != nil {
		t.Fatal(err)
	}
	spec := []byte(edit(string(data)))
	if _, err := apispec.Load(t.Context(), "edited.yaml", spec); err != nil {
		t.Fatal(err)
	}
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	return runFake(t, m, contract.Options{Spec: spec, SpecName: "edited.yaml", Tags: "@errcodes,@causes"})
}

func TestGeneratedChecksReadTheSpecTheyAreGiven(t *testing.T) {
	out, res := runWithSpec(t, func(s string) string {
		return strings.Replace(s, "errmsg: no qbase privilege", "errmsg: no qbase privilege at all", 1)
	})
	if res.Passed(false) || !strings.Contains(out, `/errmsg: expected "no qbase privilege at all", then the rid`) {
		t.Errorf("failed %v; want the edited errmsg expected of the forced 85088\n%s", res.Failed, out)
	}
	out, res = runWithSpec(t, func(s string) string {
		return regexp.MustCompile(`(?s)        - code: 85088\n.*?live: false\n`).ReplaceAllString(s, "")
	})
	if !res.Passed(true) || strings.Contains(out, "forced to 85088") || !strings.Contains(out, "getEnvInfo forced to 48001 by api-unauthorized") {
		t.Errorf("failed %v; want every row but the removed one forced\n%s", res.Failed, out)
	}
}

func TestEveryWhenCauseIsEarned(t *testing.T) {
	out, res := runWithSpec(t, func(s string) string { return s })
	if !res.Passed(true) {
		t.Fatalf("failed %v\n%s", res.Failed, out)
	}
	spec := testkit.Embedded(t)
	for _, op := range spec.Operations() {
		for _, row := range op.Errcodes {
			for _, cause := range row.When {
				if want := "Scenario: " + op.ID + " answers " + itoa(row.Code) + " to " + cause + " "; !strings.Contains(out, want) {
					t.Errorf("no passing scenario %q", want)
				}
			}
		}
	}
}

func TestALiveCauseWithoutEvidenceIsTaggedChosen(t *testing.T) {
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	out, _ := runFake(t, m, contract.Options{Tags: "@causes && @live && @chosen"})
	// stable_token's 40002 row knows invalid grant_type (the page, a
	// capture), not a missing grant_type, whose answer was chosen.
	if !strings.Contains(out, "getStableAccessToken answers 40002 to missing grant_type") || strings.Contains(out, "getStableAccessToken answers 40002 to invalid grant_type") {
		t.Errorf("the @chosen live checks are not the causes without evidence:\n%s", out)
	}
}
