package mock_test

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tcbmock/tcbmock/mock"
)

const watchedScenario = "scenarios:\n  - name: mine\n    description: the scenario being edited\n    errcode: %s\n"

// reloadLog hands a test the watcher's reload log lines, in order: the test
// waits for the line rather than polling the answers in a race with the
// watcher's polls.
type reloadLog chan string

func (l reloadLog) Enabled(context.Context, slog.Level) bool { return true }
func (l reloadLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l reloadLog) WithGroup(string) slog.Handler            { return l }
func (l reloadLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "reloaded" || strings.HasPrefix(r.Message, "reload refused") {
		l <- r.Message
	}
	return nil
}

// next waits for the watcher's next reload line and checks that it starts
// with want.
func (l reloadLog) next(t *testing.T, want string) {
	t.Helper()
	select {
	case got := <-l:
		if !strings.HasPrefix(got, want) {
			t.Fatalf("the watcher logged %q; want %q", got, want)
		}
	case <-time.After(time.Minute): // a guard against a hang, not a bound on speed
		t.Fatalf("the watcher never logged %q", want)
	}
}

// watched serves the embedded spec and the scenario directory dir, watched;
// the watcher's reload lines go to the reloadLog.
func watched(t *testing.T, dir string) (*fake, reloadLog) {
	t.Helper()
	files := mock.Embedded()
	files.Scenarios = append(files.Scenarios, mock.File{FS: os.DirFS(dir), Path: ".", Name: dir})
	c, err := mock.Load(t.Context(), files)
	if err != nil {
		t.Fatal(err)
	}
	log := make(reloadLog, 8)
	f := newFake(t, mock.WithConfig(c), mock.WithLogger(slog.New(log)))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { f.Watch(ctx, files, 10*time.Millisecond); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return f, log
}

// writeScenario saves dir/mine.yaml as an editor does: it writes a
// temporary file and renames it over mine.yaml, so that every look at
// mine.yaml sees a whole file. TestWatchNeverServesAFileCaughtMidWrite
// covers a file rewritten in place.
func writeScenario(t *testing.T, dir, errcode string) {
	t.Helper()
	tmp := filepath.Join(dir, ".mine.yaml.swp")
	if err := os.WriteFile(tmp, []byte(strings.ReplaceAll(watchedScenario, "%s", errcode)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "mine.yaml")); err != nil {
		t.Fatal(err)
	}
}

func TestWatchReloadsAnEditedScenario(t *testing.T) {
	dir := t.TempDir()
	writeScenario(t, dir, "-1")
	f, log := watched(t, dir)
	wantErrcode(t, f.envs("", "{}", mock.ScenarioHeader+": mine"), -1)
	digest := f.Status().Digest
	writeScenario(t, dir, "45009")
	log.next(t, "reloaded")
	wantErrcode(t, f.envs("", "{}", mock.ScenarioHeader+": mine"), 45009)
	if st := f.Status(); st.Digest == digest || st.Reloads != 2 || st.LastError != nil {
		t.Errorf("status %+v; want a new digest, 2 configurations, no error", st)
	}
}

func TestWatchKeepsTheLastGoodConfigurationOnABrokenEdit(t *testing.T) {
	dir := t.TempDir()
	writeScenario(t, dir, "-1")
	f, log := watched(t, dir)
	writeScenario(t, dir, "busy")
	log.next(t, "reload refused")
	st := f.Status()
	if st.LastError == nil || len(st.LastError.Problems) == 0 || !strings.HasPrefix(st.LastError.Problems[0], filepath.Join(dir, "mine.yaml")+":4: ") {
		t.Fatalf("last error %+v; want mine.yaml:4: …", st.LastError)
	}
	wantErrcode(t, f.envs("", "{}", mock.ScenarioHeader+": mine"), -1)
	rep := f.do("GET", "/__tcbmock/config", "")
	if !strings.Contains(string(rep.Body), `"last_error":{`) || !strings.Contains(string(rep.Body), "mine.yaml:4:") {
		t.Errorf("GET config: %s", rep.Body)
	}
	writeScenario(t, dir, "48001")
	log.next(t, "reloaded")
	wantErrcode(t, f.envs("", "{}", mock.ScenarioHeader+": mine"), 48001)
	if f.Status().LastError != nil {
		t.Error("the error stayed after a good reload")
	}
}

func TestWatchStopsWithItsContext(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { f.Watch(ctx, mock.Embedded(), time.Millisecond); close(done) }()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Watch did not return")
	}
}

// polledFS is a one-file scenario directory whose contents the test hands
// to each read of the file, through reads, until freed is closed: the test
// knows exactly what the watcher saw at each look.
type polledFS struct {
	reads chan string
	freed chan struct{}
	mu    sync.Mutex
	data  string // what the last read saw
}

func (p *polledFS) Open(name string) (fs.File, error) {
	if name == "mine.yaml" {
		select {
		case d := <-p.reads:
			p.mu.Lock()
			p.data = d
			p.mu.Unlock()
		case <-p.freed:
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return fstest.MapFS{"mine.yaml": {Data: []byte(p.data)}}.Open(name)
}

func TestWatchNeverServesAFileCaughtMidWrite(t *testing.T) {
	before, after := strings.ReplaceAll(watchedScenario, "%s", "-1"), strings.ReplaceAll(watchedScenario, "%s", "45009")
	dir := &polledFS{reads: make(chan string), freed: make(chan struct{}), data: before}
	files := mock.Embedded()
	files.Scenarios = append(files.Scenarios, mock.File{FS: dir, Path: ".", Name: "dir"})
	close(dir.freed)
	c, err := mock.Load(t.Context(), files)
	if err != nil {
		t.Fatal(err)
	}
	dir.freed = make(chan struct{})
	log := make(reloadLog, 8)
	f := newFake(t, mock.WithConfig(c), mock.WithLogger(slog.New(log)))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go f.Watch(ctx, files, time.Millisecond)
	dir.reads <- before
	for range 3 { // three looks at a file truncated and not yet written: valid YAML, without the scenario
		dir.reads <- ""
	}
	dir.reads <- after
	close(dir.freed) // from now on every look sees the written file
	log.next(t, "reloaded")
	wantErrcode(t, f.envs("", "{}", mock.ScenarioHeader+": mine"), 45009)
	if n := f.Status().Reloads; n != 2 {
		t.Errorf("%d configurations served; want 2: the half-written one never", n)
	}
}
