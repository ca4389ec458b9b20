package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// The overlays of mock/testdata/newop: a listing operation, and one whose
// answer expressions count over the world; and that world.
const (
	newopList   = "../../mock/testdata/newop/operation.yaml"
	newopCount  = "../../mock/testdata/newop/count.yaml"
	newopWorld  = "../../mock/testdata/newop/scenarios"
	newopAppID  = "wx0123456789abcd01"
	newopSecret = "0123456789abcdef0123456789abcd01"
)

// checkOverlaid runs check against url with the newop overlays, as the
// newop app.
func checkOverlaid(t *testing.T, url string) (string, int) {
	t.Helper()
	clearCredentials(t)
	out, errOut, code := runCLI(t, "check", "--target", url, "--overlay", newopList, "--overlay", newopCount,
		"--appid", newopAppID, "--secret", newopSecret, "--tags", "@causes", "--format", "pretty")
	return out + errOut, code
}

func TestAnOverlayAddsAComputedOperationThatCheckPasses(t *testing.T) {
	url, _ := serveInProcess(t, "--overlay", newopList, "--overlay", newopCount, "--scenarios", newopWorld)
	out, code := checkOverlaid(t, url)
	if code != 0 {
		t.Fatalf("check of a fake serving the overlays: exit %d; want 0\n%s", code, out)
	}
	for _, want := range []string{"databaseCollectionCount", "databaseCollectionGet"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report does not name %s: the overlay's checks did not run\n%s", want, out)
		}
	}
}

func TestCheckFailsAFakeThatComputesAnOverlaysAnswerWrongly(t *testing.T) {
	data, err := os.ReadFile(newopCount)
	if err != nil {
		t.Fatal(err)
	}
	wrong := filepath.Join(t.TempDir(), "count.yaml")
	edited := strings.Replace(string(data), "collections: len(app.collections)", "collections: len(app.collections) + 1", 1)
	if err := os.WriteFile(wrong, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	url, _ := serveInProcess(t, "--overlay", newopList, "--overlay", wrong, "--scenarios", newopWorld)
	out, code := checkOverlaid(t, url)
	if code != 1 || !strings.Contains(out, "collections: expected 2, as the target's world computes it; received 3") {
		t.Fatalf("check of a fake that counts one collection too many: exit %d; want 1, naming collections\n%s", code, out)
	}
}

func TestLintRefusesAnOverlayThatClashesWithTheSpec(t *testing.T) {
	dir := t.TempDir()
	clash := filepath.Join(dir, "clash.yaml")
	if err := os.WriteFile(clash, []byte("paths:\n  /tcb/getenvinfo:\n    post: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "lint", "--overlay", clash)
	errOut += out
	if code != 1 || !strings.Contains(errOut, clash+`:2: path "/tcb/getenvinfo" is already in openapi.yaml:`) {
		t.Fatalf("exit %d, stderr %q; want 1 and the clash at its line", code, errOut)
	}
}

// A fake whose overlay listing drops the app's last collection: only the
// derived check of the listing's content catches it.
func TestCheckFailsAFakeWhoseOverlayListingLeavesAnEntityOut(t *testing.T) {
	files := mock.Embedded()
	files.Overlays = []mock.File{specFile(newopList), specFile(newopCount)}
	files.Scenarios = append(files.Scenarios, mock.File{FS: os.DirFS(newopWorld), Path: ".", Name: newopWorld})
	c, err := mock.Load(t.Context(), files)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mock.New(mock.WithConfig(c))
	if err != nil {
		t.Fatal(err)
	}
	lastOut := regexp.MustCompile(`,\{"name":"orders"[^}]*\}\]`)
	url := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/tcb/databasecollectionget" {
			m.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
		_, _ = w.Write(lastOut.ReplaceAll(rec.Body.Bytes(), []byte("]")))
	}))
	out, code := checkOverlaid(t, url)
	if code != 1 || !strings.Contains(out, "collections: expected the app's 2 collections, as the target's world has them") {
		t.Fatalf("exit %d; want 1, naming the collections\n%s", code, out)
	}
}
