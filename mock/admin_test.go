package mock_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/mock"
)

func TestAdminHealth(t *testing.T) {
	f := newFake(t)
	if rep := f.do("GET", "/__tcbmock/health", ""); rep.Status != 200 || string(rep.Body) != `{"status":"ok"}` {
		t.Errorf("got HTTP %d %s; want 200 {\"status\":\"ok\"}", rep.Status, rep.Body)
	}
}

func TestAdminAppsListsCredentials(t *testing.T) {
	f := newFake(t)
	got := decode[struct{ Apps []mock.App }](t, f.do("GET", "/__tcbmock/apps", "")).Apps
	if len(got) != 11 || got[0].AppID != demoAppID || got[0].Secret != demoSecret || len(got[1].Entities["envs"]) != 2 || got[2].Scenario != "retry-then-ok" ||
		len(got[3].Access.IPWhitelist) != 2 || got[4].Access.Quota == nil || got[4].Access.Quota.Daily != 3 || got[5].Access.State != "frozen secret" {
		t.Errorf("got %+v; want the eleven apps of the default world, the fourth's whitelist and the fifth's quota", got)
	}
}

func TestAdminScenariosListsNameDescriptionErrcode(t *testing.T) {
	f := newFake(t)
	got := decode[struct {
		Scenarios []struct {
			Name, Description string
			Errcode           *int
			Operations        []string
		}
	}](t, f.do("GET", "/__tcbmock/scenarios", ""))
	if len(got.Scenarios) != len(f.Config().Scenarios()) {
		t.Fatalf("got %d scenarios; want %d", len(got.Scenarios), len(f.Config().Scenarios()))
	}
	for _, sc := range got.Scenarios {
		if sc.Name == "system-busy" && (sc.Errcode == nil || *sc.Errcode != -1 || sc.Description == "" || !slices.Contains(sc.Operations, "getEnvInfo")) {
			t.Errorf("system-busy listed as %+v", sc)
		}
		if sc.Name == "retry-then-ok" && sc.Errcode != nil {
			t.Errorf("a sequence listed with errcode %d", *sc.Errcode)
		}
	}
}

func TestAdminJournalRecordsAndFilters(t *testing.T) {
	f := newFake(t)
	tok := f.token(secondAppID, secondSecret)
	f.envs(tok, `{"env":"prod-7g3h5j"}`)
	f.envs("", "{}", mock.ScenarioHeader+": system-busy")
	all := decode[struct{ Requests []mock.Entry }](t, f.do("GET", "/__tcbmock/requests", "")).Requests
	if len(all) != 3 || all[0].Path != "/cgi-bin/token" || all[2].Scenario != "system-busy" || *all[2].Errcode != -1 {
		t.Fatalf("journal %+v; want token, getenvinfo, forced -1", all)
	}
	e := all[1]
	if e.Method != "POST" || e.Body != `{"env":"prod-7g3h5j"}` || e.Query["access_token"] != tok || e.AppID != secondAppID ||
		e.Env != "prod-7g3h5j" || e.Errcode == nil || *e.Errcode != 0 || e.Operation != "getEnvInfo" || !e.Time.Equal(fixedNow) || e.RID == "" {
		t.Errorf("entry %+v", e)
	}
	for query, want := range map[string]int{
		"?path=/tcb/getenvinfo": 2, "?rid=" + e.RID: 1, "?appid=" + secondAppID: 2, "?env=prod-7g3h5j": 1,
		"?errcode=-1": 1, "?scenario=system-busy": 1, "?operation=getAccessToken": 1,
		"?since=" + fixedNow.Add(time.Second).Format(time.RFC3339): 0, "?path=/tcb/getenvinfo&errcode=0": 1,
	} {
		got := decode[struct{ Requests []mock.Entry }](t, f.do("GET", "/__tcbmock/requests"+query, "")).Requests
		if len(got) != want {
			t.Errorf("requests%s: got %d; want %d", query, len(got), want)
		}
	}
	for _, bad := range []string{"?errcode=x", "?since=yesterday", "?color=red"} {
		if rep := f.do("GET", "/__tcbmock/requests"+bad, ""); rep.Status != http.StatusBadRequest {
			t.Errorf("requests%s: got HTTP %d; want 400", bad, rep.Status)
		}
	}
	f.do("DELETE", "/__tcbmock/requests", "")
	if got := f.Journal(mock.Filter{}); len(got) != 0 {
		t.Errorf("after DELETE the journal holds %+v; want nothing (admin calls are not journaled)", got)
	}
}

func TestJournalIsARing(t *testing.T) {
	f := newFake(t, mock.WithJournalSize(10))
	for range 25 {
		f.envs("", "{}")
	}
	f.envs("", `{"last":true}`)
	got := f.Journal(mock.Filter{})
	if len(got) != 10 || got[9].Body != `{"last":true}` {
		t.Errorf("got %d entries ending %q; want the last 10", len(got), got[len(got)-1].Body)
	}
}

func TestJournalKeepsABoundedBodyAndSaysSo(t *testing.T) {
	f := newFake(t)
	f.envs("", `{"env":"`+strings.Repeat("x", 100000)+`"}`)
	e := f.Journal(mock.Filter{})[0]
	if len(e.Body) != 4096 || !slices.Equal(e.Truncated, []string{"body"}) {
		t.Errorf("journal kept %d bytes of body, truncated %q; want 4096 and [body]", len(e.Body), e.Truncated)
	}
}

func TestAdminMintsTokens(t *testing.T) {
	f := newFake(t)
	rep := f.do("POST", "/__tcbmock/tokens", `{"appid":"`+secondAppID+`","scenario":"invalid-credential"}`)
	bound := decode[tokenReply](t, rep)
	if rep.Status != 200 || bound.ExpiresIn != 7200 || !tokenShape.MatchString(bound.AccessToken) {
		t.Fatalf("got HTTP %d %s", rep.Status, rep.Body)
	}
	wantErrcode(t, f.envs(bound.AccessToken, "{}"), 40001)
	short := decode[tokenReply](t, f.do("POST", "/__tcbmock/tokens", `{"appid":"`+secondAppID+`","expires_in":60}`))
	if short.ExpiresIn != 60 {
		t.Errorf("got expires_in %d; want 60", short.ExpiresIn)
	}
	plain := decode[tokenReply](t, f.do("POST", "/__tcbmock/tokens", `{"appid":"`+secondAppID+`"}`))
	wantErrcode(t, f.envs(short.AccessToken, "{}"), 0)
	f.token(secondAppID, secondSecret) // minted tokens are outside the rotation
	f.advance("61s")
	wantErrcode(t, f.envs(short.AccessToken, "{}"), 42001)
	f.advance("10m")
	wantErrcode(t, f.envs(plain.AccessToken, "{}"), 0)
}

func TestAdminRejectsBadRequestsWithJSON(t *testing.T) {
	f := newFake(t)
	for _, tc := range []struct{ method, path, body string }{
		{"POST", "/__tcbmock/tokens", `{"appid":"wx0000000000000000"}`},
		{"POST", "/__tcbmock/tokens", `{"appid":"` + demoAppID + `","scenario":"nope"}`},
		{"POST", "/__tcbmock/tokens", `{"appid":"` + demoAppID + `","expires_in":0}`},
		{"POST", "/__tcbmock/tokens", `{"appid":"` + demoAppID + `","colour":"red"}`},
		{"POST", "/__tcbmock/tokens", `{`},
		{"POST", "/__tcbmock/clock", `{"advance":"soon"}`},
		{"POST", "/__tcbmock/clock", `{"advance":"-1h"}`},
		{"GET", "/__tcbmock/nope", ``},
		{"GET", "/__tcbmock/", ``},
		{"PUT", "/__tcbmock/health", ``},
		{"GET", "/__tcbmock/reset", ``},
	} {
		rep := f.do(tc.method, tc.path, tc.body)
		var e struct{ Error string }
		if rep.Status < 400 || rep.Status > 499 || json.Unmarshal(rep.Body, &e) != nil || e.Error == "" {
			t.Errorf("%s %s %s: got HTTP %d %s; want 4xx {\"error\":…}", tc.method, tc.path, tc.body, rep.Status, rep.Body)
		}
	}
}

func TestAdminClockAdvances(t *testing.T) {
	f := newFake(t)
	rep := f.do("POST", "/__tcbmock/clock", `{"advance":"2h"}`)
	if got := decode[struct{ Now string }](t, rep).Now; got != fixedNow.Add(2*time.Hour).Format(time.RFC3339) {
		t.Errorf("got now %s; want %s", got, fixedNow.Add(2*time.Hour).Format(time.RFC3339))
	}
	if got := decode[struct{ Now string }](t, f.do("GET", "/__tcbmock/clock", "")).Now; got != fixedNow.Add(2*time.Hour).Format(time.RFC3339) {
		t.Errorf("GET clock: got %s", got)
	}
}

func TestAdminResetRestoresTheStart(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	f.advance("1h")
	rep := f.do("POST", "/__tcbmock/reset", "")
	if got := decode[struct{ Now string }](t, rep).Now; got != fixedNow.Format(time.RFC3339) {
		t.Errorf("after reset the clock says %s; want %s", got, fixedNow.Format(time.RFC3339))
	}
	if n := len(f.Journal(mock.Filter{})); n != 0 {
		t.Errorf("after reset the journal holds %d", n)
	}
	wantErrcode(t, f.envs(tok, "{}"), 40001)
}

func TestAdminTokenGuardsTheAdminAPI(t *testing.T) {
	f := newFake(t, mock.WithAdminToken("s3cret"))
	for _, h := range [][]string{nil, {"Authorization: Bearer wrong"}, {"Authorization: s3cret"}} {
		rep := f.do("GET", "/__tcbmock/apps", "", h...)
		if rep.Status != http.StatusUnauthorized || !strings.Contains(string(rep.Body), `"error":`) || rep.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%v: HTTP %d %s; want 401 with a JSON error", h, rep.Status, rep.Body)
		}
	}
	if rep := f.do("GET", "/__tcbmock/apps", "", "Authorization: Bearer s3cret"); rep.Status != http.StatusOK {
		t.Errorf("with the token: HTTP %d", rep.Status)
	}
	if rep := f.do("GET", "/__tcbmock/health", ""); rep.Status != http.StatusOK {
		t.Errorf("health without the token: HTTP %d; want 200", rep.Status)
	}
	if rep := f.do("POST", "/__tcbmock/clock", `{"advance":"1h"}`); rep.Status != http.StatusUnauthorized {
		t.Errorf("clock without the token: HTTP %d; want 401", rep.Status)
	}
	wantErrcode(t, f.envs("", "{}"), 41001) // the WeChat API needs no admin token
}

func TestAdminClockNeverMovesBackwards(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	f.advance("3h")
	for range 2 { // twice used to wrap the clock around to before the token expired
		if rep := f.do("POST", "/__tcbmock/clock", `{"advance":"2562047h"}`); rep.Status != http.StatusBadRequest || !strings.Contains(string(rep.Body), "at most 876000h") {
			t.Errorf("advance 2562047h: got HTTP %d %s; want 400 naming the bound", rep.Status, rep.Body)
		}
	}
	f.advance("875997h") // the rest of the century
	if rep := f.do("POST", "/__tcbmock/clock", `{"advance":"1s"}`); rep.Status != http.StatusBadRequest {
		t.Errorf("advance past the century: got HTTP %d %s; want 400", rep.Status, rep.Body)
	}
	if got, want := decode[struct{ Now string }](t, f.do("GET", "/__tcbmock/clock", "")).Now, fixedNow.Add(876000*time.Hour).Format(time.RFC3339); got != want {
		t.Errorf("clock %s; want %s", got, want)
	}
	wantErrcode(t, f.envs(tok, "{}"), 42001)
}

func TestAdminRefusesATokenLifetimeThatWouldOverflow(t *testing.T) {
	f := newFake(t)
	for _, expiresIn := range []string{"18446744074", "9223372036", "3153600001"} {
		rep := f.do("POST", "/__tcbmock/tokens", `{"appid":"`+demoAppID+`","expires_in":`+expiresIn+`}`)
		if rep.Status != http.StatusBadRequest || !strings.Contains(string(rep.Body), "want 1 to 3153600000 seconds") {
			t.Errorf("expires_in %s: got HTTP %d %s; want 400 naming the bound", expiresIn, rep.Status, rep.Body)
		}
	}
}

func TestAdminListsKeepTheirShape(t *testing.T) {
	f := newFake(t)
	f.raw("POST", "/tcb/getenvinfo", "{}", mock.ScenarioHeader+": bad-gateway")
	var journal struct {
		Requests []map[string]json.RawMessage `json:"requests"`
	}
	if err := json.Unmarshal(f.do("GET", "/__tcbmock/requests", "").Body, &journal); err != nil || len(journal.Requests) != 1 {
		t.Fatalf("journal: %v %+v", err, journal)
	}
	for _, field := range []string{"time", "method", "path", "query", "header", "body", "operation", "appid", "component", "env", "scenario", "status", "answer", "cause", "fault", "rid", "truncated"} {
		if _, ok := journal.Requests[0][field]; !ok {
			t.Errorf("a journal entry lacks %q: %s", field, f.do("GET", "/__tcbmock/requests", "").Body)
		}
	}
	if _, ok := journal.Requests[0]["errcode"]; ok {
		t.Error("a gateway page is journaled with an errcode")
	}
	scenarios := string(f.do("GET", "/__tcbmock/scenarios", "").Body)
	for _, want := range []string{`"name":"dribbled-body","description":`, `"steps":[{"natural":true,"fault":"dribble","dribble":"5s"}]`, `"steps":[{"fault":"reset"}]`, `"delay":"3s"`} {
		if !strings.Contains(scenarios, want) {
			t.Errorf("GET scenarios lacks %s", want)
		}
	}
	c, err := loadScenarios(t, "scenarios:\n  - name: x\n    description: d\n    operations: [getEnvInfo]\n    errcode: -1\n")
	if err != nil {
		t.Fatal(err)
	}
	empty := newFake(t, mock.WithConfig(c))
	if apps := string(empty.do("GET", "/__tcbmock/apps", "").Body); apps != `{"apps":[],"components":[]}` {
		t.Errorf("apps of an empty world: %s; want empty lists", apps)
	}
}

func TestAdminAppsListsEntitiesAsTheAnswersDo(t *testing.T) {
	f := newFake(t)
	answer := string(f.envs(f.token(demoAppID, demoSecret), "{}").Body)
	env := answer[strings.Index(answer, `[{`)+1 : strings.LastIndex(answer, `}]`)+1]
	if apps := string(f.do("GET", "/__tcbmock/apps", "").Body); !strings.Contains(apps, `"envs":[`+env+`]`) {
		t.Errorf("GET apps lists the demo app's env otherwise than getenvinfo's %s:\n%s", env, apps)
	}
}

func TestAWrongMethodOnTheAdminAPISaysWhichToUse(t *testing.T) {
	f := newFake(t)
	for _, c := range []struct{ method, path, allow string }{
		{"GET", "/__tcbmock/reset", "POST"},
		{"GET", "/__tcbmock/reauthorize", "POST"},
		{"PUT", "/__tcbmock/clock", "GET, POST"},
	} {
		rep := f.do(c.method, c.path, "")
		var body struct{ Error string }
		json.Unmarshal(rep.Body, &body)
		want := strings.ReplaceAll(c.allow, ", ", " or ")
		if rep.Status != http.StatusMethodNotAllowed || rep.Header.Get("Allow") != c.allow || !strings.HasSuffix(body.Error, ": use "+want) {
			t.Errorf("%s %s: HTTP %d, Allow %q, %q; want 405, Allow %s, and use %s", c.method, c.path, rep.Status, rep.Header.Get("Allow"), body.Error, c.allow, want)
		}
	}
}
