package mock_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

const (
	// callerAddr is the address of every request the tests send
	// (httptest.NewRequest's).
	callerAddr = "192.0.2.1"

	guardedAppID  = mocktest.GuardedAppID // the embedded world's app with an IP whitelist
	guardedSecret = mocktest.GuardedSecret
	meteredAppID  = mocktest.MeteredAppID // the embedded world's app with a small quota: 3 a day, 2 a minute
	meteredSecret = mocktest.MeteredSecret
)

// The embedded world's platform whose whitelist leaves the tests' address out.
var guardedComponent = map[string]any{"component_appid": "wxd0c0ffee0000c002",
	"component_appsecret": "d0c0ffee00000000000000000000c0a2", "component_verify_ticket": "ticket@@@d0c0ffee-guarded-verify-ticket"}

// worldApps is how many apps the embedded world has: five in world.yaml,
// six in world_accounts.yaml.
const worldApps = 11

// stateAppIDs are the embedded world's apps in a state, in file order.
const stateAppIDs = "wxd0c0ffee000000f1,wxd0c0ffee000000f2,wxd0c0ffee000000f3,wxd0c0ffee000000f4,wxd0c0ffee000000f5,wxd0c0ffee000000f6"

// stateApp is the appid and secret of the embedded world's app in state n
// (1 to 6, in the order of apispec.AppStates).
func stateApp(n int) map[string]string {
	d := string(rune('0' + n))
	return map[string]string{"appid": "wxd0c0ffee000000f" + d, "secret": "d0c0ffee0000000000000000000000f" + d}
}

// config loads the embedded spec and world with more world files.
func config(t *testing.T, worlds ...string) *mock.Config {
	t.Helper()
	files := mock.Embedded()
	for i, w := range worlds {
		name := "world" + string(rune('a'+i)) + ".yaml"
		files.Scenarios = append(files.Scenarios, mock.File{FS: fstest.MapFS{name: {Data: []byte(w)}}, Path: ".", Name: "extra"})
	}
	c, err := mock.Load(t.Context(), files)
	if err != nil {
		t.Fatalf("loading the world: %v", err)
	}
	return c
}

// withWorld serves the embedded world with more world files from now on.
func (f *fake) withWorld(worlds ...string) *fake {
	f.t.Helper()
	if err := f.Reload(config(f.t, worlds...)); err != nil {
		f.t.Fatal(err)
	}
	return f
}

func asAny(m map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// mint returns an app token minted by the admin API: no token request
// spends the app's quota.
func (f *fake) mint(appid string) string {
	f.t.Helper()
	tok, err := f.MintToken(appid, "", 0)
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}

// times sends n-1 requests, each expected to succeed, then the nth, and returns its answer.
func (f *fake) times(n int, send func() reply) reply {
	f.t.Helper()
	for range n - 1 {
		wantErrcode(f.t, send(), 0)
	}
	return send()
}

func (f *fake) clear(token, body string) reply {
	return f.do("POST", "/cgi-bin/clear_quota?access_token="+token, body)
}

func (f *fake) clearBySecret(body string) reply {
	return f.do("POST", "/cgi-bin/clear_quota/v2", body)
}

func (f *fake) clearAPI(token, body string) reply {
	target := "/cgi-bin/openapi/quota/clear"
	if token != "" {
		target += "?access_token=" + token
	}
	return f.do("POST", target, body)
}

// callQuota sends a valid request of a quota operation for the demo app.
func (f *fake) callQuota(opID string, header ...string) (reply, bool) {
	switch opID {
	case "clearQuota":
		return f.do("POST", "/cgi-bin/clear_quota?access_token="+f.mint(demoAppID), `{"appid":"`+demoAppID+`"}`, header...), true
	case "clearQuotaByAppSecret":
		return f.do("POST", "/cgi-bin/clear_quota/v2", `{"appid":"`+demoAppID+`","appsecret":"`+demoSecret+`"}`, header...), true
	case "clearApiQuota":
		return f.do("POST", "/cgi-bin/openapi/quota/clear?access_token="+f.mint(demoAppID), `{"cgi_path":"/cgi-bin/token"}`, header...), true
	}
	return reply{}, false
}

var unknownTokenValue = "97_" + strings.Repeat("u", 140)

// provokeAccess is provoke for the causes of an account's access (its
// address, its state, its quotas) and the operations that clear quotas.
var provokeAccess = map[string]func(f *fake) reply{
	"getAccessToken/ip not in whitelist": func(f *fake) reply {
		return f.plain(map[string]string{"appid": guardedAppID, "secret": guardedSecret})
	},
	"getStableAccessToken/ip not in whitelist": func(f *fake) reply {
		return f.stable(map[string]any{"appid": guardedAppID, "secret": guardedSecret})
	},
	"getComponentAccessToken/ip not in whitelist": func(f *fake) reply {
		return f.component(guardedComponent)
	},
	"getAccessToken/component appid": func(f *fake) reply {
		return f.plain(map[string]string{"appid": componentAppID, "secret": demoSecret})
	},
	"getAccessToken/frozen secret":            func(f *fake) reply { return f.plain(stateApp(1)) },
	"getAccessToken/frozen account":           func(f *fake) reply { return f.plain(stateApp(2)) },
	"getAccessToken/ip awaiting confirmation": func(f *fake) reply { return f.plain(stateApp(3)) },
	"getAccessToken/ip needs confirmation":    func(f *fake) reply { return f.plain(stateApp(4)) },
	"getAccessToken/ip refused for a day":     func(f *fake) reply { return f.plain(stateApp(5)) },
	"getAccessToken/ip refused for an hour":   func(f *fake) reply { return f.plain(stateApp(6)) },
	"getStableAccessToken/ip needs confirmation": func(f *fake) reply {
		return f.stable(asAny(stateApp(4)))
	},
	"getStableAccessToken/ip refused for a day": func(f *fake) reply {
		return f.stable(asAny(stateApp(5)))
	},
	"getStableAccessToken/ip refused for an hour": func(f *fake) reply {
		return f.stable(asAny(stateApp(6)))
	},
	"getAccessToken/daily quota": func(f *fake) reply {
		return f.times(4, func() reply { return f.plain(map[string]string{"appid": meteredAppID, "secret": meteredSecret}) })
	},
	"getStableAccessToken/minute quota": func(f *fake) reply {
		return f.times(3, func() reply { return f.stable(map[string]any{"appid": meteredAppID, "secret": meteredSecret}) })
	},
	"getStableAccessToken/daily quota": func(f *fake) reply {
		metered := func() reply { return f.stable(map[string]any{"appid": meteredAppID, "secret": meteredSecret}) }
		f.times(2, metered)
		f.advance("1m")
		return f.times(2, metered)
	},

	"clearQuota/method": func(f *fake) reply {
		return f.do("GET", "/cgi-bin/clear_quota?access_token="+f.mint(demoAppID), "")
	},
	"clearQuota/missing access_token": func(f *fake) reply { return f.do("POST", "/cgi-bin/clear_quota", `{"appid":"`+demoAppID+`"}`) },
	"clearQuota/invalid access_token": func(f *fake) reply { return f.clear("not-a-token", `{"appid":"`+demoAppID+`"}`) },
	"clearQuota/unknown token":        func(f *fake) reply { return f.clear(unknownTokenValue, `{"appid":"`+demoAppID+`"}`) },
	"clearQuota/wrong token kind":     func(f *fake) reply { return f.clear(f.componentToken(), `{"appid":"`+demoAppID+`"}`) },
	"clearQuota/expired token": func(f *fake) reply {
		tok := f.token(demoAppID, demoSecret)
		f.advance("2h")
		return f.clear(tok, `{"appid":"`+demoAppID+`"}`)
	},
	"clearQuota/empty body":     func(f *fake) reply { return f.clear(f.mint(demoAppID), "") },
	"clearQuota/malformed body": func(f *fake) reply { return f.clear(f.mint(demoAppID), "{") },
	"clearQuota/invalid body":   func(f *fake) reply { return f.clear(f.mint(demoAppID), "[]") },
	"clearQuota/missing appid":  func(f *fake) reply { return f.clear(f.mint(demoAppID), "{}") },
	"clearQuota/invalid appid":  func(f *fake) reply { return f.clear(f.mint(demoAppID), `{"appid":"wx1"}`) },
	"clearQuota/unknown appid": func(f *fake) reply { // another account's appid
		return f.clear(f.mint(demoAppID), `{"appid":"`+secondAppID+`"}`)
	},
	"clearQuota/monthly quota": func(f *fake) reply {
		tok := f.mint(meteredAppID)
		return f.times(11, func() reply { return f.clear(tok, `{"appid":"`+meteredAppID+`"}`) })
	},

	"clearQuotaByAppSecret/method":            func(f *fake) reply { return f.do("GET", "/cgi-bin/clear_quota/v2", "") },
	"clearQuotaByAppSecret/empty body":        func(f *fake) reply { return f.clearBySecret("") },
	"clearQuotaByAppSecret/malformed body":    func(f *fake) reply { return f.clearBySecret("{") },
	"clearQuotaByAppSecret/invalid body":      func(f *fake) reply { return f.clearBySecret("[]") },
	"clearQuotaByAppSecret/missing appid":     func(f *fake) reply { return f.clearBySecret(`{"appsecret":"` + demoSecret + `"}`) },
	"clearQuotaByAppSecret/invalid appid":     func(f *fake) reply { return f.clearBySecret(`{"appid":"wx1","appsecret":"` + demoSecret + `"}`) },
	"clearQuotaByAppSecret/missing appsecret": func(f *fake) reply { return f.clearBySecret(`{"appid":"` + demoAppID + `"}`) },
	"clearQuotaByAppSecret/invalid appsecret": func(f *fake) reply {
		return f.clearBySecret(`{"appid":"` + demoAppID + `","appsecret":"!"}`)
	},
	"clearQuotaByAppSecret/unknown appid": func(f *fake) reply {
		return f.clearBySecret(`{"appid":"wx0000000000000000","appsecret":"` + demoSecret + `"}`)
	},
	"clearQuotaByAppSecret/wrong secret": func(f *fake) reply {
		return f.clearBySecret(`{"appid":"` + demoAppID + `","appsecret":"` + secondSecret + `"}`)
	},
	"clearQuotaByAppSecret/monthly quota": func(f *fake) reply {
		return f.times(11, func() reply {
			return f.clearBySecret(`{"appid":"` + meteredAppID + `","appsecret":"` + meteredSecret + `"}`)
		})
	},

	"clearApiQuota/method": func(f *fake) reply {
		return f.do("GET", "/cgi-bin/openapi/quota/clear?access_token="+f.mint(demoAppID), "")
	},
	"clearApiQuota/missing access_token": func(f *fake) reply { return f.clearAPI("", `{"cgi_path":"/cgi-bin/token"}`) },
	"clearApiQuota/invalid access_token": func(f *fake) reply { return f.clearAPI("not-a-token", `{"cgi_path":"/cgi-bin/token"}`) },
	"clearApiQuota/unknown token":        func(f *fake) reply { return f.clearAPI(unknownTokenValue, `{"cgi_path":"/cgi-bin/token"}`) },
	"clearApiQuota/wrong token kind": func(f *fake) reply {
		return f.clearAPI(f.componentToken(), `{"cgi_path":"/cgi-bin/token"}`)
	},
	"clearApiQuota/expired token": func(f *fake) reply {
		tok := f.token(demoAppID, demoSecret)
		f.advance("2h")
		return f.clearAPI(tok, `{"cgi_path":"/cgi-bin/token"}`)
	},
	"clearApiQuota/empty body":       func(f *fake) reply { return f.clearAPI(f.mint(demoAppID), "") },
	"clearApiQuota/malformed body":   func(f *fake) reply { return f.clearAPI(f.mint(demoAppID), "{") },
	"clearApiQuota/invalid body":     func(f *fake) reply { return f.clearAPI(f.mint(demoAppID), "[]") },
	"clearApiQuota/missing cgi_path": func(f *fake) reply { return f.clearAPI(f.mint(demoAppID), "{}") },
	"clearApiQuota/invalid cgi_path": func(f *fake) reply { return f.clearAPI(f.mint(demoAppID), `{"cgi_path":"cgi-bin/token"}`) },
	"clearApiQuota/unknown api": func(f *fake) reply {
		return f.clearAPI(f.mint(demoAppID), `{"cgi_path":"/cgi-bin/no-such-api"}`)
	},
	"clearApiQuota/monthly quota": func(f *fake) reply {
		tok := f.mint(meteredAppID)
		return f.times(51, func() reply { return f.clearAPI(tok, `{"cgi_path":"/cgi-bin/token"}`) })
	},
}
