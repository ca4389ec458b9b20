package main

import (
	"net/http"
	"net/http/pprof"
	"strings"

	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
)

// profilerPrefix is where serve --pprof serves Go's profiler.
const profilerPrefix = mock.AdminPrefix + "debug/pprof/"

// withProfiler serves Go's profiler under profilerPrefix, behind m's admin
// token if it has one, and m everywhere else. It lives here, not in
// package mock, so that no program importing mock gets the profiler.
func withProfiler(m *mock.Server) http.Handler {
	// pprof.Index finds a profile's name after /debug/pprof/.
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	profiler := bridge.Guard(m, http.StripPrefix(strings.TrimSuffix(mock.AdminPrefix, "/"), mux))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, profilerPrefix) {
			profiler.ServeHTTP(w, r)
			return
		}
		m.ServeHTTP(w, r)
	})
}
