package main

import (
	"flag"
	"os"
	"path/filepath"

	"github.com/tcbmock/tcbmock/mock"
)

// filesFlags are the flags that say where the spec and the scenarios are.
type filesFlags struct {
	spec      string
	overlays  []string
	scenarios []string
	replace   bool
}

func (f *filesFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.spec, "spec", "", "the OpenAPI spec `FILE` (default: the embedded openapi.yaml)")
	registerOverlays(fs, &f.overlays)
	fs.Func("scenarios", "a scenario `DIR` whose *.yaml files add apps and scenarios to the embedded ones (repeatable; a name defined twice is an error)", func(dir string) error {
		f.scenarios = append(f.scenarios, dir)
		return nil
	})
	fs.BoolVar(&f.replace, "replace-scenarios", false, "use only the --scenarios directories, without the embedded world and scenarios")
}

// check refuses flags that contradict each other.
func (f *filesFlags) check(cmd string) error {
	if f.replace && len(f.scenarios) == 0 {
		return misused("tcbmock " + cmd + ": --replace-scenarios needs --scenarios DIR")
	}
	return nil
}

// files returns where to read the configuration: the flags, or what is embedded.
func (f *filesFlags) files() mock.Files {
	files := mock.Embedded()
	if f.spec != "" {
		files.Spec = specFile(f.spec)
	}
	for _, o := range f.overlays {
		files.Overlays = append(files.Overlays, specFile(o))
	}
	if f.replace {
		files.Scenarios = nil
	}
	for _, dir := range f.scenarios {
		files.Scenarios = append(files.Scenarios, mock.File{FS: os.DirFS(dir), Path: ".", Name: dir})
	}
	return files
}

// changing reports whether the flags name files that can change.
func (f *filesFlags) changing() bool { return len(f.watched()) > 0 }

// watched lists the files and directories the flags name.
func (f *filesFlags) watched() []string {
	var out []string
	if f.spec != "" {
		out = append(out, f.spec)
	}
	return append(append(out, f.overlays...), f.scenarios...)
}

// registerOverlays registers --overlay, repeatable, appending to overlays.
func registerOverlays(fs *flag.FlagSet, overlays *[]string) {
	fs.Func("overlay", "a spec `FILE` of paths and components that adds operations and schemas to the spec (repeatable; a path or schema the spec has already is an error)", func(file string) error {
		*overlays = append(*overlays, file)
		return nil
	})
}

// specFile is the spec at path, named as the user wrote it.
func specFile(path string) mock.File {
	return mock.File{FS: os.DirFS(filepath.Dir(path)), Path: filepath.Base(path), Name: path}
}
