package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// withoutAdminAPI is the fake with its admin API hidden, as production has none.
func withoutAdminAPI(t *testing.T) http.Handler {
	t.Helper()
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, mock.AdminPrefix) {
			http.NotFound(w, r)
			return
		}
		m.ServeHTTP(w, r)
	})
}
