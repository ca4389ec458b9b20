package main

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// load sends 200 requests to handler on 4 connections; a good answer
// carries errcode.
func load(t *testing.T, handler http.HandlerFunc, errcode int) result {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	req, addr, err := buildRequest("POST", srv.URL+"/p?q=1", "{}", []string{"X-Case: a"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := run(config{addr: addr, req: req, errcode: errcode, conns: 4, dur: 10 * time.Second, count: 200})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 200 || res.Errors != 0 || res.P99ms < res.P50ms {
		t.Errorf("result %+v; want 200 answered requests", res)
	}
	return res
}

func TestRunSendsTheRequestAndCountsGoodAnswers(t *testing.T) {
	var got atomic.Int64
	res := load(t, func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		if r.Method != "POST" || r.Header.Get("X-Case") != "a" || r.URL.RawQuery != "q=1" {
			w.WriteHeader(http.StatusBadRequest)
		}
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}, 0)
	if res.Good != 200 || got.Load() != 200 {
		t.Errorf("result %+v, server saw %d; want 200 good answers", res, got.Load())
	}
}

func TestRunCountsAnswersThatAreNotGoodApart(t *testing.T) {
	big := `{"errcode":-1,"errmsg":"system error","pad":"` + strings.Repeat("x", 40<<10) + `"}`
	for _, tc := range []struct {
		name     string
		status   int
		body     string
		errcode  int // of a good answer
		good     int64
		statuses map[int]int64
		errcodes map[string]int64
	}{
		{"ok", 200, `{"errcode":0,"errmsg":"ok"}`, 0, 200, nil, nil},
		{"the errcode measured", 200, `{"errcode":40001,"errmsg":"invalid credential"}`, 40001, 200, nil, nil},
		{"a token answer has no errcode", 200, `{"access_token":"97_x","expires_in":7200}`, 0, 200, nil, nil},
		{"a body over the read buffer", 200, big, -1, 200, nil, nil},
		{"HTTP 500", 500, `{"errcode":0,"errmsg":"ok"}`, 0, 0, map[int]int64{500: 200}, nil},
		{"HTTP 404 without errcode", 404, `not found`, 0, 0, map[int]int64{404: 200}, nil},
		{"errcode 41001", 200, `{"errcode":41001,"errmsg":"access_token missing"}`, 0, 0, nil, map[string]int64{"41001": 200}},
		{"no errcode for 40001", 200, `{"access_token":"97_x","expires_in":7200}`, 40001, 0, nil, map[string]int64{"0": 200}},
		{"errcode a string", 200, `{"errcode":"0"}`, 0, 0, nil, map[string]int64{`"0"`: 200}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := load(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Length", strconv.Itoa(len(tc.body))) // or a big body goes chunked
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}, tc.errcode)
			if res.Good != tc.good || !maps.Equal(res.Statuses, tc.statuses) || !maps.Equal(res.Errcodes, tc.errcodes) {
				t.Errorf("good %d, statuses %v, errcodes %v; want %d, %v, %v", res.Good, res.Statuses, res.Errcodes, tc.good, tc.statuses, tc.errcodes)
			}
			if (tc.good < 200) != strings.HasPrefix(res.FirstBad, "HTTP ") {
				t.Errorf("first bad answer %q with %d good answers", res.FirstBad, res.Good)
			}
		})
	}
}

func TestErrcodeOfAgreesWithEncodingJSON(t *testing.T) {
	for _, body := range []string{
		`{"errcode":0,"errmsg":"ok","info_list":[]}`,
		`{"errcode":-1,"errmsg":"system error rid: 6b0a3da2-4052d381-4b42cbf1"}`,
		`{"errmsg":"x","errcode":40001}`,
		`{"errcode": 42001 ,"errmsg":"x"}`,
		"{\n  \"errcode\":\t43002\n}",
		`{"errcode":"40001"}`,
		`{"access_token":"97_x","expires_in":7200}`,
	} {
		var v struct{ Errcode json.RawMessage }
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		want := string(v.Errcode)
		if want == "" {
			want = "0"
		}
		if got := string(errcodeOf([]byte(body))); got != want {
			t.Errorf("errcodeOf(%s) = %s; want %s", body, got, want)
		}
	}
}

func TestBuildRequestRefusesANonHTTPURL(t *testing.T) {
	if _, _, err := buildRequest("GET", "https://x/", "", nil); err == nil || !strings.Contains(err.Error(), "http://") {
		t.Errorf("got %v", err)
	}
}
