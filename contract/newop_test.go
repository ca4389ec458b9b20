package contract_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
)

// TestTheSuiteGrowsWithTheSpec runs the suite against a fake of the spec
// with the operation of mock/testdata/newop added, and its world: the
// checks derived from the spec exercise every errcode of that operation,
// with no Go that names it.
func TestTheSuiteGrowsWithTheSpec(t *testing.T) {
	const dir = "../mock/testdata/newop"
	spec := testkit.WithFragment(t, filepath.Join(dir, "operation.yaml"))
	files := mock.Embedded()
	files.Spec = testkit.SpecFile(spec)
	files.Scenarios = append(files.Scenarios, mock.File{FS: os.DirFS(dir), Path: "scenarios", Name: "newop"})
	c := testkit.Load(t, files)
	m, err := mock.New(mock.WithConfig(c))
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	var added string // the operation the embedded spec lacks
	for _, o := range bridge.Spec(c).Operations() {
		if bridge.Spec(embedded.Config()).Operation(o.ID) == nil {
			added = o.ID
		}
	}
	data, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	out, res := runFake(t, m, contract.Options{Spec: data, SpecName: spec})
	if !res.Passed(true) {
		t.Errorf("the suite failed against the fake of the grown spec:\n%s", out)
	}
	for _, row := range bridge.Spec(c).Operation(added).Errcodes {
		if want := fmt.Sprintf("%s forced to %d by %s", added, row.Code, row.Scenario); row.Code != 0 && !strings.Contains(out, want) {
			t.Errorf("no check %s", want)
		}
		for _, cause := range row.When {
			if want := fmt.Sprintf("%s answers %d to %s", added, row.Code, cause); !strings.Contains(out, want) {
				t.Errorf("no check that %s", want)
			}
		}
	}
	if want := added + " answers a valid call"; !strings.Contains(out, want) {
		t.Errorf("no check that %s", want)
	}
}
