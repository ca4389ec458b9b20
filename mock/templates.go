package mock

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/compute"
	"github.com/tcbmock/tcbmock/mock/internal/tokens"
)

// templates are how the fake renders the answers of an operation, which
// package apispec owns: made once at load from its schemas, each one
// checked against them. A configuration keeps them by operation.
type templates struct {
	op      *apispec.Operation
	errors  *template // the error answer: errcode and errmsg
	success *template // a token behaviour's answer, or a listing's (nil for neither)
	example []byte    // the answer of an operation without x-answer
	empty   []byte    // a listing's answer that lists nothing, shared by every app
	unknown int       // a listing's errcode when its match or within names nothing the app has
	// okErrcode is the errcode a success answer carries, if okCarries.
	okErrcode int
	okCarries bool
	// computed are the properties a computing x-answer computes, and needs
	// the parts of the request their expressions read.
	computed []computedProp
	needs    compute.Needs
	readsApp bool // whether one of them reads the app's entities (app)
}

// sampleRID stands for a request id in the answers checked at load.
const sampleRID = "00000000-00000000-00000000"

// newTemplates makes the templates of o and checks a sample of every
// answer they make against the spec.
func newTemplates(ctx context.Context, spec *apispec.Spec, o *apispec.Operation) (*templates, error) {
	t := &templates{op: o}
	errSchema := o.ErrorSchema()
	if errSchema == nil || errSchema.Properties["errmsg"] == nil {
		return nil, spec.Errorf(o.At("responses"), "%s has no error answer: a branch of its HTTP 200 answer with errcode and errmsg", o.ID)
	}
	var err error
	if t.errors, err = newTemplate(spec, errSchema, map[string]hole{"errcode": holeErrcode, "errmsg": holeErrmsg}); err != nil {
		return nil, err
	}
	row, _ := o.Errcode(-1)
	if err := t.validate(ctx, spec, t.errors.render(&fill{errcode: row.Code, errmsg: row.Errmsg, rid: sampleRID}), "x-errcodes"); err != nil {
		return nil, err
	}
	switch r := o.Answer; {
	case r == nil:
		if t.example, err = exampleAnswer(spec, o); err != nil {
			return nil, err
		}
		t.noteSuccess(t.example)
		return t, t.validate(ctx, spec, t.example, "responses")
	case r.List != "":
		t.unknown = r.Unknown
		t.success, err = newTemplate(spec, o.SuccessSchema(), map[string]hole{r.Into: holeList})
		if err != nil {
			return nil, err
		}
		t.empty = t.success.render(&fill{list: []byte("[]")})
		t.noteSuccess(t.empty)
		return t, t.validate(ctx, spec, t.empty, "x-answer")
	case r.Compute != nil:
		return t, newComputed(ctx, spec, t)
	default:
		holes := map[string]hole{}
		for prop, give := range r.Fields {
			holes[prop] = map[string]hole{"token": holeToken, "expires_in": holeExpiresIn, "refresh_token": holeRefresh}[give]
		}
		if t.success, err = newTemplate(spec, o.SuccessSchema(), holes); err != nil {
			return nil, err
		}
		sample := t.success.render(&fill{token: tokens.NewValue(), expiresIn: int(r.Lifetime() / time.Second), refresh: tokens.NewRefreshToken()})
		t.noteSuccess(sample)
		return t, t.validate(ctx, spec, sample, "x-answer")
	}
}

// validate validates an answer the operation will make, and refuses the spec
// if the answer breaks it.
func (t *templates) validate(ctx context.Context, spec *apispec.Spec, body []byte, at string) error {
	err := spec.ValidateAnswer(ctx, t.op, body)
	var ae *apispec.AnswerError
	if !errors.As(err, &ae) {
		return err
	}
	return spec.Errorf(t.op.At(at), "the fake's answer of %s would break the spec: %s: %s", t.op.ID, ae.Mismatches[0], body)
}

// noteSuccess records whether the success answer body carries an errcode.
func (t *templates) noteSuccess(body []byte) {
	var head struct {
		Errcode *int `json:"errcode"`
	}
	if json.Unmarshal(body, &head) == nil && head.Errcode != nil {
		t.okErrcode, t.okCarries = *head.Errcode, true
	}
}

// ok is the operation's success answer body.
func (t *templates) ok(body []byte) answer {
	return answer{status: http.StatusOK, errcode: t.okErrcode, carries: t.okCarries, body: body}
}

// exampleAnswer is the example of the operation's HTTP 200 answer.
func exampleAnswer(spec *apispec.Spec, o *apispec.Operation) ([]byte, error) {
	if resp := o.Op.Responses.Status(http.StatusOK); resp != nil && resp.Value != nil {
		if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Example != nil {
			return renderValue(spec, o.SuccessSchema(), mt.Example), nil
		}
	}
	return nil, spec.Errorf(o.At("responses"), "%s has neither x-answer nor an example of its HTTP 200 answer: the fake has nothing to answer", o.ID)
}

// errorAnswer is the operation's answer of the table's row code.
func (t *templates) errorAnswer(row apispec.Errcode, rid string) answer {
	return answer{status: http.StatusOK, errcode: row.Code, carries: true, body: t.errors.render(&fill{errcode: row.Code, errmsg: row.Errmsg, rid: rid})}
}

// refuse answers the first row of the table that lists one of causes, or
// -1 when none does, with the caller's address ip where the row's errmsg
// names it; it returns the cause it answered.
func (t *templates) refuse(rid, ip string, causes ...string) (answer, string) {
	row, cause, ok := t.op.Cause(causes...)
	if !ok {
		row, _ = t.op.Errcode(-1)
	}
	row.Errmsg = apispec.Addressed(row.Errmsg, ip)
	return t.errorAnswer(row, rid), cause
}
