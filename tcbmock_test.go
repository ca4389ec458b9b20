package tcbmock_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The root package exports only what a Go test of mock or mocktest names:
// the assets and their names, the causes, and Mismatch. The spec model is
// internal (internal/apispec).
func TestTheRootPackageExportsOnlyWhatATestNames(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, exported(f)...)
	}
	slices.Sort(got)
	want := []string{"FS func", "FeatureDir const", "Invalid func", "Mismatch type", "Missing func", "ScenarioDir const", "SpecFile const"}
	if !slices.Equal(got, want) {
		t.Errorf("the root package exports %q (besides the causes); want %q", got, want)
	}
}

// exported lists the exported top-level names of f, but for the causes,
// each with its kind.
func exported(f *ast.File) []string {
	var names []string
	add := func(id *ast.Ident, kind string) {
		if id.IsExported() && !strings.HasPrefix(id.Name, "Cause") {
			names = append(names, id.Name+" "+kind)
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				add(d.Name, "func")
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					add(spec.Name, "type")
				case *ast.ValueSpec:
					for _, id := range spec.Names {
						add(id, d.Tok.String())
					}
				}
			}
		}
	}
	return names
}
