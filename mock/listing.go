package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

// listing is what a listing operation answers one app, rendered at load:
// every entity, or those its match field selects.
type listing struct {
	all     []byte            // the answer with every entity
	empty   []byte            // the answer with none
	byMatch map[string][]byte // by the value of the match field: the answer with those entities
	within  map[string]bool   // the values the within field may take: the app's entities' of that list
	unknown int               // the errcode when match or within names nothing the app has; 0: empty
}

// renderListings renders the answers of every listing operation for a, and
// checks each against the spec.
func (c *Config) renderListings(ctx context.Context, w *world, a *App) error {
	a.lists, a.rendered = map[string]*listing{}, map[string][]json.RawMessage{}
	for _, o := range c.spec.Operations() {
		r := o.Answer
		if r == nil || r.List == "" {
			continue
		}
		t := c.templates(o)
		l := &listing{byMatch: map[string][]byte{}, unknown: t.unknown}
		if w.unknownEnv != nil && c.usesEnv(o) {
			l.unknown = *w.unknownEnv
		}
		// Each entity is rendered once, into the list of them all; the
		// answer with every entity holds the list, and each entity is a
		// slice of it.
		item, entities := o.ItemSchema(), a.Entities[r.List]
		list, bounds := []byte{'['}, make([][2]int, len(entities))
		for i, e := range entities {
			if i > 0 {
				list = append(list, ',')
			}
			bounds[i][0] = len(list)
			list = appendValue(list, c.spec, item, map[string]any(e))
			bounds[i][1] = len(list)
		}
		list = append(list, ']')
		render := func(list []byte) ([]byte, error) {
			body := t.success.render(&fill{list: list})
			if err := t.validate(ctx, c.spec, body, "x-answer"); err != nil {
				return nil, fmt.Errorf("app %q: %w", a.AppID, err)
			}
			return body, nil
		}
		var err error
		if l.all, err = render(list); err != nil {
			return err
		}
		src, at := l.all, bytes.Index(l.all, list)
		if at < 0 { // the answer does not hold the list as it is: the entities are the list's
			src, at = list, 0
		}
		items := make([][]byte, len(entities))
		for i, b := range bounds {
			items[i] = src[at+b[0] : at+b[1] : at+b[1]]
		}
		if _, done := a.rendered[r.List]; !done {
			a.rendered[r.List] = make([]json.RawMessage, len(items))
			for i, b := range items {
				a.rendered[r.List][i] = b
			}
		}
		l.empty = t.empty
		// An answer of one entity differs from the one of them all, which
		// the spec accepted, in the list's length alone: it is checked
		// only when the spec wants more items than one.
		checkOne := listSchema(o).MinItems > 1
		if r.Match != "" {
			for i, e := range entities {
				if key, ok := e[r.Match].(string); ok {
					one := slices.Concat([]byte{'['}, items[i], []byte{']'})
					if !checkOne {
						l.byMatch[key] = t.success.render(&fill{list: one})
					} else if l.byMatch[key], err = render(one); err != nil {
						return err
					}
				}
			}
		}
		if r.Within != nil {
			l.within = map[string]bool{}
			for _, e := range a.Entities[r.Within.List] {
				if key, ok := e[r.Within.Field].(string); ok {
					l.within[key] = true
				}
			}
		}
		a.lists[o.ID] = l
	}
	return nil
}

// pick is the listing's answer to a request whose within field says
// within and match field says match ("" when not given).
func (l *listing) pick(t *templates, rid, within, match string) answer {
	if within != "" && !l.within[within] || match != "" && l.byMatch[match] == nil {
		if l.unknown != 0 {
			row, _ := t.op.Errcode(l.unknown)
			return t.errorAnswer(row, rid)
		}
		return t.ok(l.empty)
	}
	if match != "" {
		return t.ok(l.byMatch[match])
	}
	return t.ok(l.all)
}

// listSchema returns the schema of the list a listing operation answers.
func listSchema(o *apispec.Operation) *openapi3.Schema {
	return o.SuccessSchema().Properties[o.Answer.Into].Value
}
