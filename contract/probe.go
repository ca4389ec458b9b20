package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// probe sends a token endpoint a request that is wrong in one way.
func (s *scenario) probe(ctx context.Context, endpoint, what string) error {
	c, err := s.session.credentials(ctx)
	if err != nil {
		return err
	}
	fields := map[string]string{"grant_type": "client_credential", "appid": c.AppID, "secret": c.Secret}
	needs := []string{"appid", "secret"}
	var raw *string
	method := ""
	switch what {
	case "a wrong grant_type":
		fields["grant_type"] = "password"
	case "no appid":
		delete(fields, "appid")
		needs = []string{"secret"}
	case "an unknown appid":
		fields["appid"], fields["secret"], needs = unknownAppID, strings.Repeat("0", 32), nil
	case "no secret":
		delete(fields, "secret")
		needs = []string{"appid"}
	case "a wrong secret":
		fields["secret"], needs = strings.Repeat("0", 32), []string{"appid"}
	case "a body that is not JSON", "an empty body":
		body := map[string]string{"a body that is not JSON": "{", "an empty body": ""}[what]
		raw, needs = &body, nil
	case "the method GET", "the method POST":
		method, needs = strings.TrimPrefix(what, "the method "), nil
	default:
		return fmt.Errorf("no such request: %q", what)
	}
	for _, f := range needs {
		if fields[f] == "" {
			return errNeedsSecret
		}
	}
	req := probeRequest(endpoint, fields, raw)
	if method != "" {
		req.method = method
	}
	if req.path == "/cgi-bin/token" && !s.session.target.Admin {
		return fmt.Errorf("/cgi-bin/token is never called on a target without the admin API")
	}
	_, err = s.send(ctx, req)
	return err
}

// probeRequest is a request to the endpoint with fields, or with the raw body.
func probeRequest(endpoint string, fields map[string]string, raw *string) request {
	if endpoint == "/cgi-bin/token" {
		q := url.Values{}
		for k, v := range fields {
			q.Set(k, v)
		}
		return request{method: http.MethodGet, path: endpoint, query: q}
	}
	req := request{method: http.MethodPost, path: "/cgi-bin/stable_token", body: jsonString(fields)}
	if raw != nil {
		req.body = *raw
	}
	return req
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of strings and booleans come here
	}
	return string(b)
}
