package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
		// Each entity is rendered once; the answers join them.
		item, entities := o.ItemSchema(), a.Entities[r.List]
		items := make([][]byte, len(entities))
		for i, e := range entities {
			items[i] = renderValue(c.spec, item, map[string]any(e))
		}
		if _, done := a.rendered[r.List]; !done {
			a.rendered[r.List] = make([]json.RawMessage, len(items))
			for i, b := range items {
				a.rendered[r.List][i] = b
			}
		}
		render := func(items ...[]byte) ([]byte, error) {
			list := append(append([]byte{'['}, bytes.Join(items, []byte{','})...), ']')
			body := t.success.render(&fill{list: list})
			if err := t.validate(ctx, c.spec, body, "x-answer"); err != nil {
				return nil, fmt.Errorf("app %q: %w", a.AppID, err)
			}
			return body, nil
		}
		var err error
		if l.all, err = render(items...); err != nil {
			return err
		}
		l.empty = t.success.render(&fill{list: []byte("[]")})
		if r.Match != "" {
			for i, e := range entities {
				if key, ok := e[r.Match].(string); ok {
					if l.byMatch[key], err = render(items[i]); err != nil {
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
