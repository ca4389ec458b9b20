package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunSendsTheRequestAndCountsAnswers(t *testing.T) {
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.Header.Get("X-Case") != "a" || r.URL.RawQuery != "q=1" {
			w.WriteHeader(http.StatusBadRequest)
		}
		got.Add(1)
		_, _ = w.Write([]byte(`{"errcode":0}`))
	}))
	defer srv.Close()
	req, addr, err := buildRequest("POST", srv.URL+"/p?q=1", "{}", []string{"X-Case: a"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := run(addr, req, 4, 10*time.Second, 200)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 200 || res.Errors != 0 || got.Load() != 200 || res.P99ms < res.P50ms {
		t.Errorf("result %+v, server saw %d; want 200 answered requests", res, got.Load())
	}
}

func TestBuildRequestRefusesANonHTTPURL(t *testing.T) {
	if _, _, err := buildRequest("GET", "https://x/", "", nil); err == nil || !strings.Contains(err.Error(), "http://") {
		t.Errorf("got %v", err)
	}
}
