package mock

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// Files says where a configuration is read from: the spec and a directory of
// scenario files (every *.yaml and *.yml in it, in name order).
type Files struct {
	SpecFS       fs.FS  // holds the spec
	SpecPath     string // the spec's path in SpecFS
	SpecName     string // the spec's name in messages; SpecPath if empty
	ScenarioFS   fs.FS  // the scenario directory
	ScenarioName string // the directory's name in messages
}

// EmbeddedFiles returns the spec and scenarios built into tcbmock.
func EmbeddedFiles() Files {
	sub, err := fs.Sub(tcbmock.FS(), tcbmock.ScenarioDir)
	if err != nil {
		panic(err) // the embedded tree always has it
	}
	return Files{SpecFS: tcbmock.FS(), SpecPath: tcbmock.SpecFile, ScenarioFS: sub, ScenarioName: tcbmock.ScenarioDir}
}

// Config is a loaded, checked configuration: the spec, the world and the
// scenarios. It is never changed once loaded.
type Config struct {
	Spec      *tcbmock.Spec
	Apps      []*App      // in file order
	Scenarios []*Scenario // in file order
	// Components are the third-party platforms, in file order.
	Components []*Component
	// UnknownEnvErrcode is what getenvinfo answers for an env the app does
	// not have: 0, the default, is an empty info_list.
	UnknownEnvErrcode int
	Files             []string  // the files it was read from
	Digest            string    // SHA-256 of their contents
	LoadedAt          time.Time // wall-clock time it was loaded

	apps       map[string]*App
	scenarios  map[string]*Scenario
	components map[string]*Component
	parses     parses        // memo of parsed requests under this spec
	secrets    *secretFields // the fields the spec marks x-secret
}

// App returns the app with appid, or nil.
func (c *Config) App(appid string) *App { return c.apps[appid] }

// Component returns the third-party platform with component_appid appid, or nil.
func (c *Config) Component(appid string) *Component { return c.components[appid] }

// Scenario returns the scenario named name, or nil.
func (c *Config) Scenario(name string) *Scenario { return c.scenarios[name] }

// Load reads and checks a configuration. Every problem found is reported,
// each as a [*tcbmock.FileError], together in a [tcbmock.FileErrors].
func Load(ctx context.Context, f Files) (*Config, error) { return load(ctx, f.read()) }

// load checks the configuration of the files read in snap.
func load(ctx context.Context, snap *snapshot) (*Config, error) {
	if snap.spec.err != nil {
		return nil, &tcbmock.FileError{File: snap.spec.shown, Msg: readError(snap.spec.err)}
	}
	spec, err := tcbmock.LoadSpec(ctx, snap.spec.shown, snap.spec.data)
	if err != nil {
		return nil, err
	}
	c := &Config{Spec: spec, Files: []string{snap.spec.shown}, apps: map[string]*App{}, scenarios: map[string]*Scenario{}, components: map[string]*Component{},
		secrets: newSecretFields(spec.Secrets())}
	if snap.dirErr != nil {
		return nil, &tcbmock.FileError{File: snap.dirName, Msg: readError(snap.dirErr)}
	}
	var errs tcbmock.FileErrors
	var docs []*fileDoc
	for _, f := range snap.scenarios {
		c.Files = append(c.Files, f.shown)
		d, err := parseFile(f)
		errs.Add(err)
		if d != nil {
			docs = append(docs, d)
		}
	}
	for _, d := range docs {
		errs.Add(c.addScenarios(ctx, d))
	}
	for _, d := range docs {
		errs.Add(c.addApps(ctx, d))
	}
	for _, d := range docs {
		errs.Add(c.addComponents(d))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	c.Digest, c.LoadedAt = snap.digest, time.Now()
	return c, nil
}

func readError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func scenarioFiles(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if ext := path.Ext(e.Name()); !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// fileDoc is one parsed scenario file.
type fileDoc struct {
	doc  *yamlfile.Doc
	file fileYAML
}

// fileYAML is the shape of a scenario file.
type fileYAML struct {
	Apps              []App          `yaml:"apps"`
	Components        []Component    `yaml:"components"`
	UnknownEnvErrcode *int           `yaml:"unknown_env_errcode"`
	Scenarios         []scenarioYAML `yaml:"scenarios"`
}

func parseFile(f fileBytes) (*fileDoc, error) {
	if f.err != nil {
		return nil, &tcbmock.FileError{File: f.shown, Msg: readError(f.err)}
	}
	doc, err := yamlfile.Parse(f.shown, f.data)
	if err != nil {
		return nil, err
	}
	d := &fileDoc{doc: doc}
	if err := doc.Decode(&d.file); err != nil {
		return nil, err
	}
	return d, nil
}

// quoteList formats names for a message.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
