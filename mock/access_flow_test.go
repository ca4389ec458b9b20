package mock_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tcbmock/tcbmock/mock"
)

// guardedWorld is a world file with one app whose whitelist is list.
func guardedWorld(list string) string {
	return "apps:\n  - {appid: wxd0c0ffee000000e1, secret: d0c0ffee0000000000000000000000e1, ip_whitelist: " + list + "}\n"
}

var guardedE1 = map[string]string{"appid": "wxd0c0ffee000000e1", "secret": "d0c0ffee0000000000000000000000e1"}

func TestTokenRefusedOutsideTheWhitelistNamesTheCallerAndIsGrantedOnceItIsIn(t *testing.T) {
	f := newFake(t).withWorld(guardedWorld("[203.0.113.7]"))
	rep := f.plain(guardedE1)
	wantErrcode(t, rep, 40164)
	if want := "invalid ip 192.0.2.1 ipv6 ::ffff:192.0.2.1, not in whitelist rid: "; !strings.HasPrefix(rep.Errmsg, want) {
		t.Errorf("got errmsg %q; want %q and the rid", rep.Errmsg, want)
	}
	wantErrcode(t, f.stable(asAny(guardedE1)), 40164)

	f.withWorld(guardedWorld("[203.0.113.7, 192.0.2.0/28]"))
	wantErrcode(t, f.plain(guardedE1), 0)
	wantErrcode(t, f.stable(asAny(guardedE1)), 0)
}

func TestTheDemoAppsAnswerFromAnyAddress(t *testing.T) {
	f := newFake(t)
	for _, app := range []map[string]string{{"appid": demoAppID, "secret": demoSecret}, {"appid": secondAppID, "secret": secondSecret}} {
		wantErrcode(t, f.plain(app), 0)
	}
}

func TestXForwardedForIsIgnoredUnlessTrusted(t *testing.T) {
	guarded := map[string]string{"appid": guardedAppID, "secret": guardedSecret}
	get := func(f *fake, from string) reply {
		return f.do("GET", "/cgi-bin/token?"+plainQuery(guarded), "", "X-Forwarded-For: "+from)
	}
	f := newFake(t)
	rep := get(f, "203.0.113.7")
	wantErrcode(t, rep, 40164)
	if !strings.Contains(rep.Errmsg, "invalid ip 192.0.2.1 ") {
		t.Errorf("got errmsg %q; want the connection's address, not the header's", rep.Errmsg)
	}

	trusting := newFake(t, mock.WithTrustedForwardedFor())
	wantErrcode(t, get(trusting, "203.0.113.7"), 0)
	wantErrcode(t, get(trusting, "198.51.100.200, 10.0.0.1"), 0) // the first address, within the range
	rep = get(trusting, "203.0.113.8, 203.0.113.7")
	wantErrcode(t, rep, 40164)
	if want := "invalid ip 203.0.113.8 ipv6 ::ffff:203.0.113.8, not in whitelist rid: "; !strings.HasPrefix(rep.Errmsg, want) {
		t.Errorf("got errmsg %q; want %q and the rid", rep.Errmsg, want)
	}
}

func TestAPlatformOutsideItsWhitelistGets61004(t *testing.T) {
	f := newFake(t, mock.WithTrustedForwardedFor())
	body := withFields(guardedComponent, nil)
	wantErrcode(t, f.do("POST", "/cgi-bin/component/api_component_token", body), 61004)
	wantErrcode(t, f.do("POST", "/cgi-bin/component/api_component_token", body, "X-Forwarded-For: 203.0.113.7"), 0)
}

func TestAFrozenSecretAnswers40243UntilItThaws(t *testing.T) {
	frozen := "apps:\n  - {appid: wxd0c0ffee000000e2, secret: d0c0ffee0000000000000000000000e2, state: frozen secret}\n"
	thawed := "apps:\n  - {appid: wxd0c0ffee000000e2, secret: d0c0ffee0000000000000000000000e2}\n"
	app := map[string]string{"appid": "wxd0c0ffee000000e2", "secret": "d0c0ffee0000000000000000000000e2"}
	f := newFake(t).withWorld(frozen)
	wantErrcode(t, f.plain(app), 40243)
	wantErrcode(t, f.plain(map[string]string{"appid": app["appid"], "secret": demoSecret}), 40125) // a wrong secret is still wrong
	f.withWorld(thawed)
	wantErrcode(t, f.plain(app), 0)
}

func TestAStateAnswersOnlyWhereTheTableListsIt(t *testing.T) {
	// 89501 is on the token page, not on stable_token's: there the call goes on.
	f := newFake(t)
	wantErrcode(t, f.plain(stateApp(3)), 89501)
	wantErrcode(t, f.stable(asAny(stateApp(3))), 0)
}

func TestAPlatformsAppidOnTheTokenAPIAnswers61024AndOnStableToken40013(t *testing.T) {
	f := newFake(t)
	wantErrcode(t, f.plain(map[string]string{"appid": componentAppID, "secret": demoSecret}), 61024)
	wantErrcode(t, f.stable(map[string]any{"appid": componentAppID, "secret": demoSecret}), 40013)
}

func TestQuotaExhaustClearGoOnThen48006OnTheEleventhClear(t *testing.T) {
	f := newFake(t)
	metered := map[string]string{"appid": meteredAppID, "secret": meteredSecret}
	rep := f.times(4, func() reply { return f.plain(metered) })
	wantErrcode(t, rep, 45009)
	tok := f.mint(meteredAppID)
	clear := func() reply { return f.clear(tok, `{"appid":"`+meteredAppID+`"}`) }
	wantErrcode(t, clear(), 0)
	wantErrcode(t, f.times(4, func() reply { return f.plain(metered) }), 45009) // three more, then the limit again
	for range 9 {
		wantErrcode(t, clear(), 0)
	}
	wantErrcode(t, f.times(4, func() reply { return f.plain(metered) }), 45009)
	wantErrcode(t, clear(), 48006)
	wantErrcode(t, f.plain(metered), 45009) // a refused clear clears nothing
	f.advance("800h")                       // next month: ten clears again
	tok = f.mint(meteredAppID)
	wantErrcode(t, clear(), 0)
}

func TestQuotaCountsPerAPIAndClearApiQuotaClearsOne(t *testing.T) {
	f := newFake(t)
	metered := map[string]string{"appid": meteredAppID, "secret": meteredSecret}
	wantErrcode(t, f.times(4, func() reply { return f.plain(metered) }), 45009)
	wantErrcode(t, f.stable(asAny(metered)), 0) // stable_token counts on its own
	wantErrcode(t, f.clearAPI(f.mint(meteredAppID), `{"cgi_path":"/cgi-bin/stable_token"}`), 0)
	wantErrcode(t, f.plain(metered), 45009) // another API's clear leaves this one
	wantErrcode(t, f.clearAPI(f.mint(meteredAppID), `{"cgi_path":"/cgi-bin/token"}`), 0)
	wantErrcode(t, f.plain(metered), 0)
}

func TestClearQuotaV2TakesTheSecretInsteadOfAToken(t *testing.T) {
	f := newFake(t)
	metered := map[string]string{"appid": meteredAppID, "secret": meteredSecret}
	wantErrcode(t, f.times(4, func() reply { return f.plain(metered) }), 45009)
	wantErrcode(t, f.clearBySecret(`{"appid":"`+meteredAppID+`","appsecret":"`+meteredSecret+`"}`), 0)
	wantErrcode(t, f.plain(metered), 0)
}

func TestTheDailyQuotaResetsAtMidnightChinaStandardTime(t *testing.T) {
	f := newFake(t) // 2026-11-28 10:00 UTC is 18:00 in Beijing
	metered := map[string]string{"appid": meteredAppID, "secret": meteredSecret}
	wantErrcode(t, f.times(4, func() reply { return f.plain(metered) }), 45009)
	f.advance("5h59m")
	wantErrcode(t, f.plain(metered), 45009)
	f.advance("1m") // 16:00 UTC, midnight in Beijing
	wantErrcode(t, f.plain(metered), 0)
}

func TestTheMinuteQuotaResetsTheNextMinute(t *testing.T) {
	f := newFake(t)
	metered := map[string]any{"appid": meteredAppID, "secret": meteredSecret}
	wantErrcode(t, f.times(3, func() reply { return f.stable(metered) }), 45011)
	f.advance("59s")
	wantErrcode(t, f.stable(metered), 45011)
	f.advance("1s")
	wantErrcode(t, f.stable(metered), 0)
}

func TestQuotaCountsAreKeptOnlyForAppsThatCountAndExpireWithTheirMonth(t *testing.T) {
	f := newFake(t)
	for range 5 {
		f.plain(map[string]string{"appid": demoAppID, "secret": demoSecret}) // the demo app counts nothing
	}
	if n := f.QuotaCounts(); n != 0 {
		t.Fatalf("got %d counts; want 0", n)
	}
	f.plain(map[string]string{"appid": meteredAppID, "secret": meteredSecret})
	f.stable(map[string]any{"appid": meteredAppID, "secret": meteredSecret})
	if n := f.QuotaCounts(); n != 2 {
		t.Fatalf("got %d counts; want 2, one per app and API", n)
	}
	f.advance("800h") // a month on
	f.stable(map[string]any{"appid": meteredAppID, "secret": meteredSecret})
	if n := f.QuotaCounts(); n != 1 {
		t.Errorf("got %d counts; want 1: last month's are dropped", n)
	}
	f.Reset()
	if n := f.QuotaCounts(); n != 0 {
		t.Errorf("got %d counts after a reset; want 0", n)
	}
}

func TestAWorldWithABadAccessFieldIsRefusedWithFileLine(t *testing.T) {
	for _, tc := range []struct{ name, app, want string }{
		{"not an address", "ip_whitelist: [203.0.113.7, 300.1.1.1]", `extra/worlda.yaml:2: app "wxd0c0ffee000000e3": ip_whitelist "300.1.1.1" is neither an IP address nor a CIDR range`},
		{"unknown state", "state: thawed", `extra/worlda.yaml:2: app "wxd0c0ffee000000e3": state "thawed": want one of frozen secret, `},
		{"negative quota", "quota: {daily: -1}", `extra/worlda.yaml:2: app "wxd0c0ffee000000e3": quota: daily, minute and monthly are counts`},
		{"unknown quota key", "quota: {hourly: 5}", `extra/worlda.yaml:2: quota: field hourly not found`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := mock.Embedded()
			world := "apps:\n  - {appid: wxd0c0ffee000000e3, secret: d0c0ffee0000000000000000000000e3, " + tc.app + "}\n"
			files.Scenarios = append(files.Scenarios, mock.File{FS: fstest.MapFS{"worlda.yaml": {Data: []byte(world)}}, Path: ".", Name: "extra"})
			_, err := mock.Load(t.Context(), files)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v; want %q", err, tc.want)
			}
		})
	}
}

func TestTheWhitelistGuardsOnlyTheOperationsThatListIt(t *testing.T) {
	// The quota APIs' pages list no 40164: a guarded app clears from anywhere.
	f := newFake(t)
	wantErrcode(t, f.clearBySecret(`{"appid":"`+guardedAppID+`","appsecret":"`+guardedSecret+`"}`), 0)
	wantErrcode(t, f.clear(f.mint(guardedAppID), `{"appid":"`+guardedAppID+`"}`), 0)
}

func TestAWhitelistChangedAtRunTimeGrantsTheTokenUntilTheWorldIsReset(t *testing.T) {
	f := newFake(t)
	guarded := map[string]string{"appid": guardedAppID, "secret": guardedSecret}
	wantErrcode(t, f.plain(guarded), 40164)
	if err := f.PutApp(t.Context(), guardedAppID, map[string]any{"ip_whitelist": []string{callerAddr}}); err != nil {
		t.Fatal(err)
	}
	wantErrcode(t, f.plain(guarded), 0)
	if err := f.PutApp(t.Context(), "wxd0c0ffee000000f1", map[string]any{"state": ""}); err != nil {
		t.Fatal(err)
	}
	wantErrcode(t, f.plain(stateApp(1)), 0) // thawed
	f.ResetWorld()
	wantErrcode(t, f.plain(guarded), 40164)
	wantErrcode(t, f.plain(stateApp(1)), 40243)
}

// TestClearQuotaAndItsV2ShareTenClearsAMonth: clear_quota/v2's page says
// its clears and clear_quota's share the account's ten a month.
func TestClearQuotaAndItsV2ShareTenClearsAMonth(t *testing.T) {
	f := newFake(t)
	tok := f.mint(meteredAppID)
	bySecret := `{"appid":"` + meteredAppID + `","appsecret":"` + meteredSecret + `"}`
	for i := range 10 {
		if i%2 == 0 {
			wantErrcode(t, f.clear(tok, `{"appid":"`+meteredAppID+`"}`), 0)
		} else {
			wantErrcode(t, f.clearBySecret(bySecret), 0)
		}
	}
	wantErrcode(t, f.clearBySecret(bySecret), 48006)
	wantErrcode(t, f.clear(tok, `{"appid":"`+meteredAppID+`"}`), 48006)
}

// TestClearApiQuotaClearsFiftyTimesAMonthThen45009: openapi/quota/clear's
// page gives the account 50 clears a month, whatever the API, apart from
// clear_quota's ten; past them the fake answers 45009 (its choice).
func TestClearApiQuotaClearsFiftyTimesAMonthThen45009(t *testing.T) {
	f := newFake(t)
	tok := f.mint(meteredAppID)
	for i := range 50 {
		path := []string{"/cgi-bin/token", "/cgi-bin/stable_token"}[i%2]
		wantErrcode(t, f.clearAPI(tok, `{"cgi_path":"`+path+`"}`), 0)
	}
	wantErrcode(t, f.clearAPI(tok, `{"cgi_path":"/cgi-bin/token"}`), 45009)
	wantErrcode(t, f.clear(tok, `{"appid":"`+meteredAppID+`"}`), 0) // clear_quota's ten are its own
	f.advance("800h")                                               // next month: 50 again
	tok = f.mint(meteredAppID)
	wantErrcode(t, f.clearAPI(tok, `{"cgi_path":"/cgi-bin/token"}`), 0)
}

// TestACallerWithoutAnAddressCountsAsLoopback: a request whose RemoteAddr
// holds no address (a Go caller's, served in process) is checked against
// whitelists as 127.0.0.1, the fake's choice.
func TestACallerWithoutAnAddressCountsAsLoopback(t *testing.T) {
	f := newFake(t)
	for _, addr := range []string{"", "pipe", "@"} {
		r := httptest.NewRequestWithContext(t.Context(), "GET", "/cgi-bin/token?grant_type=client_credential&appid="+guardedAppID+"&secret="+guardedSecret, nil)
		r.RemoteAddr = addr
		rep := f.check(r, serve(f, r))
		if want := "invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist rid: "; rep.Errcode != 40164 || !strings.HasPrefix(rep.Errmsg, want) {
			t.Errorf("RemoteAddr %q: got %d %q; want 40164 %q…", addr, rep.Errcode, rep.Errmsg, want)
		}
	}
}

// serve answers r in process.
func serve(f *fake, r *http.Request) *http.Response {
	w := httptest.NewRecorder()
	f.ServeHTTP(w, r)
	return w.Result()
}
