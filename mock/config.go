package mock

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/suggest"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
	"github.com/tcbmock/tcbmock/mock/internal/redact"
)

// Config is a loaded, checked configuration: the spec, the world and the
// scenarios, with every answer the spec lets the fake render made ready.
// It never changes once loaded, and servers share it.
type Config struct {
	Files    []string  // the files it was read from
	Digest   string    // SHA-256 of their contents
	LoadedAt time.Time // wall-clock time it was loaded
	// Warnings are what is not wrong, but likely not meant: a world with
	// no app, say. serve logs them; lint reports them.
	Warnings []string

	spec      *apispec.Spec
	world     *world
	scenarios []*Scenario // in file order
	byName    map[string]*Scenario
	ops       map[*apispec.Operation]*templates
	secrets   *redact.Secrets // the fields the spec marks x-secret
}

// Apps returns the apps of the world, in file order.
func (c *Config) Apps() []*App { return c.world.apps }

// App returns the app with appid, or nil.
func (c *Config) App(appid string) *App { return c.world.app(appid) }

// Scenarios returns the scenarios, those derived from the errcode tables
// first, then those of the files, in file order.
func (c *Config) Scenarios() []*Scenario { return c.scenarios }

// Scenario returns the scenario named name, or nil.
func (c *Config) Scenario(name string) *Scenario { return c.byName[name] }

// unknownScenario is [ErrUnknownScenario] for name, with the name it most
// likely meant.
func (c *Config) unknownScenario(name string) error {
	return fmt.Errorf("%w %q%s", ErrUnknownScenario, name, suggest.DidYouMean(name, slices.Sorted(maps.Keys(c.byName))))
}

// File is a file or a directory of an fs.FS, and the name messages give it.
type File struct {
	FS   fs.FS
	Path string // in FS; "." for the whole of it
	Name string // in messages; Path if empty
}

func (f File) name() string {
	if f.Name != "" {
		return f.Name
	}
	return f.Path
}

// Files says where a configuration is read from: a spec, and scenario
// directories whose files (every *.yaml and *.yml, in name order) add up,
// world and scenarios alike.
type Files struct {
	Spec File
	// Overlays add operations and schemas to Spec, in order (see
	// [tcbmock.Overlay]).
	Overlays  []File
	Scenarios []File
}

// Embedded returns the spec and the scenario directory built into tcbmock.
func Embedded() Files {
	return Files{
		Spec:      File{FS: tcbmock.FS(), Path: tcbmock.SpecFile},
		Scenarios: []File{{FS: tcbmock.FS(), Path: tcbmock.ScenarioDir}},
	}
}

// Load reads and checks a configuration. Every problem found is reported,
// one a line, as "file:line: what is wrong".
func Load(ctx context.Context, f Files) (*Config, error) { return load(ctx, f.read()) }

// embedded is the configuration built into tcbmock, loaded once and shared.
var embedded = sync.OnceValues(func() (*Config, error) { return Load(context.Background(), Embedded()) })

// load checks the configuration whose files snap read.
func load(ctx context.Context, snap *snapshot) (*Config, error) {
	spec, err := loadSpec(ctx, snap.spec, snap.overlays)
	if err != nil {
		return nil, err
	}
	c := &Config{spec: spec, Digest: snap.digest, byName: map[string]*Scenario{}, ops: map[*apispec.Operation]*templates{},
		secrets: redact.NewSecrets(spec.Secrets())}
	var errs yamlfile.List
	for _, o := range spec.Operations() {
		op, err := newTemplates(ctx, spec, o)
		errs.Add(err)
		c.ops[o] = op
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	c.Files = append(c.Files, snap.spec.shown)
	for _, o := range snap.overlays {
		c.Files = append(c.Files, o.shown)
	}
	var docs []*fileDoc
	for _, dir := range snap.dirs {
		if dir.err != nil {
			errs.Add(&yamlfile.Error{File: dir.shown, Msg: readError(dir.err)})
		}
		for _, f := range dir.files {
			c.Files = append(c.Files, f.shown)
			d, err := parseFile(f)
			errs.Add(err)
			if d != nil {
				docs = append(docs, d)
			}
		}
	}
	errs.Add(c.deriveScenarios())
	for _, d := range docs {
		errs.Add(c.addScenarios(ctx, d))
	}
	c.world, err = c.loadWorld(ctx, docs)
	errs.Add(err)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(c.world.apps) == 0 {
		var dirs []string
		for _, d := range snap.dirs {
			dirs = append(dirs, d.shown)
		}
		c.Warnings = append(c.Warnings, fmt.Sprintf("%s: the world has no app, so no client can get a token "+
			"(scenario directories add to the embedded world unless they replace it)", cmp.Or(strings.Join(dirs, ", "), "no scenario directory")))
	}
	c.LoadedAt = time.Now()
	return c, nil
}

// loadSpec loads the spec read in f, or shares the embedded one when f
// holds its very bytes under its name.
func loadSpec(ctx context.Context, f fileBytes, overlays []fileBytes) (*apispec.Spec, error) {
	if f.err != nil {
		return nil, &yamlfile.Error{File: f.shown, Msg: readError(f.err)}
	}
	if len(overlays) > 0 {
		var ovs []apispec.Overlay
		for _, o := range overlays {
			if o.err != nil {
				return nil, &yamlfile.Error{File: o.shown, Msg: readError(o.err)}
			}
			ovs = append(ovs, apispec.Overlay{File: o.shown, Data: o.data})
		}
		return apispec.LoadWith(ctx, f.shown, f.data, ovs...)
	}
	if f.shown == tcbmock.SpecFile {
		if data, err := fs.ReadFile(tcbmock.FS(), tcbmock.SpecFile); err == nil && bytes.Equal(data, f.data) {
			return apispec.Shared() // most configurations, every fake of a Go test's among them

		}
	}
	return apispec.Load(ctx, f.shown, f.data)
}

// templates returns how the fake renders the answers of the spec's operation o.
func (c *Config) templates(o *apispec.Operation) *templates { return c.ops[o] }

func readError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// snapshot is the contents of a configuration's files, read once: what is
// hashed is what is loaded.
type snapshot struct {
	spec     fileBytes
	overlays []fileBytes
	dirs     []dirBytes
	digest   string // SHA-256 of all of it, errors included
}

// fileBytes is one file's contents, or why it could not be read.
type fileBytes struct {
	shown string // its name in messages
	data  []byte
	err   error
}

// dirBytes is a scenario directory's files, or why it could not be listed.
type dirBytes struct {
	shown string
	files []fileBytes // every *.yaml and *.yml, in name order
	err   error
}

// read reads every file of the configuration once.
func (f Files) read() *snapshot {
	snap := &snapshot{}
	h := sha256.New()
	note := func(shown string, data []byte, err error) {
		h.Write([]byte(shown + "\x00"))
		h.Write(data)
		if err != nil {
			h.Write([]byte(err.Error()))
		}
		h.Write([]byte{0})
	}
	readFile := func(fsys fs.FS, name, shown string) fileBytes {
		fb := fileBytes{shown: shown}
		fb.data, fb.err = fs.ReadFile(fsys, name)
		note(shown, fb.data, fb.err)
		return fb
	}
	snap.spec = readFile(f.Spec.FS, f.Spec.Path, f.Spec.name())
	for _, o := range f.Overlays {
		snap.overlays = append(snap.overlays, readFile(o.FS, o.Path, o.name()))
	}
	for _, dir := range f.Scenarios {
		db := dirBytes{shown: dir.name()}
		var names []string
		names, db.err = scenarioFiles(dir.FS, dir.Path)
		note(db.shown, nil, db.err)
		for _, name := range names {
			db.files = append(db.files, readFile(dir.FS, path.Join(dir.Path, name), filepath.Join(db.shown, name)))
		}
		snap.dirs = append(snap.dirs, db)
	}
	snap.digest = hex.EncodeToString(h.Sum(nil))
	return snap
}

func scenarioFiles(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
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
