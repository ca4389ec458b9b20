package contract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock/internal/adminclient"
)

// AdminPrefix is where a fake answers its admin API.
const AdminPrefix = adminclient.Prefix

// DefaultRequestTimeout bounds each request the suite sends, unless
// [TargetOptions] say otherwise.
const DefaultRequestTimeout = 10 * time.Second

// ErrNoCredentials is returned when a target without the admin API is given
// neither an appid and secret nor a token.
var ErrNoCredentials = errors.New("contract: a target without the admin API needs an appid and a secret, or a token")

// ErrUnreachable is returned when nothing answers at the target's URL: no
// listener, no such host, or connections closed before any answer.
var ErrUnreachable = errors.New("contract: nothing answers")

// ErrAdminToken is returned when the target's admin API refuses the suite:
// it needs an admin token, or another one.
var ErrAdminToken = errors.New("contract: the target's admin API refused the suite")

// ErrBadURL is returned for a target URL that is not http:// or https://.
var ErrBadURL = errors.New("contract: the target is not an http:// or https:// URL")

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

// TargetOptions say how to reach a target and act on it, in the manner of
// openapi3filter.Options: the zero value suits a fake that needs nothing.
type TargetOptions struct {
	Credentials
	AdminToken string   // the bearer token of a fake served with --admin-token
	Envs       []string // environments the app is known to have (check --env)
	// Live treats the target as production: its admin API is never asked for.
	Live bool
	// RequestTimeout bounds each request; 0 is [DefaultRequestTimeout].
	RequestTimeout time.Duration
}

// Target is what the suite talks to.
type Target struct {
	BaseURL    string       // the scheme and host, such as https://api.weixin.qq.com
	Client     *http.Client // sends every request, and never follows a redirect
	Admin      bool         // it answers the fake's admin API
	AdminToken string       // the bearer token of a fake served with --admin-token
	Envs       []string     // environments the app is known to have
	Credentials
}

// NewTarget returns the target at baseURL. Unless o.Live, it asks the target
// for GET /__tcbmock/health to learn whether it is a fake, sending the admin
// token if there is one; a live target is never asked. A nil o is the zero
// [TargetOptions].
func NewTarget(ctx context.Context, baseURL string, o *TargetOptions) (*Target, error) {
	base := strings.TrimSuffix(baseURL, "/")
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q", ErrBadURL, baseURL)
	}
	return newTarget(ctx, base, http.DefaultTransport, o)
}

// HandlerTarget returns a target that calls h in-process, with no network.
func HandlerTarget(ctx context.Context, h http.Handler, o *TargetOptions) (*Target, error) {
	return newTarget(ctx, "http://tcbmock.localhost", handlerTransport{h}, o) // a loopback name (RFC 6761), as a local fake has
}

func newTarget(ctx context.Context, base string, rt http.RoundTripper, o *TargetOptions) (*Target, error) {
	if o == nil {
		o = &TargetOptions{}
	}
	timeout := o.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	t := &Target{
		BaseURL:     base,
		Client:      &http.Client{Transport: rt, Timeout: timeout, CheckRedirect: neverFollow},
		AdminToken:  o.AdminToken,
		Envs:        o.Envs,
		Credentials: o.Credentials,
	}
	if !o.Live {
		if err := t.probe(ctx); err != nil {
			return nil, err
		}
	}
	if !t.Admin && t.Token == "" && (t.AppID == "" || t.Secret == "") {
		return nil, ErrNoCredentials
	}
	return t, nil
}

// neverFollow keeps the client from following redirects: the WeChat API
// never redirects, and following one would send the credentials elsewhere.
// The 3xx answer comes back as it is, and breaks the spec.
func neverFollow(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// probe learns whether the target is a fake: GET /__tcbmock/health answers
// {"status":"ok"}. A fake whose admin API refuses the suite is an error, and
// so is a target where nothing answers.
func (t *Target) probe(ctx context.Context) error {
	var health struct{ Status string }
	err := t.admin().Do(ctx, http.MethodGet, "health", nil, &health)
	if err := unanswered(ctx, t.BaseURL, err); err != nil {
		return err
	}
	if t.Admin = err == nil && health.Status == "ok"; !t.Admin {
		return nil
	}
	err = t.admin().Apps(ctx, nil)
	var ae *adminclient.Error
	switch {
	case errors.As(err, &ae) && (ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden):
		if t.AdminToken == "" {
			return fmt.Errorf("%w: it needs --admin-token (HTTP %d)", ErrAdminToken, ae.Status)
		}
		return fmt.Errorf("%w: it refused the admin token given (HTTP %d)", ErrAdminToken, ae.Status)
	case err != nil:
		return unanswered(ctx, t.BaseURL, err)
	}
	return nil
}

// admin is the client of the fake's admin API.
func (t *Target) admin() *adminclient.Client {
	return &adminclient.Client{BaseURL: t.BaseURL, HTTP: t.Client, Token: t.AdminToken}
}

// unanswered returns ErrUnreachable (or ErrTimeout) when err says that no
// HTTP answer came, with the cause and without the request's URL, whose
// query may hold a credential; otherwise nil.
func unanswered(ctx context.Context, base string, err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return nil
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: %v", ErrTimeout, ctx.Err())
	}
	return fmt.Errorf("%w at %s: %v", ErrUnreachable, base, ue.Err)
}
