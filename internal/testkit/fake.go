package testkit

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// Load loads files, or fails the test.
func Load(tb testing.TB, files mock.Files) *mock.Config {
	tb.Helper()
	c, err := mock.Load(tb.Context(), files)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// Fake is a fake of files with opts, or fails the test.
func Fake(tb testing.TB, files mock.Files, opts ...mock.Option) *mock.Server {
	tb.Helper()
	m, err := mock.New(append([]mock.Option{mock.WithConfig(Load(tb, files))}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// SpecFile is the spec file at path, named openapi.yaml in messages.
func SpecFile(path string) mock.File {
	return mock.File{FS: os.DirFS(filepath.Dir(path)), Path: filepath.Base(path), Name: "openapi.yaml"}
}

// WithoutAdmin hides the admin API of h, as production has none.
func WithoutAdmin(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, mock.AdminPrefix) {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}
