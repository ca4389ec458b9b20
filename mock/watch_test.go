package mock_test

import (
	"context"
	"io/fs"
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

// watched serves the embedded spec and the scenario directory dir, watched.
func watched(t *testing.T, dir string) *fake {
	t.Helper()
	files := mock.Embedded()
	files.Scenarios = append(files.Scenarios, mock.File{FS: os.DirFS(dir), Path: ".", Name: dir})
	c, err := mock.Load(t.Context(), files)
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, mock.WithConfig(c))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { f.Watch(ctx, files, 10*time.Millisecond); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return f
}

func writeScenario(t *testing.T, dir, errcode string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(strings.ReplaceAll(watchedScenario, "%s", errcode)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// eventually waits until cond holds, for at most 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s did not happen within 5 s", what)
}

func TestWatchReloadsAnEditedScenario(t *testing.T) {
	dir := t.TempDir()
	writeScenario(t, dir, "-1")
	f := watched(t, dir)
	wantErrcode(t, f.envs("", "{}", mock.ScenarioHeader+": mine"), -1)
	digest := f.Status().Digest
	writeScenario(t, dir, "45009")
	eventually(t, "the reload", func() bool { return f.envs("", "{}", mock.ScenarioHeader+": mine").Errcode == 45009 })
	if st := f.Status(); st.Digest == digest || st.Reloads != 2 || st.LastError != nil {
		t.Errorf("status %+v; want a new digest, 2 configurations, no error", st)
	}
}

func TestWatchKeepsTheLastGoodConfigurationOnABrokenEdit(t *testing.T) {
	dir := t.TempDir()
	writeScenario(t, dir, "-1")
	f := watched(t, dir)
	writeScenario(t, dir, "busy")
	eventually(t, "the refusal", func() bool { return f.Status().LastError != nil })
	st := f.Status()
	if len(st.LastError.Problems) == 0 || !strings.HasPrefix(st.LastError.Problems[0], filepath.Join(dir, "mine.yaml")+":4: ") {
		t.Errorf("problems %q; want mine.yaml:4: …", st.LastError.Problems)
	}
	wantErrcode(t, f.envs("", "{}", mock.ScenarioHeader+": mine"), -1)
	rep := f.do("GET", "/__tcbmock/config", "")
	if !strings.Contains(string(rep.Body), `"last_error":{`) || !strings.Contains(string(rep.Body), "mine.yaml:4:") {
		t.Errorf("GET config: %s", rep.Body)
	}
	writeScenario(t, dir, "48001")
	eventually(t, "the reload after the fix", func() bool { return f.envs("", "{}", mock.ScenarioHeader+": mine").Errcode == 48001 })
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
	f := newFake(t, mock.WithConfig(c))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go f.Watch(ctx, files, time.Millisecond)
	dir.reads <- before
	for range 3 { // three looks at a file truncated and not yet written: valid YAML, without the scenario
		dir.reads <- ""
	}
	dir.reads <- after
	close(dir.freed) // from now on every look sees the written file
	eventually(t, "the reload", func() bool { return f.Status().Reloads == 2 })
	wantErrcode(t, f.envs("", "{}", mock.ScenarioHeader+": mine"), 45009)
	if n := f.Status().Reloads; n != 2 {
		t.Errorf("%d configurations served; want 2: the half-written one never", n)
	}
}
