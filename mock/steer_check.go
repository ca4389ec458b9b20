package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// checkItem checks an item of kind k, JSON, as lint checks the same item
// in a scenario file of c: the very same code reads it, from a file laid
// out so that each problem's line gives its path in the item.
func (c *Config) checkItem(ctx context.Context, k *itemKind, body []byte) (*runItem, error) {
	l, err := layOut(k.list, body)
	if err != nil {
		return nil, itemError(ErrItemInvalid, "%v", err)
	}
	d, err := parseFile(fileBytes{shown: bodyFile, data: l.data})
	var errs yamlfile.List
	errs.Add(err) // unknown keys leave d to check further, as lint does
	it := &runItem{kind: k, body: body}
	if d != nil {
		switch k {
		case appItems:
			it.app, err = c.readApp(ctx, interner{}, d.doc, &d.file.Apps[0], []any{"apps", 0})
			if err == nil {
				var done []rendering
				if done, err = c.renderListings(ctx, c.world, it.app); err == nil {
					it.app.pack(interner{}, done)
				}
			}
			if err == nil {
				it.app.computeItems()
			}
			if it.app != nil {
				it.id = it.app.AppID
			}
		case componentItems:
			it.comp, err = c.readComponent(c.world, d, 0)
			if it.comp != nil {
				it.id = it.comp.AppID
			}
		default:
			it.sc, err = c.readScenario(ctx, d, 0)
			if it.sc != nil {
				it.id = it.sc.Name
			}
		}
		errs.Add(err)
	}
	if len(errs) > 0 {
		return nil, &ItemError{Err: ErrItemInvalid, Problems: l.problems(errs)}
	}
	return it, nil
}

// taken returns where an item that a new item of kind k named id would
// clash with is defined, and the word lint gives the name; "" when none.
// Apps and platforms share their names, their appids.
func (c *Config) taken(k *itemKind, id string) (origin, what string) {
	if o := c.origin(k, id); o != "" {
		return o, k.name
	}
	switch k {
	case appItems:
		return c.origin(componentItems, id), "appid"
	case componentItems:
		return c.origin(appItems, id), "appid"
	}
	return "", ""
}

// field is one field of a JSON object, in its order.
type field struct {
	key   string
	value json.RawMessage
}

// fieldsOf reads a JSON object's fields in order.
func fieldsOf(body []byte) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("want a JSON object of the fields to override")
	}
	var out []field
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, field{k.(string), v})
	}
	return out, nil
}

// overlay returns base with the fields of patch in place of its own, and
// those base lacks after.
func overlay(base, patch []field) []byte {
	out := slices.Clone(base)
	for _, f := range patch {
		if i := slices.IndexFunc(out, func(b field) bool { return b.key == f.key }); i >= 0 {
			out[i] = f
		} else {
			out = append(out, f)
		}
	}
	b := []byte{'{'}
	for i, f := range out {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(strconv.AppendQuote(b, f.key), ':')
		b = append(b, f.value...)
	}
	return append(b, '}')
}

// itemFields returns the fields of the item of kind k named id in c, as a
// file would write them.
func (c *Config) itemFields(k *itemKind, id string) []field {
	var out []field
	add := func(key string, v any, keep bool) {
		if keep {
			b, _ := json.Marshal(v)
			out = append(out, field{key, b})
		}
	}
	switch k {
	case appItems:
		a := c.App(id)
		add("appid", a.AppID, true)
		add("secret", a.Secret, true)
		add("description", a.Description, a.Description != "")
		add("scenario", a.Scenario, a.Scenario != "")
		for _, name := range slices.Sorted(maps.Keys(a.Entities)) {
			add(name, a.Entities[name], true)
		}
	case componentItems:
		comp := *c.world.component(id)
		comp.Origin = ""
		b, _ := json.Marshal(comp)
		out, _ = fieldsOf(b)
	default:
		sc := c.Scenario(id)
		y := sc.source
		if y == nil { // derived from the spec's table: one errcode
			code, _ := sc.forcedErrcode()
			y = &scenarioYAML{Name: sc.Name, Description: sc.Description, Operations: sc.Operations, Single: stepYAML{Errcode: &code}}
		}
		add("name", y.Name, true)
		add("description", y.Description, true)
		add("operations", y.Operations, len(y.Operations) > 0)
		add("sequence", y.Sequence, len(y.Sequence) > 0)
		st := y.Single
		add("errcode", st.Errcode, st.Errcode != nil)
		add("body", st.Body, st.Body != nil)
		add("natural", st.Natural, st.Natural)
		add("delay", st.Delay, st.Delay != "")
		add("fault", st.Fault, st.Fault != "")
		add("dribble", st.Dribble, st.Dribble != "")
	}
	return out
}
