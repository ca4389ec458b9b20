package contract_test

import (
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cucumber/godog"

	"github.com/tcbmock/tcbmock"
)

var errcodeStep = regexp.MustCompile(`errcode (?:is )?(-?\d+)$`)

// stepOperation says which operation a step calls, or "".
func stepOperation(text string) string {
	switch {
	case strings.Contains(text, "stable_token"), strings.Contains(text, "stable token"):
		return "getStableAccessToken"
	case strings.Contains(text, "/cgi-bin/token"):
		return "getAccessToken"
	case strings.Contains(text, "environment"), strings.Contains(text, "getenvinfo"), strings.Contains(text, "token works"), strings.Contains(text, "token still works"), strings.Contains(text, "token is refused"):
		return "getEnvInfo"
	}
	return ""
}

// featureErrcodes lists, per operation, the errcodes some feature scenario expects.
func featureErrcodes(t *testing.T) map[string]map[int]bool {
	t.Helper()
	features, err := godog.TestSuite{Options: &godog.Options{FS: tcbmock.FS(), Paths: []string{tcbmock.FeatureDir}}}.RetrieveFeatures()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]map[int]bool{}
	mark := func(op string, code int) {
		if seen[op] == nil {
			seen[op] = map[int]bool{}
		}
		seen[op][code] = true
	}
	for _, f := range features {
		for _, p := range f.Pickles {
			op := ""
			for _, st := range p.Steps {
				if o := stepOperation(st.Text); o != "" {
					op = o
				}
				if m := errcodeStep.FindStringSubmatch(st.Text); m != nil {
					code, _ := strconv.Atoi(m[1])
					mark(op, code)
				} else if strings.Contains(st.Text, "token works") || strings.HasPrefix(st.Text, "I get a stable token") || strings.HasSuffix(st.Text, "token from /cgi-bin/token") {
					mark(op, 0)
				}
			}
		}
	}
	return seen
}

func TestEverySpecErrcodeHasAFeatureScenario(t *testing.T) {
	data, err := fs.ReadFile(tcbmock.FS(), tcbmock.SpecFile)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := tcbmock.LoadSpec(context.Background(), tcbmock.SpecFile, data)
	if err != nil {
		t.Fatal(err)
	}
	seen := featureErrcodes(t)
	for _, op := range spec.Operations() {
		for _, row := range op.Errcodes {
			if !seen[op.ID][row.Code] {
				t.Errorf("%s: errcode %d has no feature scenario", op.ID, row.Code)
			}
		}
	}
	if t.Failed() {
		t.Log(fmt.Sprint(seen))
	}
}
