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

// client is the admin API's client.
func (a *Admin) client() *adminclient.Client {
	return &adminclient.Client{BaseURL: a.BaseURL, HTTP: a.Client, Token: a.Token}
}

// wrap says which package an error comes from.
func wrap(err error) error {
	if err != nil {
		return fmt.Errorf("mocktest: %w", err)
	}
	return nil
}

// Health returns nil when the fake answers.
func (a *Admin) Health(ctx context.Context) error {
	return wrap(a.client().Do(ctx, http.MethodGet, "health", nil, nil))
}

// World is the fake's apps and third-party platforms.
type World struct {
	Apps       []mock.App       `json:"apps"`
	Components []mock.Component `json:"components"`
}

// Apps returns the fake's apps and platforms, with their credentials.
func (a *Admin) Apps(ctx context.Context) (World, error) {
	var w World
	err := a.client().Apps(ctx, &w)
	return w, wrap(err)
}

// MintToken returns a token for appid that lives expiresIn (7200 s when 0),
// bound to scenario unless it is "".
func (a *Admin) MintToken(ctx context.Context, appid, scenario string, expiresIn time.Duration) (string, error) {
	tok, err := a.client().MintToken(ctx, appid, scenario, expiresIn)
	return tok, wrap(err)
}

// Advance moves the fake's clock d on and returns its new time.
func (a *Admin) Advance(ctx context.Context, d time.Duration) (time.Time, error) {
	now, err := a.client().Advance(ctx, d.String())
	return now, wrap(err)
}

// Reset puts the fake's tokens, clock, sequences and journal back to their start.
func (a *Admin) Reset(ctx context.Context) error {
	return wrap(a.client().Reset(ctx))
}

// Requests returns the fake's journal, filtered by query (path, appid, env,
// errcode, cause, since, …; see GET /__tcbmock/requests).
func (a *Admin) Requests(ctx context.Context, query url.Values) ([]mock.Entry, error) {
	var out struct{ Requests []mock.Entry }
	path := "requests"
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	err := a.client().Do(ctx, http.MethodGet, path, nil, &out)
	return out.Requests, wrap(err)
}

// ClearRequests empties the fake's journal.
func (a *Admin) ClearRequests(ctx context.Context) error {
	return wrap(a.client().Do(ctx, http.MethodDelete, "requests", nil, nil))
}

// Reauthorize has an account authorize a platform again, and returns its new refresh token.
func (a *Admin) Reauthorize(ctx context.Context, componentAppID, authorizerAppID string) (string, error) {
	rt, err := a.client().Reauthorize(ctx, componentAppID, authorizerAppID)
	return rt, wrap(err)
}
