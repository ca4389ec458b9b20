package ui_test

import (
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock/ui"
)

// references finds what a file loads: src and href attributes, and the
// modules a script imports.
var references = regexp.MustCompile(`(?:src|href)="([^"#]+)"|from '(\./[^']+)'|import '(\./[^']+)'`)

func TestEveryFileThePageLoadsIsEmbedded(t *testing.T) {
	seen := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		data, err := fs.ReadFile(ui.FS(), name)
		if err != nil {
			t.Errorf("%s is loaded but not embedded: %v", name, err)
			return
		}
		for _, m := range references.FindAllStringSubmatch(string(data), -1) {
			ref := m[1] + m[2] + m[3]
			visit(path.Join(path.Dir(name), ref))
		}
	}
	visit("index.html")
	err := fs.WalkDir(ui.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !seen[name] {
			t.Errorf("%s is embedded but nothing loads it", name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestThePageNeedsNoNetworkAndParsesNoData guards the page's two promises:
// it works offline (no URL of another host), and what clients sent is
// shown as text (no API that parses a string as HTML or code).
func TestThePageNeedsNoNetworkAndParsesNoData(t *testing.T) {
	forbidden := regexp.MustCompile(`https?://|//cdn|innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|<script>`)
	err := fs.WalkDir(ui.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, ".go") {
			return err
		}
		data, err := fs.ReadFile(ui.FS(), name)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if m := forbidden.FindString(line); m != "" && !strings.Contains(line, `xmlns="http://www.w3.org/2000/svg"`) {
				t.Errorf("%s:%d: %q: %s", name, i+1, m, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
