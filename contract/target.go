package contract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock/internal/adminclient"
)

// AdminPrefix is where a fake answers its admin API.
const AdminPrefix = adminclient.Prefix

// ErrNoCredentials is returned when a target without the admin API is given
// neither an appid and secret nor a token.
var ErrNoCredentials = errors.New("contract: a live target needs an appid and a secret, or a token")

// Credentials are how the suite gets its token on a target.
type Credentials struct {
	AppID  string // with Secret, for stable_token
	Secret string
	Token  string // used as it is, when given
	ThirdParty
}

// ThirdParty are a third-party platform's credentials and a mini program it
// manages, for the @third-party scenarios.
type ThirdParty struct {
	ComponentAppID  string
	ComponentSecret string
	VerifyTicket    string
	AuthorizerAppID string // a mini program that granted the platform getenvinfo's permission set
	RefreshToken    string // its authorizer_refresh_token
}

// Complete reports whether every field is given.
func (tp ThirdParty) Complete() bool {
	return tp.ComponentAppID != "" && tp.ComponentSecret != "" && tp.VerifyTicket != "" && tp.AuthorizerAppID != "" && tp.RefreshToken != ""
}

// Target is what the suite talks to.
type Target struct {
	BaseURL    string       // the scheme and host, such as https://api.weixin.qq.com
	Client     *http.Client // sends every request
	Admin      bool         // it answers the fake's admin API
	AdminToken string       // the bearer token of a fake served with --admin-token
	Credentials
}

// NewTarget returns the target at baseURL. Unless live, it asks the target
// whether it has the fake's admin API; a live target is never asked.
func NewTarget(ctx context.Context, baseURL string, creds Credentials, live bool) (*Target, error) {
	t := &Target{BaseURL: strings.TrimSuffix(baseURL, "/"), Client: &http.Client{Timeout: 30 * time.Second}, Credentials: creds}
	if !strings.HasPrefix(t.BaseURL, "http://") && !strings.HasPrefix(t.BaseURL, "https://") {
		return nil, fmt.Errorf("contract: target %q is not an http:// or https:// URL", baseURL)
	}
	if !live {
		t.Admin = t.hasAdmin(ctx)
	}
	return t, t.check()
}

// HandlerTarget returns a target that calls h in-process, with no network.
func HandlerTarget(ctx context.Context, h http.Handler, creds Credentials) (*Target, error) {
	t := &Target{BaseURL: "http://tcbmock.invalid", Client: &http.Client{Transport: handlerTransport{h}}, Credentials: creds}
	t.Admin = t.hasAdmin(ctx)
	return t, t.check()
}

func (t *Target) check() error {
	if t.Admin || t.Token != "" || (t.AppID != "" && t.Secret != "") {
		return nil
	}
	return ErrNoCredentials
}

// hasAdmin reports whether GET /__tcbmock/health answers {"status":"ok"}.
func (t *Target) hasAdmin(ctx context.Context) bool {
	var health struct{ Status string }
	return t.admin(ctx, http.MethodGet, "health", nil, &health) == nil && health.Status == "ok"
}

// admin calls the fake's admin API and decodes its answer into out.
func (t *Target) admin(ctx context.Context, method, path string, in, out any) error {
	c := adminclient.Client{BaseURL: t.BaseURL, HTTP: t.Client, Token: t.AdminToken}
	return c.Do(ctx, method, path, in, out)
}

// handlerTransport answers requests with an http.Handler in-process.
type handlerTransport struct{ h http.Handler }

func (ht handlerTransport) RoundTrip(r *http.Request) (resp *http.Response, err error) {
	defer func() {
		if v := recover(); v == http.ErrAbortHandler {
			resp, err = nil, errors.New("contract: the handler aborted the connection")
		} else if v != nil {
			panic(v)
		}
	}()
	in := r.Clone(r.Context())
	if in.Body == nil {
		in.Body = http.NoBody // as a server gives it
	}
	in.RequestURI = r.URL.RequestURI()
	w := httptest.NewRecorder()
	ht.h.ServeHTTP(w, in)
	resp = w.Result()
	resp.Request = r
	return resp, nil
}
