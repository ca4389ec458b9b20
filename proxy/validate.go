package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// The kinds of violation, as the shutdown summary counts them.
const (
	KindStatus      = "status"       // an HTTP status the spec does not give
	KindContentType = "content-type" // not the real server's application/json; encoding=utf-8
	KindBody        = "body"         // not JSON
	KindSchema      = "schema"       // a field missing, of the wrong type or format, …
	KindErrcode     = "errcode"      // an errcode outside the operation's x-errcodes
	KindRID         = "rid"          // an error's errmsg without its rid suffix
	KindErrmsg      = "errmsg"       // an errmsg other than its row's, where the spec knows production's text
)

// Violation is one way an answer breaks the spec: its kind, and the
// field, the expected and the received value.
type Violation struct {
	Kind string
	tcbmock.Mismatch
}

// answer is an upstream's answer as check reads it.
type answer struct {
	status int
	header http.Header
	body   []byte // decoded of any Content-Encoding
	noBody bool   // an answer to HEAD
}

// check returns how a answers r, a request of the operation rt, against the
// spec: its status, its Content-Type, then its body against the schema,
// and the errcode and errmsg as the spec's judge reads them
// ([apispec.Operation.JudgeAnswer]). Each drift is reported once, under its
// own kind; where the spec's word is a choice (an errmsg text without
// evidence), the drift is an observation instead.
func check(ctx context.Context, spec *apispec.Spec, rt *apispec.Route, r *http.Request, a answer) (out, observations []Violation) {
	ms := mismatches(ctx, spec, r, a.status, a.body)
	if len(ms) > 0 && ms[0].Field == "HTTP status" {
		out = append(out, Violation{KindStatus, ms[0]})
		ms = mismatches(ctx, spec, r, http.StatusOK, a.body) // and the body, as if the status were right
	}
	if v, ok := contentType(a.header.Get("Content-Type")); !ok {
		out = append(out, v)
	}
	if a.noBody {
		return out, nil
	}
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(a.body))
	dec.UseNumber()
	_ = dec.Decode(&obj)
	ridMissing := false
	if code, ok := errcodeOf(obj); ok {
		errmsg, _ := obj["errmsg"].(string)
		for _, f := range rt.JudgeAnswer(code, errmsg) {
			v := Violation{judgedKind(f), f.Mismatch}
			ridMissing = ridMissing || v.Kind == KindRID
			if f.Chosen {
				observations = append(observations, v)
			} else {
				out = append(out, v)
			}
		}
	}
	for _, m := range ms {
		switch {
		case ridMissing && m.Field == "/errmsg" && strings.Contains(m.Expected, "rid"):
			// the rid violation says it
		case m.Field == "body":
			out = append(out, Violation{KindBody, m})
		default:
			out = append(out, Violation{KindSchema, m})
		}
	}
	return out, observations
}

// judgedKind is the kind of a finding of the spec's judge.
func judgedKind(f apispec.Finding) string {
	switch {
	case f.Field == "/errcode":
		return KindErrcode
	case strings.Contains(f.Expected, " rid: "):
		return KindRID
	}
	return KindErrmsg
}

// jsonHeader is what the schema checks see as an answer's header: the
// Content-Type is checked on its own. Never written to.
var jsonHeader = http.Header{"Content-Type": {"application/json"}}

// mismatches validates an answer's status and body against the spec.
func mismatches(ctx context.Context, spec *apispec.Spec, r *http.Request, status int, body []byte) []tcbmock.Mismatch {
	var ae *apispec.AnswerError
	if err := spec.ValidateResponse(ctx, r, status, jsonHeader, body); errors.As(err, &ae) {
		return ae.Mismatches
	}
	return nil
}

// contentType checks an answer's Content-Type against the real server's:
// the same media type and parameters, whatever their case and spacing.
func contentType(got string) (Violation, bool) {
	wantType, wantParams, _ := mime.ParseMediaType(apispec.ContentType)
	gotType, gotParams, err := mime.ParseMediaType(got)
	if err == nil && gotType == wantType && maps.EqualFunc(gotParams, wantParams, strings.EqualFold) {
		return Violation{}, true
	}
	return Violation{KindContentType, tcbmock.Mismatch{Field: "Content-Type", Expected: apispec.ContentType, Received: strconv.Quote(got)}}, false
}

// errcodeOf returns the integer errcode of an answer, if it has one.
func errcodeOf(obj map[string]any) (int, bool) {
	n, ok := obj["errcode"].(json.Number)
	if !ok {
		return 0, false
	}
	code, err := strconv.Atoi(n.String())
	return code, err == nil
}
