package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

func TestProfilerIsBehindTheAdminToken(t *testing.T) {
	m, err := mock.New(mock.WithAdminToken("s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	h := withProfiler(m)
	get := func(path, auth string) (int, int) {
		r := httptest.NewRequest("GET", path, nil)
		r.Host = "127.0.0.1:8080"
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code, w.Body.Len()
	}
	if code, _ := get("/__tcbmock/debug/pprof/heap", ""); code != http.StatusUnauthorized {
		t.Errorf("without the token: HTTP %d; want 401", code)
	}
	if code, _ := get("/__tcbmock/debug/pprof/heap", "Bearer wrong"); code != http.StatusUnauthorized {
		t.Errorf("with a wrong token: HTTP %d; want 401", code)
	}
	for _, path := range []string{"/__tcbmock/debug/pprof/", "/__tcbmock/debug/pprof/threadcreate?debug=1", "/__tcbmock/debug/pprof/goroutine?debug=1", "/__tcbmock/debug/pprof/cmdline"} {
		if code, n := get(path, "Bearer s3cret"); code != http.StatusOK || n == 0 {
			t.Errorf("%s: HTTP %d, %d bytes", path, code, n)
		}
	}
	if code, _ := get("/__tcbmock/health", ""); code != http.StatusOK {
		t.Errorf("health: HTTP %d; want the fake's answer", code)
	}
}

func TestTheFakeAloneServesNoProfiler(t *testing.T) {
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	m.ServeHTTP(w, httptest.NewRequest("GET", "/__tcbmock/debug/pprof/heap", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("HTTP %d; want 404", w.Code)
	}
}
