package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/tcbmock/tcbmock/internal/adminclient"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// received is what the target answered to one WeChat API request.
type received struct {
	op     *apispec.Operation
	status int
	body   []byte

	Errcode     int              `json:"errcode"`
	Errmsg      string           `json:"errmsg"`
	InfoList    []map[string]any `json:"info_list"`
	AccessToken string           `json:"access_token"`
	ExpiresIn   int              `json:"expires_in"`

	ComponentAccessToken  string `json:"component_access_token"`
	AuthorizerAccessToken string `json:"authorizer_access_token"`
}

// envIDs returns the ids of the answer's environments, in order.
func (a *received) envIDs() []string { return envIDsOf(a.InfoList) }

// request is one WeChat API request to send.
type request struct {
	method, path string
	query        url.Values
	body         string
	scenario     string // the fake's scenario header, or ""
	cause        string // the cause it is made to earn, or ""
}

// transportError is a request that got no answer. Its message names the
// method and path, never the URL, whose query may hold a credential.
type transportError struct {
	method, path string
	err          error // the *url.Error
}

var _ error = (*transportError)(nil)

func (e *transportError) Error() string {
	cause := e.err
	if ue, ok := e.err.(*url.Error); ok {
		cause = ue.Err
	}
	return fmt.Sprintf("%s %s: no answer: %v", e.method, e.path, cause)
}

func (e *transportError) Unwrap() error { return e.err }

// send sends req to the target and checks the answer against the spec: a
// mismatch, an errcode the operation's table does not list, or an errmsg
// other than the table's is an error.
func (s *scenario) send(ctx context.Context, req request) (*received, error) {
	if err := s.session.safe(req); err != nil {
		return nil, err
	}
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
		return nil, fmt.Errorf("%s %s: %w", req.method, req.path, err)
	}
	if req.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if req.scenario != "" {
		r.Header.Set(adminclient.ScenarioHeader, req.scenario+"; key="+s.id)
	}
	resp, err := target.Client.Do(r)
	if err != nil {
		return nil, &transportError{req.method, req.path, err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, &transportError{req.method, req.path, err}
	}
	s.session.learn(data)
	a := &received{status: resp.StatusCode, body: data}
	s.last, s.lastReq, s.chosenCode = a, req, false
	if err := s.session.validate(ctx, r, resp, a); err != nil {
		return a, err
	}
	if err := s.session.wireHabits(resp, a); err != nil {
		return a, fmt.Errorf("%s %s: %w", req.method, req.path, err)
	}
	return a, s.judge(a.op.ExpectOf(req.cause))
}

// validate validates an answer against the spec and the operation's table.
func (s *session) validate(ctx context.Context, r *http.Request, resp *http.Response, a *received) error {
	where := r.Method + " " + r.URL.Path
	if err := s.spec.ValidateResponse(ctx, r, resp.StatusCode, resp.Header, a.body); err != nil {
		return fmt.Errorf("%s: %w\nbody: %s", where, err, s.excerpt(a.body))
	}
	a.op = s.spec.Match(r).Operation
	if err := json.Unmarshal(a.body, a); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	return nil
}

// excerpt is the beginning of an answer, for a message: without any
// credential, then cut short.
func (s *session) excerpt(b []byte) string {
	text := s.secret.text(string(b))
	if len(text) > 300 {
		return text[:300] + "…"
	}
	return text
}

// learn remembers the credentials an answer carries (tokens, refresh
// tokens), so that no message shows them.
func (s *session) learn(body []byte) {
	var fields map[string]any
	if json.Unmarshal(body, &fields) != nil {
		return
	}
	for k, v := range fields {
		if str, ok := v.(string); ok && isCredentialName(k) {
			s.secret.add(str)
		}
	}
}

// isCredentialName reports whether a field of that name holds a credential.
func isCredentialName(name string) bool {
	for _, suffix := range []string{"token", "secret", "ticket"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}
