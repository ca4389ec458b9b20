package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/compute"
)

// computedAsWorld checks the content of the last answer, a computing
// operation's success: each computed property is what its expression
// gives for the request the suite sent, over the target's world (the
// entity picked, its expression fields). Without the target's world (a
// live target) only the shape was checked, and the report says so.
func (s *scenario) computedAsWorld(ctx context.Context, opName string) error {
	op, err := s.session.operation(opName)
	if err != nil {
		return err
	}
	r := op.Answer
	if r == nil || r.Compute == nil {
		return fmt.Errorf("%s computes no answer (x-answer compute)", op.ID)
	}
	if err := s.errcodeIs(ctx, "0"); err != nil {
		return err
	}
	app := s.session.suiteApp()
	if app == nil { // its world is unknown: the answer's shape was checked, and no more
		s.shape = s.session.noWorld()
		return nil
	}
	v, err := s.varsOf(op, app)
	if err != nil {
		return err
	}
	if p := r.Pick; p != nil {
		if v.Item, err = pickAsWorld(op, app, s.lastReq, v); err != nil {
			return err
		}
	}
	var got map[string]any
	if err := json.Unmarshal(s.last.body, &got); err != nil {
		return fmt.Errorf("the answer is no JSON object: %s", s.session.excerpt(s.last.body))
	}
	for prop := range r.Compute {
		want, err := r.Program(prop).Eval(v)
		if err != nil {
			return fmt.Errorf("%s: the target's world computes no value (%v): expected errcode %d, received 0", prop, err, r.Failed)
		}
		if want = jsonOf(want); !reflect.DeepEqual(got[prop], want) {
			return fmt.Errorf("%s: expected %s, as the target's world computes it; received %s", prop, jsonString(want), jsonString(got[prop]))
		}
	}
	return nil
}

// varsOf is what the expressions read of the last request the suite sent.
func (s *scenario) varsOf(op *apispec.Operation, app *appInfo) (*compute.Vars, error) {
	req := s.lastReq
	v := &compute.Vars{Query: map[string]string{}, Header: map[string]string{}, Raw: req.body, AppID: app.AppID, App: map[string]any{}}
	for _, ref := range op.Op.Parameters {
		if p := ref.Value; p != nil && p.In == "query" {
			v.Query[p.Name] = req.query.Get(p.Name)
		}
	}
	if req.body != "" {
		v.Header["Content-Type"] = "application/json"
		if err := json.Unmarshal([]byte(req.body), &v.Body); err != nil {
			return nil, fmt.Errorf("the suite's own body is no JSON: %v", err)
		}
	}
	for list := range s.session.spec.Lists() {
		raw, _ := app.fields[list].([]any)
		if raw == nil {
			raw = []any{}
		}
		v.App[list] = raw
	}
	return v, nil
}

// pickAsWorld is the entity of the world the request picks, its
// expression fields computed.
func pickAsWorld(op *apispec.Operation, app *appInfo, req request, v *compute.Vars) (map[string]any, error) {
	p, schema := op.Answer.Pick, op.ItemSchema()
	for _, e := range app.entities(p.List) {
		if !pickMatches(e, p, req) {
			continue
		}
		item := make(map[string]any, len(e))
		v.Item = e
		for field, value := range e {
			item[field] = value
			ref := schema.Properties[field]
			src, ok := value.(string)
			if ref == nil || ref.Value == nil || ref.Value.Extensions["x-expression"] != true || !ok {
				continue
			}
			prog, err := compute.Compile(src, compute.KindOf(ref.Value.Type.Slice()[0]))
			if err != nil {
				return nil, fmt.Errorf("the target's %s %v: %s: %v", p.List, e, field, err)
			}
			if item[field], err = prog.Eval(v); err != nil {
				return nil, fmt.Errorf("%s of the target's %s fails (%v): expected its failed errcode, received 0", field, p.List, err)
			}
		}
		return item, nil
	}
	return nil, fmt.Errorf("the target's app has no %s that the call names, yet answered 0", p.List)
}

// pickMatches reports whether the entity e is the one the request names.
func pickMatches(e map[string]any, p *apispec.Pick, req request) bool {
	var body map[string]any
	_ = json.Unmarshal([]byte(req.body), &body)
	for field, name := range p.By {
		value := req.query.Get(name)
		if value == "" {
			value, _ = body[name].(string)
		}
		if s, _ := e[field].(string); s != value {
			return false
		}
	}
	return true
}

// jsonOf returns v as encoding/json decodes it.
func jsonOf(v any) any {
	var out any
	if data, err := json.Marshal(v); err == nil {
		_ = json.Unmarshal(data, &out)
	}
	return out
}

// listedAsWorld checks the content of the last answer, a listing
// operation's success to the valid call: its list holds the app's
// entities of the target's world, in order, those the match field selects
// when the call names one. Without the world (a live target) only the
// shape was checked, and the report says so.
func (s *scenario) listedAsWorld(ctx context.Context, opName string) error {
	op, err := s.session.operation(opName)
	if err != nil {
		return err
	}
	r := op.Answer
	if r == nil || r.List == "" {
		return fmt.Errorf("%s lists nothing (x-answer list)", op.ID)
	}
	if err := s.errcodeIs(ctx, "0"); err != nil {
		return err
	}
	app := s.session.suiteApp()
	if app == nil { // its world is unknown: the answer's shape was checked, and no more
		s.shape = s.session.noWorld()
		return nil
	}
	want := []map[string]any{}
	match := ""
	if r.Match != "" {
		match = s.lastReq.query.Get(r.Match)
		if match == "" {
			var body map[string]any
			_ = json.Unmarshal([]byte(s.lastReq.body), &body)
			match, _ = body[r.Match].(string)
		}
	}
	for _, e := range app.entities(r.List) {
		if match == "" || e[r.Match] == match {
			want = append(want, e)
		}
	}
	var got map[string]any
	if err := json.Unmarshal(s.last.body, &got); err != nil {
		return fmt.Errorf("the answer is no JSON object: %s", s.session.excerpt(s.last.body))
	}
	if received := jsonOf(got[r.Into]); !reflect.DeepEqual(received, jsonOf(want)) {
		return fmt.Errorf("%s: expected the app's %d %s, as the target's world has them; received %s", r.Into, len(want), r.List, s.session.excerpt(s.last.body))
	}
	return nil
}

// shapeOnly checks that the last answer is the operation's success, its
// shape (schema) checked when it was received, and says that its content
// was not: the generated valid call's last step where the target's world
// is unknown.
func (s *scenario) shapeOnly(ctx context.Context, opName string) error {
	if _, err := s.session.operation(opName); err != nil {
		return err
	}
	if err := s.errcodeIs(ctx, "0"); err != nil {
		return err
	}
	s.shape = s.session.noWorld()
	return nil
}

// noWorld says why the suite cannot compare an answer's content with the
// target's world.
func (s *session) noWorld() string {
	if !s.knowsWorld() {
		return "the target has no " + AdminPrefix + " API, so its world is unknown: the answer's schema was checked, its content was not compared with a world"
	}
	return fmt.Sprintf("the target's world has no app %s: the answer's schema was checked, its content was not compared with a world", s.credentials().AppID)
}
