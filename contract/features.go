package contract

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"testing/fstest"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// The directories of the feature files a run reads, in one file system:
// godog numbers scenarios per parse, so that every file must come from one.
const (
	moreDir      = "more"      // the user's (check --features)
	generatedDir = "generated" // generated from the spec
)

// featureFS gathers the feature files of a run: the features directory of
// base, every feature file of more, and those generated from the spec for
// a target whose world the suite reads or not.
func featureFS(base, more fs.FS, spec *apispec.Spec, world bool) (fs.FS, []string, error) {
	files := fstest.MapFS{}
	paths := []string{tcbmock.FeatureDir}
	if err := copyFeatures(files, base, tcbmock.FeatureDir, tcbmock.FeatureDir); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrFeatures, err)
	}
	if more != nil {
		if err := copyFeatures(files, more, ".", moreDir); err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrFeatures, err)
		}
		paths = append(paths, moreDir)
	}
	for name, text := range generateFeatures(spec, world) {
		files[path.Join(generatedDir, name)] = &fstest.MapFile{Data: []byte(text)}
	}
	paths = append(paths, generatedDir)
	return files, paths, nil
}

// copyFeatures copies every .feature file below dir of from into files, below to.
func copyFeatures(files fstest.MapFS, from fs.FS, dir, to string) error {
	found := false
	err := fs.WalkDir(from, dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".feature") {
			return err
		}
		data, err := fs.ReadFile(from, name)
		if err != nil {
			return err
		}
		rel := name
		if dir != "." {
			rel = strings.TrimPrefix(name, dir+"/")
		}
		files[path.Join(to, rel)] = &fstest.MapFile{Data: data}
		found = true
		return nil
	})
	if err == nil && !found {
		err = fmt.Errorf("no .feature file in %s", dir)
	}
	return err
}
