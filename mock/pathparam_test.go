package mock_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
)

// TestAPathParameterIsValidatedOnEveryPath: what a request says is
// remembered by its path too, so that a path parameter the spec refuses is
// refused after a good one, and a good one answered after a bad one.
func TestAPathParameterIsValidatedOnEveryPath(t *testing.T) {
	files := mock.Embedded()
	files.Spec = mock.File{FS: os.DirFS("/"), Path: strings.TrimPrefix(testkit.WithFragment(t, "testdata/pathparam/operation.yaml"), "/"), Name: "openapi.yaml"}
	m := testkit.Fake(t, files)
	for _, tc := range []struct {
		path    string
		errcode int
	}{
		{"/tcb/x/abc", 0}, {"/tcb/x/123", 40097}, {"/tcb/x/123", 40097}, {"/tcb/x/abc", 0},
	} {
		w := httptest.NewRecorder()
		m.ServeHTTP(w, httptest.NewRequest(http.MethodGet, tc.path, nil))
		var got struct{ Errcode int }
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got.Errcode != tc.errcode {
			t.Errorf("GET %s: %s; want errcode %d", tc.path, w.Body, tc.errcode)
		}
	}
}
