package mock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// Credentials of the default world's apps.
const (
	demoAppID    = mocktest.DemoAppID
	demoSecret   = mocktest.DemoSecret
	secondAppID  = mocktest.SecondAppID
	secondSecret = mocktest.SecondSecret
	flakyAppID   = mocktest.FlakyAppID
	flakySecret  = mocktest.FlakySecret
)

// fixedNow is the base clock of the tests: admin advances move it on.
var fixedNow = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

// fake is a mock.Server under test with a client that checks every WeChat
// answer against the spec.
type fake struct {
	t *testing.T
	*mock.Server
}

func newFake(t *testing.T, opts ...mock.Option) *fake {
	t.Helper()
	opts = append([]mock.Option{mock.WithClock(func() time.Time { return fixedNow })}, opts...)
	s, err := mock.New(opts...)
	if err != nil {
		t.Fatalf("mock.New: %v", err)
	}
	return &fake{t: t, Server: s}
}

// reply is an answer as a client sees it.
type reply struct {
	Status  int
	Header  http.Header
	Body    []byte
	Errcode int    `json:"errcode"`
	Errmsg  string `json:"errmsg"`
}

// do sends a request; header is "Name: value" lines. A WeChat answer is
// validated against openapi.yaml.
func (f *fake) do(method, target, body string, header ...string) reply {
	f.t.Helper()
	r, resp := f.raw(method, target, body, header...)
	return f.check(r, resp)
}

// raw sends a request and returns the answer unchecked. It goes to Host
// 127.0.0.1:8080, as a local client's does, unless header says "Host: NAME".
func (f *fake) raw(method, target, body string, header ...string) (*http.Request, *http.Response) {
	r := httptest.NewRequestWithContext(f.t.Context(), method, target, strings.NewReader(body))
	r.Host = "127.0.0.1:8080"
	for _, h := range header {
		k, v, _ := strings.Cut(h, ":")
		if http.CanonicalHeaderKey(k) == "Host" {
			r.Host = strings.TrimSpace(v)
			continue
		}
		r.Header.Set(k, strings.TrimSpace(v))
	}
	w := httptest.NewRecorder()
	f.ServeHTTP(w, r)
	return r, w.Result()
}

// check reads resp and, for a WeChat answer, validates it against the spec.
func (f *fake) check(r *http.Request, resp *http.Response) reply {
	f.t.Helper()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	rep := reply{Status: resp.StatusCode, Header: resp.Header, Body: body}
	if strings.HasPrefix(r.URL.Path, mock.AdminPrefix) {
		return rep
	}
	if err := json.Unmarshal(body, &rep); err != nil {
		f.t.Fatalf("%s %s: answer is not JSON: %v: %s", r.Method, r.URL, err, body)
	}
	spec := f.Config().Spec()
	if spec.Match(r) != nil {
		if err := spec.ValidateResponse(f.t.Context(), r, resp.StatusCode, resp.Header, body); err != nil {
			f.t.Errorf("%s %s: answer breaks the spec: %v\n%s", r.Method, r.URL, err, body)
		}
	}
	return rep
}

// token gets a /cgi-bin/token token for the app.
func (f *fake) token(appid, secret string) string {
	f.t.Helper()
	rep := f.do("GET", "/cgi-bin/token?grant_type=client_credential&appid="+appid+"&secret="+secret, "")
	return decode[tokenReply](f.t, rep).AccessToken
}

// stableToken gets a stable_token token for the app.
func (f *fake) stableToken(appid, secret string, force bool) tokenReply {
	f.t.Helper()
	body, _ := json.Marshal(map[string]any{"grant_type": "client_credential", "appid": appid, "secret": secret, "force_refresh": force})
	return decode[tokenReply](f.t, f.do("POST", "/cgi-bin/stable_token", string(body)))
}

type tokenReply struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

type envReply struct {
	Errcode  int   `json:"errcode"`
	InfoList []env `json:"info_list"`
}

// env is an environment of a getenvinfo answer.
type env struct {
	Env         string `json:"env"`
	Alias       string `json:"alias"`
	CreateTime  string `json:"create_time"`
	UpdateTime  string `json:"update_time"`
	Status      string `json:"status"`
	PackageID   string `json:"package_id"`
	PackageName string `json:"package_name"`
}

// envs calls getenvinfo with token and body.
func (f *fake) envs(token, body string, header ...string) reply {
	f.t.Helper()
	return f.do("POST", "/tcb/getenvinfo?access_token="+token, body, header...)
}

// advance moves the fake's clock through the admin API.
func (f *fake) advance(d string) {
	f.t.Helper()
	if rep := f.do("POST", "/__tcbmock/clock", `{"advance":"`+d+`"}`); rep.Status != http.StatusOK {
		f.t.Fatalf("advance %s: HTTP %d %s", d, rep.Status, rep.Body)
	}
}

func decode[T any](t *testing.T, rep reply) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rep.Body, &v); err != nil {
		t.Fatalf("decode %s: %v", rep.Body, err)
	}
	return v
}

// wantErrcode fails unless rep is the errcode answer of code with errmsg
// (before the rid) as the spec's table says.
func wantErrcode(t *testing.T, rep reply, code int) {
	t.Helper()
	if rep.Status != http.StatusOK || rep.Errcode != code {
		t.Fatalf("got HTTP %d errcode %d (%s); want HTTP 200 errcode %d", rep.Status, rep.Errcode, rep.Body, code)
	}
	if code != 0 && !apispec.RIDPattern.MatchString(rep.Errmsg) {
		t.Errorf("errmsg %q has no rid suffix", rep.Errmsg)
	}
}
