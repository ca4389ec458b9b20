package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/tcbmock/tcbmock"
)

// operation is an operation of the spec as the fake answers it, made once
// at load: the templates of its answers, rendered from its schemas, and
// each one checked against them.
type operation struct {
	*tcbmock.Operation
	errors  *template // the error answer: errcode and errmsg
	success *template // a token behaviour's answer, or a listing's (nil for neither)
	example []byte    // the answer of an operation without x-answer
	unknown int       // a listing's errcode when its match or within names nothing the app has
	// okErrcode is the errcode a success answer carries, if okCarries.
	okErrcode int
	okCarries bool
	// appidFields are the request fields that name an account.
	appidFields []string
}

// sampleRID stands for a request id in the answers checked at load.
const sampleRID = "00000000-00000000-00000000"

// newOperation makes the templates of o and checks a sample of every
// answer they make against the spec.
func newOperation(ctx context.Context, spec *tcbmock.Spec, o *tcbmock.Operation) (*operation, error) {
	op := &operation{Operation: o}
	for _, name := range []string{"appid", "authorizer_appid", "component_appid"} {
		if o.FieldSchema(name) != nil {
			op.appidFields = append(op.appidFields, name)
		}
	}
	errSchema := o.ErrorSchema()
	if errSchema == nil || errSchema.Properties["errmsg"] == nil {
		return nil, spec.Errorf(o.At("responses"), "%s has no error answer: a branch of its HTTP 200 answer with errcode and errmsg", o.ID)
	}
	var err error
	if op.errors, err = newTemplate(spec, errSchema, map[string]hole{"errcode": holeErrcode, "errmsg": holeErrmsg}); err != nil {
		return nil, err
	}
	row, _ := o.Errcode(-1)
	if err := op.check(ctx, spec, op.errors.render(&fill{errcode: row.Code, errmsg: row.Errmsg, rid: sampleRID}), "x-errcodes"); err != nil {
		return nil, err
	}
	switch r := o.Answer; {
	case r == nil:
		if op.example, err = exampleAnswer(spec, o); err != nil {
			return nil, err
		}
		op.noteSuccess(op.example)
		return op, op.check(ctx, spec, op.example, "responses")
	case r.List != "":
		op.unknown = r.Unknown
		op.success, err = newTemplate(spec, o.SuccessSchema(), map[string]hole{r.Into: holeList})
		if err != nil {
			return nil, err
		}
		sample := op.success.render(&fill{list: []byte("[]")})
		op.noteSuccess(sample)
		return op, op.check(ctx, spec, sample, "x-answer")
	default:
		holes := map[string]hole{}
		for prop, give := range r.Fields {
			holes[prop] = map[string]hole{"token": holeToken, "expires_in": holeExpiresIn, "refresh_token": holeRefresh}[give]
		}
		if op.success, err = newTemplate(spec, o.SuccessSchema(), holes); err != nil {
			return nil, err
		}
		sample := op.success.render(&fill{token: newTokenValue(), expiresIn: int(r.Lifetime() / time.Second), refresh: newRefreshToken()})
		op.noteSuccess(sample)
		return op, op.check(ctx, spec, sample, "x-answer")
	}
}

// check validates an answer the operation will make, and refuses the spec
// if the answer breaks it.
func (op *operation) check(ctx context.Context, spec *tcbmock.Spec, body []byte, at string) error {
	err := spec.ValidateAnswer(ctx, op.Operation, body)
	var ae *tcbmock.AnswerError
	if !errors.As(err, &ae) {
		return err
	}
	return spec.Errorf(op.At(at), "the fake's answer of %s would break the spec: %s: %s", op.ID, ae.Mismatches[0], body)
}

// noteSuccess records whether the success answer body carries an errcode.
func (op *operation) noteSuccess(body []byte) {
	var head struct {
		Errcode *int `json:"errcode"`
	}
	if json.Unmarshal(body, &head) == nil && head.Errcode != nil {
		op.okErrcode, op.okCarries = *head.Errcode, true
	}
}

// ok is the operation's success answer body.
func (op *operation) ok(body []byte) answer {
	return answer{status: http.StatusOK, errcode: op.okErrcode, carries: op.okCarries, body: body}
}

// exampleAnswer is the example of the operation's HTTP 200 answer.
func exampleAnswer(spec *tcbmock.Spec, o *tcbmock.Operation) ([]byte, error) {
	if resp := o.Op.Responses.Status(http.StatusOK); resp != nil && resp.Value != nil {
		if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Example != nil {
			return renderValue(spec, o.SuccessSchema(), mt.Example), nil
		}
	}
	return nil, spec.Errorf(o.At("responses"), "%s has neither x-answer nor an example of its HTTP 200 answer: the fake has nothing to answer", o.ID)
}

// errorAnswer is the operation's answer of the table's row code.
func (op *operation) errorAnswer(row tcbmock.Errcode, rid string) answer {
	return answer{status: http.StatusOK, errcode: row.Code, carries: true, body: op.errors.render(&fill{errcode: row.Code, errmsg: row.Errmsg, rid: rid})}
}

func (op *operation) String() string { return fmt.Sprint(op.Operation) }
