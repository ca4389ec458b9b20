package main

import (
	"flag"
	"os"
	"path/filepath"

	"github.com/tcbmock/tcbmock/mock"
)

// filesFlags are the flags that say where the spec and the scenarios are.
type filesFlags struct {
	spec, scenarios string
}

func (f *filesFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.spec, "spec", "", "the OpenAPI spec `FILE` (default: the embedded openapi.yaml)")
	fs.StringVar(&f.scenarios, "scenarios", "", "the scenario `DIR` (default: the embedded scenarios)")
}

// files returns where to read the configuration: the flags, or what is embedded.
func (f *filesFlags) files() mock.Files {
	files := mock.EmbeddedFiles()
	if f.spec != "" {
		files.SpecFS, files.SpecPath, files.SpecName = os.DirFS(filepath.Dir(f.spec)), filepath.Base(f.spec), f.spec
	}
	if f.scenarios != "" {
		files.ScenarioFS, files.ScenarioName = os.DirFS(f.scenarios), f.scenarios
	}
	return files
}
