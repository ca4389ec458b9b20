// Package adminclient calls a fake's admin API: JSON in, JSON out, and
// {"error": …} with a status other than 200 on failure.
package adminclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Prefix is where a fake serves its admin API.
const Prefix = "/__tcbmock/"

// Client calls the admin API of the fake at BaseURL.
type Client struct {
	BaseURL string       // the fake's base URL, without a trailing slash
	HTTP    *http.Client // sends the requests
	Token   string       // the bearer token of a fake served with --admin-token, or ""
}

// Do calls method path (below Prefix), sending in as JSON unless it is nil
// and decoding the answer into out unless it is nil.
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
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e.Error = string(data)
		}
		return fmt.Errorf("%s %s%s: HTTP %d: %s", method, Prefix, path, resp.StatusCode, e.Error)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}
