package proxy_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/proxy"
)

// received is a request as the upstream got it.
type received struct {
	Method, Path, RawQuery, Host, Body string
	Header                             http.Header
}

func TestTheUpstreamGetsTheRequestAsTheClientSentIt(t *testing.T) {
	got := make(chan received, 1)
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- received{r.Method, r.URL.Path, r.URL.RawQuery, r.Host, string(body), r.Header}
	})
	up := server(t, echo)
	_, srv := startProxy(t, up, &syncBuffer{})
	const query = "access_token=97_abc&b=%2F2&a=1&a=2"
	body := `{"env":"test2-4a89da"}` + "\n"
	r, _ := http.NewRequestWithContext(t.Context(), "PATCH", srv.URL+"/tcb/getenvinfo?"+query, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json;charset=utf-8")
	r.Header.Set("User-Agent", "my-sdk/1.0")
	r.Header.Add("X-Custom", "one")
	r.Header.Add("X-Custom", "two")
	r.Header.Set("X-Forwarded-For", "203.0.113.7")
	r.Header.Set(mock.ScenarioHeader, "system-busy")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	g := <-got
	want := received{Method: "PATCH", Path: "/tcb/getenvinfo", RawQuery: query, Host: strings.TrimPrefix(up, "http://"), Body: body}
	if g.Method != want.Method || g.Path != want.Path || g.RawQuery != want.RawQuery || g.Host != want.Host || g.Body != want.Body {
		t.Errorf("the upstream got %s %s?%s, Host %s, body %q; want %s %s?%s, Host %s, body %q",
			g.Method, g.Path, g.RawQuery, g.Host, g.Body, want.Method, want.Path, want.RawQuery, want.Host, want.Body)
	}
	for name, values := range map[string][]string{
		"Content-Type": {"application/json;charset=utf-8"}, "User-Agent": {"my-sdk/1.0"}, "X-Custom": {"one", "two"},
		"X-Forwarded-For": {"203.0.113.7"}, mock.ScenarioHeader: {"system-busy"},
	} {
		if !slices.Equal(g.Header[name], values) {
			t.Errorf("header %s: the upstream got %q; want %q", name, g.Header[name], values)
		}
	}
	for _, added := range []string{"X-Forwarded-Host", "X-Forwarded-Proto", "Via", "Forwarded"} {
		if v, ok := g.Header[added]; ok {
			t.Errorf("the proxy added %s: %q", added, v)
		}
	}
}

func TestTheJournalSaysWhoAskedForWhatAndTheUpstreamsRID(t *testing.T) {
	s := newSetup(t, nil)
	tok := token(t, s.srv.URL, secondAppID, secondSecret)
	rep := do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+tok, `{"env":"prod-7g3h5j"}`, mock.ScenarioHeader+": system-busy")
	rid := strings.TrimPrefix(apispec.RIDPattern.FindString(rep.Errmsg), " rid: ")
	if rid == "" {
		t.Fatalf("no rid in %s", rep.Body)
	}
	e := journal(t, s.srv.URL, "?rid="+rid)
	if len(e) != 1 || e[0].Operation != "getEnvInfo" || e[0].AppID != secondAppID || e[0].Env != "prod-7g3h5j" || e[0].Errcode == nil || *e[0].Errcode != -1 {
		t.Errorf("journal ?rid=%s: %+v; want getEnvInfo for %s, env prod-7g3h5j, errcode -1", rid, e, secondAppID)
	}
	if tokenEntry := journal(t, s.srv.URL, "?path=/cgi-bin/stable_token"); len(tokenEntry) != 1 || tokenEntry[0].Errcode != nil || tokenEntry[0].AppID != secondAppID {
		t.Errorf("the token exchange: %+v; want no errcode (a token answer carries none), appid %s", tokenEntry, secondAppID)
	}
}

// kin-openapi checks no body of an answer to HEAD.
func TestAnAnswerToHEADIsCheckedWithoutABody(t *testing.T) {
	s := newSetup(t, nil)
	rep := do(t, s.srv.URL, "HEAD", "/tcb/getenvinfo", "")
	if v := rep.Header.Values(proxy.ViolationsHeader); rep.Status != http.StatusOK || len(v) != 0 {
		t.Errorf("HEAD: HTTP %d, violations %q; want 200 and none", rep.Status, v)
	}
}

func TestAWrongStatusAndABrokenBodyAreBothReported(t *testing.T) {
	body := []byte(`{"errcode":0,"errmsg":"ok","info_list":[{"env":"x","alias":"x","create_time":"2019-04-04 14:10:28","update_time":"2019-04-04 14:10:28","status":"NORMAL","package_id":"basic"}]}`)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", apispec.ContentType)
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write(body)
	})
	_, srv := startProxy(t, server(t, h), &syncBuffer{})
	rep := do(t, srv.URL, "POST", "/tcb/getenvinfo?access_token=97_abc", "{}")
	want := []string{"HTTP status: expected HTTP 200, received 500", "/info_list/0/package_name: expected present, received absent"}
	if got := rep.Header.Values(proxy.ViolationsHeader); !slices.Equal(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}
}

func TestAClientThatLeavesIsJournaledAsSuch(t *testing.T) {
	log := &syncBuffer{}
	p, srv := startProxy(t, server(t, waiting(10*time.Second, false)), log)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	r, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/tcb/getenvinfo?access_token=97_abc", strings.NewReader("{}"))
	if _, err := http.DefaultClient.Do(r); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v; want the client's own timeout", err)
	}
	for deadline := time.Now().Add(5 * time.Second); len(p.Journal(mock.Filter{})) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("nothing journaled")
		}
	}
	if e := p.Journal(mock.Filter{})[0]; e.Cause != "upstream failure" || !strings.Contains(log.String(), "the client went away") {
		t.Errorf("journal %+v, log %q; want an upstream failure, the client gone", e, log.String())
	}
}
