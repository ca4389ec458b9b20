// Package adminclient holds the fake's wire constants, the names both the
// fake and its clients must agree on, and calls a fake's admin API: JSON in,
// JSON out, and {"error": …} with a status other than 2xx on failure.
package adminclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Prefix is where a fake serves its admin API.
const Prefix = "/__tcbmock/"

// ScenarioHeader chooses a fake's scenario for one request: "NAME", or
// "NAME; key=K" to give the request its own position in a sequence.
const ScenarioHeader = "X-Tcbmock-Scenario"

// Client calls the admin API of the fake at BaseURL.
type Client struct {
	BaseURL string       // the fake's base URL, without a trailing slash
	HTTP    *http.Client // sends the requests
	Token   string       // the bearer token of a fake served with --admin-token, or ""
}

// Error is an admin API answer other than HTTP 2xx.
type Error struct {
	Method, Path string // the call, Path below Prefix
	Status       int    // the HTTP status
	Msg          string // the answer's "error", or its body
}

var _ error = (*Error)(nil)

func (e *Error) Error() string {
	return fmt.Sprintf("%s %s%s: HTTP %d: %s", e.Method, Prefix, e.Path, e.Status, e.Msg)
}

// Do calls method path (below Prefix), sending in as JSON unless it is nil
// and decoding the answer into out unless it is nil. An answer other than
// HTTP 2xx is an [*Error].
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+Prefix+path, body)
	if err != nil {
		return err
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		var e struct{ Error string }
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e.Error = string(data)
		}
		return &Error{Method: method, Path: path, Status: resp.StatusCode, Msg: e.Error}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}

// Apps decodes the fake's apps and third-party platforms (GET apps) into out.
func (c *Client) Apps(ctx context.Context, out any) error {
	return c.Do(ctx, http.MethodGet, "apps", nil, out)
}

// MintToken returns a token for appid that lives expiresIn (7200 s when 0),
// bound to scenario unless it is "".
func (c *Client) MintToken(ctx context.Context, appid, scenario string, expiresIn time.Duration) (string, error) {
	in := map[string]any{"appid": appid, "scenario": scenario}
	if expiresIn > 0 {
		in["expires_in"] = int(expiresIn / time.Second)
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	err := c.Do(ctx, http.MethodPost, "tokens", in, &out)
	return out.AccessToken, err
}

// Advance moves the fake's clock on by advance, a Go duration such as
// "2h", and returns its new time.
func (c *Client) Advance(ctx context.Context, advance string) (time.Time, error) {
	var out struct{ Now time.Time }
	err := c.Do(ctx, http.MethodPost, "clock", map[string]string{"advance": advance}, &out)
	return out.Now, err
}

// Reset puts the fake's tokens, clock, sequences and journal back to their start.
func (c *Client) Reset(ctx context.Context) error {
	return c.Do(ctx, http.MethodPost, "reset", nil, nil)
}

// Reauthorize has an account authorize a platform again, and returns its
// new refresh token.
func (c *Client) Reauthorize(ctx context.Context, componentAppID, authorizerAppID string) (string, error) {
	var out struct {
		AuthorizerRefreshToken string `json:"authorizer_refresh_token"`
	}
	err := c.Do(ctx, http.MethodPost, "reauthorize", map[string]string{"component_appid": componentAppID, "authorizer_appid": authorizerAppID}, &out)
	return out.AuthorizerRefreshToken, err
}
