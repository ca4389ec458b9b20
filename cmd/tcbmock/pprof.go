package main

import (
	"crypto/subtle"
	"net/http"
	"net/http/pprof"
	"strings"

	"github.com/tcbmock/tcbmock/mock"
)

// profilerPrefix is where serve --pprof serves Go's profiler.
const profilerPrefix = mock.AdminPrefix + "debug/pprof/"

// withProfiler serves Go's profiler under profilerPrefix, behind the admin
// token if there is one, and h everywhere else. It lives here, not in
// package mock, so that no program importing mock gets the profiler.
func withProfiler(h http.Handler, adminToken string) http.Handler {
	// pprof.Index finds a profile's name after /debug/pprof/.
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	profiler := http.StripPrefix(strings.TrimSuffix(mock.AdminPrefix, "/"), mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, profilerPrefix) {
			h.ServeHTTP(w, r)
			return
		}
		got, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if adminToken != "" && (!bearer || subtle.ConstantTimeCompare([]byte(got), []byte(adminToken)) != 1) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tcbmock admin"`)
			http.Error(w, `{"error":"the profiler needs Authorization: Bearer TOKEN (serve --admin-token)"}`, http.StatusUnauthorized)
			return
		}
		profiler.ServeHTTP(w, r)
	})
}
