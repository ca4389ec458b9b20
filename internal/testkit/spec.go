// Package testkit holds what tests of several packages share: specs (the
// embedded openapi.yaml, as it is or with the paths and schemas of a
// fragment added), fakes of a configuration, and a fake with its admin API
// hidden, as production has none.
package testkit

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// Embedded loads the embedded spec: a copy of its own, which a test may change.
func Embedded(tb testing.TB) *apispec.Spec {
	tb.Helper()
	spec, err := apispec.Embedded(tb.Context())
	if err != nil {
		tb.Fatal(err)
	}
	return spec
}

// WithFragment writes the embedded spec, with the paths and the
// components' schemas of the OpenAPI fragment in file added, to a
// temporary file, and returns its path.
func WithFragment(tb testing.TB, file string) string {
	tb.Helper()
	var spec, extra yaml.Node
	base, err := fs.ReadFile(tcbmock.FS(), tcbmock.SpecFile)
	if err != nil {
		tb.Fatal(err)
	}
	fragment, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	if err := yaml.Unmarshal(base, &spec); err != nil {
		tb.Fatal(err)
	}
	if err := yaml.Unmarshal(fragment, &extra); err != nil {
		tb.Fatal(err)
	}
	for _, at := range [][]string{{"paths"}, {"components", "schemas"}} {
		into, from := mapping(spec.Content[0], at...), mapping(extra.Content[0], at...)
		if into == nil || from == nil {
			tb.Fatalf("no %v in the spec or in %s", at, file)
		}
		into.Content = append(into.Content, from.Content...)
	}
	out, err := yaml.Marshal(&spec)
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "openapi.yaml")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// mapping returns the mapping node at keys below n.
func mapping(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}
