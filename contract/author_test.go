package contract_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/contract"
)

// TestEachPhraseExampleMatchesItsPhraseAlone: the examples check --phrases
// and docs/conformance.md show are steps the suite runs as their phrase says.
func TestEachPhraseExampleMatchesItsPhraseAlone(t *testing.T) {
	phrases := contract.Phrases()
	for _, p := range phrases {
		var matched []string
		for _, q := range phrases {
			if regexp.MustCompile(q.Pattern).MatchString(p.Example) {
				matched = append(matched, q.Pattern)
			}
		}
		if len(matched) != 1 || matched[0] != p.Pattern {
			t.Errorf("example %q matches %q; want its phrase %q alone", p.Example, matched, p.Pattern)
		}
	}
}

// TestTheGuideListsEveryPhrase: the conformance guide's table of phrases is
// the step table's, example for example.
func TestTheGuideListsEveryPhrase(t *testing.T) {
	guide, err := os.ReadFile("../docs/conformance.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range contract.Phrases() {
		row := "| `" + strings.ReplaceAll(p.Example, "|", `\|`) + "` | `" + strings.ReplaceAll(p.Pattern, "|", `\|`) + "` |"
		if !strings.Contains(string(guide), row) {
			t.Errorf("docs/conformance.md lacks the row %s", row)
		}
	}
}
