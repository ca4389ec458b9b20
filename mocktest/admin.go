package mocktest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock/internal/adminclient"
	"github.com/tcbmock/tcbmock/mock"
)

// Admin is a client of a fake's admin API, in-process or running elsewhere.
type Admin struct {
	BaseURL string       // the fake's base URL
	Client  *http.Client // sends the requests
	Token   string       // the bearer token of a fake started with --admin-token, or ""
}

// NewAdmin returns a client of the fake at baseURL; a nil client is http.DefaultClient.
func NewAdmin(baseURL string, client *http.Client) *Admin {
	if client == nil {
		client = http.DefaultClient
	}
	return &Admin{BaseURL: strings.TrimSuffix(baseURL, "/"), Client: client}
}

// do calls the admin API: in is sent as JSON, the answer decoded into out.
func (a *Admin) do(ctx context.Context, method, path string, in, out any) error {
	c := adminclient.Client{BaseURL: a.BaseURL, HTTP: a.Client, Token: a.Token}
	if err := c.Do(ctx, method, path, in, out); err != nil {
		return fmt.Errorf("mocktest: %w", err)
	}
	return nil
}

// Health returns nil when the fake answers.
func (a *Admin) Health(ctx context.Context) error {
	return a.do(ctx, http.MethodGet, "health", nil, nil)
}

// World is the fake's apps and third-party platforms.
type World struct {
	Apps       []mock.App       `json:"apps"`
	Components []mock.Component `json:"components"`
}

// Apps returns the fake's apps and platforms, with their credentials.
func (a *Admin) Apps(ctx context.Context) (World, error) {
	var w World
	err := a.do(ctx, http.MethodGet, "apps", nil, &w)
	return w, err
}

// MintToken returns a token for appid that lives expiresIn (7200 s when 0),
// bound to scenario unless it is "".
func (a *Admin) MintToken(ctx context.Context, appid, scenario string, expiresIn time.Duration) (string, error) {
	in := map[string]any{"appid": appid, "scenario": scenario}
	if expiresIn > 0 {
		in["expires_in"] = int(expiresIn / time.Second)
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	err := a.do(ctx, http.MethodPost, "tokens", in, &out)
	return out.AccessToken, err
}

// Advance moves the fake's clock d on and returns its new time.
func (a *Admin) Advance(ctx context.Context, d time.Duration) (time.Time, error) {
	var out struct{ Now time.Time }
	err := a.do(ctx, http.MethodPost, "clock", map[string]string{"advance": d.String()}, &out)
	return out.Now, err
}

// Reset puts the fake's tokens, clock, sequences and journal back to their start.
func (a *Admin) Reset(ctx context.Context) error {
	return a.do(ctx, http.MethodPost, "reset", nil, nil)
}

// Requests returns the fake's journal, filtered by query (path, appid, env,
// errcode, cause, since, …; see GET /__tcbmock/requests).
func (a *Admin) Requests(ctx context.Context, query url.Values) ([]mock.Entry, error) {
	var out struct{ Requests []mock.Entry }
	path := "requests"
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	err := a.do(ctx, http.MethodGet, path, nil, &out)
	return out.Requests, err
}

// ClearRequests empties the fake's journal.
func (a *Admin) ClearRequests(ctx context.Context) error {
	return a.do(ctx, http.MethodDelete, "requests", nil, nil)
}

// Reauthorize has an account authorize a platform again, and returns its new refresh token.
func (a *Admin) Reauthorize(ctx context.Context, componentAppID, authorizerAppID string) (string, error) {
	var out struct {
		AuthorizerRefreshToken string `json:"authorizer_refresh_token"`
	}
	err := a.do(ctx, http.MethodPost, "reauthorize", map[string]string{"component_appid": componentAppID, "authorizer_appid": authorizerAppID}, &out)
	return out.AuthorizerRefreshToken, err
}
