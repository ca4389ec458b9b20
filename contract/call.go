package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/tcbmock/tcbmock"
)

// scenarioHeader chooses a fake's scenario for one request.
const scenarioHeader = "X-Tcbmock-Scenario"

// answer is what the target answered to one WeChat API request.
type answer struct {
	op     *tcbmock.Operation
	status int
	body   []byte

	Errcode     int    `json:"errcode"`
	Errmsg      string `json:"errmsg"`
	InfoList    []env  `json:"info_list"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`

	ComponentAccessToken  string `json:"component_access_token"`
	AuthorizerAccessToken string `json:"authorizer_access_token"`
}

// env is an environment of an answer; only its id matters to the steps.
type env struct {
	Env string `json:"env"`
}

// request is one WeChat API request to send.
type request struct {
	method, path string
	query        url.Values
	body         string
	scenario     string // the fake's scenario header, or ""
}

// send sends req to the target and checks the answer against the spec: a
// mismatch, or an errcode the operation's table does not list, is an error.
func (s *scenario) send(ctx context.Context, req request) (*answer, error) {
	target := s.session.target
	u := target.BaseURL + req.path
	if len(req.query) > 0 {
		u += "?" + req.query.Encode()
	}
	var body io.Reader
	if req.method != http.MethodGet || req.body != "" {
		body = strings.NewReader(req.body)
	}
	r, err := http.NewRequestWithContext(ctx, req.method, u, body)
	if err != nil {
		return nil, err
	}
	if req.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if req.scenario != "" {
		r.Header.Set(scenarioHeader, req.scenario+"; key="+s.id)
	}
	resp, err := target.Client.Do(r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", req.method, req.path, err)
	}
	a := &answer{status: resp.StatusCode, body: data}
	s.last = a
	spec := s.session.spec
	if err := spec.ValidateResponse(ctx, r, resp.StatusCode, resp.Header, data); err != nil {
		return a, fmt.Errorf("%s %s: %w\nbody: %s", req.method, req.path, err, short(data))
	}
	a.op = spec.Match(r).Operation
	if err := json.Unmarshal(data, a); err != nil {
		return a, fmt.Errorf("%s %s: %w", req.method, req.path, err)
	}
	if _, ok := a.op.Errcode(a.Errcode); !ok {
		return a, fmt.Errorf("%s %s: errcode: expected one of %s's x-errcodes, received %d\nbody: %s", req.method, req.path, a.op.ID, a.Errcode, short(data))
	}
	return a, nil
}

func short(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}
