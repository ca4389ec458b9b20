package apispec

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// ErrNoOperation is returned when a request matches no operation of the spec.
var ErrNoOperation = errors.New("tcbmock: no operation of the spec at this path")

// ErrUndeclaredStatus is what an [*AnswerError] unwraps to when the answer's
// HTTP status is one the operation does not declare.
var ErrUndeclaredStatus = errors.New("tcbmock: an HTTP status the operation does not declare")

// requestInput returns the validation input of r on rt.
func (rt *Route) requestInput(r *http.Request, opts *openapi3filter.Options) *openapi3filter.RequestValidationInput {
	return &openapi3filter.RequestValidationInput{Request: r, PathParams: rt.params, Route: rt.route, Options: opts}
}

// ValidateRequest validates r's parameters and body (read from body, so r's
// own Body is left alone) against the operation. Every failure comes back,
// in a [openapi3.MultiError] of [*openapi3filter.RequestError].
func (rt *Route) ValidateRequest(ctx context.Context, r *http.Request, body []byte) error {
	in := *r // a shallow copy: the validator reads the URL, and the body and header below
	in.Body = io.NopCloser(bytes.NewReader(body))
	in.ContentLength = int64(len(body))
	// The real server reads the body as JSON whatever the Content-Type says.
	in.Header = jsonHeader
	return openapi3filter.ValidateRequest(ctx, rt.requestInput(&in, validateRequestOptions))
}

// jsonHeader is the header request validation sees; it is never written to.
var jsonHeader = http.Header{"Content-Type": {"application/json"}}

// validateRequestOptions are the validator's options for requests; never written to.
var validateRequestOptions = &openapi3filter.Options{MultiError: true, SkipSettingDefaults: true}

// ValidateResponse validates an answer to r (status, header, body) against
// the operation at r's path with kin-openapi's openapi3filter.ValidateResponse.
// A wrong method still has an operation: its answer is validated against the
// responses of the operation at that path. An answer that breaks the spec
// gets an [*AnswerError] naming each field, the expected and the received value.
func (s *Spec) ValidateResponse(ctx context.Context, r *http.Request, status int, header http.Header, body []byte) error {
	rt := s.Match(r)
	if rt == nil {
		return ErrNoOperation
	}
	if rt.Op.Responses.Status(status) == nil && rt.Op.Responses.Default() == nil {
		// kin-openapi passes some statuses it does not validate (301, 304, 307, 308).
		return &AnswerError{Operation: rt.Operation, Mismatches: rt.Operation.explain(status, header.Get("Content-Type"), body), Err: ErrUndeclaredStatus}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: rt.requestInput(r, nil),
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	err := openapi3filter.ValidateResponse(ctx, in)
	if err == nil {
		return nil
	}
	ms := rt.Operation.explain(status, header.Get("Content-Type"), body)
	if len(ms) == 0 {
		ms = []Mismatch{{Field: "answer", Expected: "what " + s.File + " describes", Received: err.Error()}}
	}
	return &AnswerError{Operation: rt.Operation, Mismatches: ms, Err: err}
}

// ValidateAnswer validates body as the operation's HTTP 200 JSON answer.
func (s *Spec) ValidateAnswer(ctx context.Context, o *Operation, body []byte) error {
	r, err := http.NewRequestWithContext(ctx, o.Method, o.Path, nil)
	if err != nil {
		return err
	}
	return s.ValidateResponse(ctx, r, http.StatusOK, http.Header{"Content-Type": {ContentType}}, body)
}
