package contract_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// deviant serves the fake's answers, changed by change: a deliberately wrong server.
func deviant(t *testing.T, change func(r *http.Request, w *httptest.ResponseRecorder)) http.Handler {
	t.Helper()
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	return changed(m, change)
}

// changed serves h's answers, changed by change, but for the admin API's.
func changed(h http.Handler, change func(r *http.Request, w *httptest.ResponseRecorder)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if !strings.HasPrefix(r.URL.Path, contract.AdminPrefix) {
			r.Body = io.NopCloser(bytes.NewReader(body))
			change(r, rec)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(rec.Body.Len()))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// replace rewrites the body of the answers to path.
func replace(path string, re *regexp.Regexp, with string) func(*http.Request, *httptest.ResponseRecorder) {
	return func(r *http.Request, w *httptest.ResponseRecorder) {
		if r.URL.Path == path {
			w.Body = bytes.NewBuffer(re.ReplaceAll(w.Body.Bytes(), []byte(with)))
		}
	}
}

// whenFiltered changes the getenvinfo answers to requests that name an env,
// or (filtered false) to those that do not.
func whenFiltered(filtered bool, change func(*http.Request, *httptest.ResponseRecorder)) func(*http.Request, *httptest.ResponseRecorder) {
	return func(r *http.Request, w *httptest.ResponseRecorder) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/tcb/getenvinfo" && bytes.Contains(body, []byte(`"env":"`)) == filtered {
			change(r, w)
		}
	}
}

var (
	errcodeRe  = regexp.MustCompile(`"errcode":(-?[1-9][0-9]*)`)
	infoListRe = regexp.MustCompile(`"info_list":\[.*\]`)
	lastEnvRe  = regexp.MustCompile(`,\{"env":"[^"]*"[^}]*\}\]`)
	aliasRe    = regexp.MustCompile(`"alias":"[^"]*"`)
	ridRe      = regexp.MustCompile(` rid: [0-9a-f-]+"`)
)

// deviation is a wrong server: what it changes, and what the report must say.
type deviation struct {
	name   string
	change func(*http.Request, *httptest.ResponseRecorder)
	want   string // said as a fake and as production
	// fakeOnly: production cannot show this deviation (it needs the fake's
	// controls or its world), and the live run passes.
	fakeOnly bool
	// liveSkip: against production, a scenario that cannot tell is skipped
	// for this reason, so that --strict fails.
	liveSkip string
	// liveObserved: against production, the spec has no evidence there, so
	// the run passes and observes the answer.
	liveObserved bool
	// liveOnly: only a run against production checks it; a fake's rid
	// follows its own clock, which the suite moves.
	liveOnly bool
	// ask, if set, changes the request before the fake answers it: a
	// server that hears something else than it was asked.
	ask func(*http.Request)
	// derived: the checks derived from the spec catch it, not the
	// hand-written features. A run that must fail runs only the scenarios
	// that catch the deviation; one that must pass runs the whole suite.
	derived bool
}

// catchers is the tag expression of the scenarios that catch d.
func (d deviation) catchers() string {
	if d.derived {
		return "@derived"
	}
	return "~@derived"
}

// wrongServer is the fake, deviating as d says.
func wrongServer(t *testing.T, d deviation) http.Handler {
	t.Helper()
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = m
	if d.ask != nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, contract.AdminPrefix) {
				d.ask(r)
			}
			m.ServeHTTP(w, r)
		})
	}
	return changed(h, d.change)
}

// unchanged leaves an answer as it is.
func unchanged(*http.Request, *httptest.ResponseRecorder) {}

// setBody replaces r's body with b.
func setBody(r *http.Request, b []byte) {
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	r.Header.Set("Content-Length", strconv.Itoa(len(b)))
}

// plainForStable answers a valid stable_token call with /cgi-bin/token,
// which gives a new token on every call.
func plainForStable(r *http.Request) {
	if r.URL.Path != "/cgi-bin/stable_token" {
		return
	}
	var body struct {
		GrantType string `json:"grant_type"`
		AppID     string `json:"appid"`
		Secret    string `json:"secret"`
	}
	data, _ := io.ReadAll(r.Body)
	setBody(r, data)
	if json.Unmarshal(data, &body) != nil || body.AppID == "" || body.Secret == "" {
		return
	}
	q := url.Values{"grant_type": {body.GrantType}, "appid": {body.AppID}, "secret": {body.Secret}}
	r.Method, r.URL.Path, r.URL.RawQuery = http.MethodGet, "/cgi-bin/token", q.Encode()
	r.RequestURI = r.URL.RequestURI()
	setBody(r, nil)
}

// stableForPlain answers /cgi-bin/token with stable_token, which gives the
// same token while it is valid.
func stableForPlain(r *http.Request) {
	if r.URL.Path != "/cgi-bin/token" {
		return
	}
	q := r.URL.Query()
	data, _ := json.Marshal(map[string]string{"grant_type": q.Get("grant_type"), "appid": q.Get("appid"), "secret": q.Get("secret")})
	r.Method, r.URL.Path, r.URL.RawQuery, r.RequestURI = http.MethodPost, "/cgi-bin/stable_token", "", "/cgi-bin/stable_token"
	r.Header.Set("Content-Type", "application/json")
	setBody(r, data)
}

func deviations() []deviation {
	return []deviation{
		{name: "non-POST answered with HTTP 405", change: func(r *http.Request, w *httptest.ResponseRecorder) {
			if r.URL.Path == "/tcb/getenvinfo" && r.Method != http.MethodPost {
				w.Code = http.StatusMethodNotAllowed
			}
		}, want: "HTTP status: expected HTTP 200, received 405"},
		{name: "a wrong errcode for a missing token", change: replace("/tcb/getenvinfo", regexp.MustCompile(`"errcode":41001,"errmsg":"access_token missing`),
			`"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r`),
			want: "errcode: expected 41001, received 40001"},
		{name: "a bad token answered with errcode 0", change: replace("/tcb/getenvinfo", regexp.MustCompile(`\{"errcode":40001,.*\}`), `{"errcode":0,"errmsg":"ok","info_list":[]}`), want: "errcode: expected 40001, received 0"},
		{name: "an env field missing", change: replace("/tcb/getenvinfo", regexp.MustCompile(`"alias":"[^"]*",`), ""), want: "/info_list/0/alias: expected present, received absent"},
		{name: "a time in the wrong format", change: replace("/tcb/getenvinfo", regexp.MustCompile(`"create_time":"(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)"`), `"create_time":"${1}T${2}+08:00"`), want: "/info_list/0/create_time: expected a string matching"},
		{name: "errcode as a string", change: replace("/tcb/getenvinfo", errcodeRe, `"errcode":"$1"`), want: "/errcode: expected a value of type integer, received \""},
		{name: "an ignored env filter", change: whenFiltered(true, func(r *http.Request, w *httptest.ResponseRecorder) {
			w.Body = bytes.NewBufferString(`{"errcode":0,"errmsg":"ok","info_list":[` +
				`{"env":"prod-7g3h5j","alias":"prod","create_time":"2024-03-18 09:12:45","update_time":"2026-10-02 21:40:03","status":"NORMAL","package_id":"basic","package_name":"基础版 1"},` +
				`{"env":"staging-2k4m6n","alias":"staging","create_time":"2024-05-06 16:03:27","update_time":"2026-09-14 08:55:10","status":"HALTED","package_id":"basic","package_name":"基础版 1"}]}`)
		}), want: "info_list: expected only the environment"},
		{name: "a non-JSON Content-Type", change: func(r *http.Request, w *httptest.ResponseRecorder) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		}, want: `Content-Type: expected application/json, received "text/plain; charset=utf-8"`},
		{name: "HTTP 500 on an error", change: func(r *http.Request, w *httptest.ResponseRecorder) {
			if errcodeRe.Match(w.Body.Bytes()) {
				w.Code = http.StatusInternalServerError
			}
		}, want: "HTTP status: expected HTTP 200, received 500"},
		{name: "an errcode outside the table", change: replace("/tcb/getenvinfo", regexp.MustCompile(`"errcode":41001`), `"errcode":41999`), want: "/errcode: expected an errcode of getEnvInfo's x-errcodes (0, 43002, 41001, 40014, 40001, 42001, 61007, 47001, 40097, -1, -1000, 40101, 44002, 45009, 48001, 85088), received 41999"},
		{name: "an errmsg without the rid", change: replace("/tcb/getenvinfo", regexp.MustCompile(` rid: [0-9a-f-]+`), ""), want: "/errmsg: expected a string matching"},
		// Issue 9: each check added gets a server that only it catches.
		{name: "an errmsg with more text than the table's", change: replace("/tcb/getenvinfo", ridRe, ` CHANGED$0`),
			want: `/errmsg: expected "access_token missing", then the rid, received "access_token missing CHANGED rid: `},
		{name: "a hint block where none is known", change: replace("/tcb/getenvinfo", regexp.MustCompile(`access_token missing rid: `), `access_token missing hint: [5VmGfa073921-2] rid: `),
			want: `/errmsg: expected "access_token missing", then the rid, received "access_token missing hint: [5VmGfa073921-2] rid: `},
		{name: "info_list always empty", change: replace("/tcb/getenvinfo", infoListRe, `"info_list":[]`), fakeOnly: true, liveSkip: "no --env names one it has",
			want: "info_list: expected the app's 2 environments [prod-7g3h5j staging-2k4m6n], as the fake's world has them; received 0"},
		{name: "an env filter that always answers an empty list", change: whenFiltered(true, func(_ *http.Request, w *httptest.ResponseRecorder) {
			w.Body = bytes.NewBufferString(`{"errcode":0,"errmsg":"ok","info_list":[]}`)
		}), want: "info_list: expected only the environment"},
		{name: "an environment missing from the full list", change: whenFiltered(false, replace("/tcb/getenvinfo", lastEnvRe, "]")), fakeOnly: true,
			want: "info_list: expected the app's 2 environments [prod-7g3h5j staging-2k4m6n], as the fake's world has them; received 1"},
		{name: "an environment's field changed when filtered", change: whenFiltered(true, replace("/tcb/getenvinfo", aliasRe, `"alias":"changed"`)),
			want: `info_list: expected "prod-7g3h5j" as the app has it`},
		{name: "a body that is a JSON array taken for {}", change: func(r *http.Request, w *httptest.ResponseRecorder) {
			if body, _ := io.ReadAll(r.Body); r.URL.Path == "/tcb/getenvinfo" && string(body) == "[]" {
				w.Body = bytes.NewBufferString(`{"errcode":0,"errmsg":"ok","info_list":[]}`)
			}
		}, want: "errcode: expected 47001, received 0", liveObserved: true, derived: true},
		{name: "an answer in indented JSON", change: func(r *http.Request, w *httptest.ResponseRecorder) {
			var out bytes.Buffer
			if r.URL.Path == "/tcb/getenvinfo" && json.Indent(&out, w.Body.Bytes(), "", "  ") == nil {
				w.Body = &out
			}
		}, want: "body: expected compact JSON"},
		{name: "a rid whose first group is not the server's time", liveOnly: true, change: replace("/tcb/getenvinfo", regexp.MustCompile(` rid: [0-9a-f]{8}`), ` rid: 5f368647`),
			want: "/errmsg: expected a rid whose first group is the server's Unix time in hex"},
		{name: "a forced errcode ignored", fakeOnly: true, change: func(r *http.Request, w *httptest.ResponseRecorder) {
			if strings.HasPrefix(r.Header.Get("X-Tcbmock-Scenario"), "cloudbase-not-opened") {
				w.Body = bytes.NewBufferString(`{"errcode":0,"errmsg":"ok","info_list":[]}`)
			}
		}, want: "errcode: expected 85088, received 0"},
		// The token and third-party steps.
		{name: "a stable token that changes between calls", ask: plainForStable, change: unchanged,
			want: "tokens: expected them the same: true; received two that are different"},
		// The spec's minimum catches it first: no answer the spec allows is
		// valid for less than the 300 s the features ask for.
		{name: "a stable token valid for less than 300 s", change: replace("/cgi-bin/stable_token", regexp.MustCompile(`"expires_in":\d+`), `"expires_in":60`),
			want: "/expires_in: expected number must be at least 300, received 60"},
		{name: "cgi-bin token answering the token it gave before", ask: stableForPlain, change: unchanged, fakeOnly: true,
			want: "tokens: expected them the same: false; received two that are the same"},
		{name: "a wrong stable_token secret answered as an invalid appid", change: replace("/cgi-bin/stable_token", regexp.MustCompile(`"errcode":40125,"errmsg":"invalid appsecret`), `"errcode":40013,"errmsg":"invalid appid`),
			fakeOnly: true, want: "errcode: expected 40125, received 40013"},
		{name: "no component token for a good verify ticket", fakeOnly: true,
			change: replace("/cgi-bin/component/api_component_token", regexp.MustCompile(`\{"component_access_token".*\}`), `{"errcode":61006,"errmsg":"component ticket is invalid rid: 6b139daa-30215958-384fcac4"}`),
			want:   "no component token: errcode 61006"},
		{name: "an authorizer token without the permission sets answered", fakeOnly: true,
			change: replace("/tcb/getenvinfo", regexp.MustCompile(`\{"errcode":61007,.*\}`), `{"errcode":0,"errmsg":"ok","info_list":[]}`),
			want:   "errcode: expected 61007, received 0"},
		{name: "an environment's field changed in the full list", fakeOnly: true, change: replace("/tcb/getenvinfo", aliasRe, `"alias":"changed"`),
			want: "info_list: expected the app's 2 environments [prod-7g3h5j staging-2k4m6n], as the fake's world has them; received 2"},
		{name: "a function's answer not what the world computes", fakeOnly: true, derived: true,
			change: replace("/tcb/invokecloudfunction", regexp.MustCompile(`"resp_data":".*"`), `"resp_data":"{\"appid\":\"wx0000000000000000\"}"`),
			want:   `resp_data: expected "{\"event\":{\"userInfo\":{\"appId\":\"wxd0c0ffee00000002\"}},\"appid\":\"wxd0c0ffee00000002\"}", as the target's world computes it; received "{\"appid\":\"wx0000000000000000\"}"`},
	}
}

func TestSuiteCatchesDeviations(t *testing.T) {
	for _, tc := range deviations() {
		for _, live := range []bool{false, true} {
			name := tc.name
			if live {
				name += " (live)"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel() // each wrong server is a fake of its own
				mustPass := !live && tc.liveOnly || live && (tc.liveObserved || tc.fakeOnly)
				tags := tc.catchers()
				if mustPass {
					tags = ""
				}
				out, res := runTagged(t, wrongServer(t, tc), live, tags)
				if !live && tc.liveOnly {
					if !res.Passed(false) {
						t.Errorf("failed %v; want a pass: a fake is not held to %s\n%s", res.Failed, tc.name, out)
					}
					return
				}
				if live && tc.liveObserved {
					if !res.Passed(false) || !slices.ContainsFunc(res.Observations, func(o contract.Observation) bool { return o.Target.Errcode == 0 }) {
						t.Errorf("failed %v, observed %+v; want a pass and the answer observed: the spec has no evidence for %s\n%s", res.Failed, res.Observations, tc.name, out)
					}
					return
				}
				if live && tc.fakeOnly {
					if !res.Passed(false) {
						t.Errorf("failed %v; want a pass: production cannot show %s\n%s", res.Failed, tc.name, out)
					}
					if tc.liveSkip != "" && (res.Passed(true) || !strings.Contains(out, tc.liveSkip)) {
						t.Errorf("skipped %v; want a skip saying %q, which --strict fails\n%s", res.Skipped, tc.liveSkip, out)
					}
					return
				}
				if res.Passed(false) {
					t.Fatalf("the suite passed a server with %s\n%s", tc.name, out)
				}
				if !strings.Contains(out, tc.want) {
					t.Errorf("the report does not say %q:\n%s", tc.want, out)
				}
			})
		}
	}
}

func TestSuiteAcceptsTheHintBlockOf43002(t *testing.T) {
	h := deviant(t, replace("/tcb/getenvinfo", regexp.MustCompile(`require POST method rid: `), `require POST method hint: [5VmGfa073921-2] rid: `))
	for _, live := range []bool{false, true} {
		if out, res := runAgainst(t, h, live); !res.Passed(false) {
			t.Errorf("live %v: failed %v; want a pass\n%s", live, res.Failed, out)
		}
	}
}

func TestSuiteNeverFollowsARedirect(t *testing.T) {
	var elsewhere atomic.Int32
	h := deviant(t, func(r *http.Request, w *httptest.ResponseRecorder) {
		w.Code = http.StatusTemporaryRedirect
		w.Header().Set("Location", "http://elsewhere.invalid"+r.URL.RequestURI())
	})
	guard := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host == "elsewhere.invalid" {
			elsewhere.Add(1)
		}
		h.ServeHTTP(w, r)
	})
	for _, live := range []bool{false, true} {
		out, res := runAgainst(t, guard, live)
		if res.Passed(false) || !strings.Contains(out, "HTTP status: expected HTTP 200, received 307") {
			t.Errorf("live %v: want the redirect reported as a deviation:\n%s", live, out)
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("%d requests followed the redirect to another host; want none", n)
	}
}

// runAgainst runs the suite against h: as a fake, or as production (no admin
// API, the second app's credentials).
func runAgainst(t *testing.T, h http.Handler, live bool, envs ...string) (string, *contract.Result) {
	t.Helper()
	return runTagged(t, h, live, "", envs...)
}

// runTagged runs the scenarios of the suite that the tag expression
// selects ("": all of them) against h, as runAgainst does.
func runTagged(t *testing.T, h http.Handler, live bool, tags string, envs ...string) (string, *contract.Result) {
	t.Helper()
	o := &contract.TargetOptions{Envs: envs}
	if live {
		h = testkit.WithoutAdmin(h)
		o.Credentials = contract.Credentials{AppID: mocktest.SecondAppID, Secret: mocktest.SecondSecret}
	}
	target, err := contract.HandlerTarget(t.Context(), h, o)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out, Format: "progress", Tags: tags})
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), res
}
