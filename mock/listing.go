package mock

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

// listing is what a listing operation answers one app, rendered at load:
// every entity, or those its match field selects. Its answers are slices
// of one buffer of the app's.
type listing struct {
	op      string    // the operationId
	list    string    // the name of the list it answers
	all     []byte    // the answer with every entity
	items   [][]byte  // each entity as the answer lists it
	byMatch []matched // by the value of the match field, sorted: the answer with those entities
	within  []string  // the values the within field may take (the app's entities' of that list), sorted
	unknown int       // the errcode when match or within names nothing the app has; 0: empty
}

// matched is the answer of a listing whose match field says key.
type matched struct {
	key    string
	answer []byte
}

// rendering is a listing as rendered, before its answers are packed: its
// entities are at bounds in src, at offset at.
type rendering struct {
	src    []byte
	at     int
	bounds [][2]int
}

// renderListings renders the answers of every listing operation for a,
// and checks each against the spec; [App.pack] packs them.
func (c *Config) renderListings(ctx context.Context, w *world, a *App) ([]rendering, error) {
	a.lists = nil
	var done []rendering
	for _, o := range c.spec.Operations() {
		if r := o.Answer; r == nil || r.List == "" {
			continue
		}
		l, r, err := c.renderListing(ctx, w, a, o)
		if err != nil {
			return nil, err
		}
		a.lists, done = append(a.lists, l), append(done, r)
	}
	return done, nil
}

// renderListing renders the answers of listing operation o for a.
func (c *Config) renderListing(ctx context.Context, w *world, a *App, o *apispec.Operation) (listing, rendering, error) {
	r, t := o.Answer, c.templates(o)
	l := listing{op: o.ID, list: r.List, unknown: t.unknown}
	if w.unknownEnv != nil && c.usesEnv(o) {
		l.unknown = *w.unknownEnv
	}
	// Each entity is rendered once, into the list of them all; the answer
	// with every entity holds the list, and each entity is a slice of it.
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
		return l, rendering{}, err
	}
	done := rendering{src: l.all, at: bytes.Index(l.all, list), bounds: bounds}
	if done.at < 0 { // the answer does not hold the list as it is: the entities are the list's
		done.src, done.at = list, 0
	}
	// An answer of one entity differs from the one of them all, which the
	// spec accepted, in the list's length alone: it is checked only when
	// the spec wants more items than one.
	checkOne := listSchema(o).MinItems > 1
	if r.Match != "" {
		for i, e := range entities {
			if key, ok := e[r.Match].(string); ok {
				one := slices.Concat([]byte{'['}, done.src[done.at+bounds[i][0]:done.at+bounds[i][1]], []byte{']'})
				m := matched{key: key}
				if !checkOne {
					m.answer = t.success.render(&fill{list: one})
				} else if m.answer, err = render(one); err != nil {
					return l, rendering{}, err
				}
				l.byMatch = append(l.byMatch, m)
			}
		}
		slices.SortStableFunc(l.byMatch, func(x, y matched) int { return cmp.Compare(x.key, y.key) })
	}
	if r.Within != nil {
		for _, e := range a.Entities[r.Within.List] {
			if key, ok := e[r.Within.Field].(string); ok {
				l.within = append(l.within, key)
			}
		}
		slices.Sort(l.within)
		l.within = slices.Clip(slices.Compact(l.within))
	}
	return l, done, nil
}

// pack moves the answers of a's listings into one buffer, each entity a
// slice of the answer that lists it: a large world holds one allocation an
// app for them, not one an answer. The match and within values are in's.
func (a *App) pack(in interner, done []rendering) {
	size := 0
	for i, l := range a.lists {
		size += len(l.all)
		if &done[i].src[0] != &l.all[0] {
			size += len(done[i].src)
		}
		for _, m := range l.byMatch {
			size += len(m.answer)
		}
	}
	buf := make([]byte, 0, size)
	moved := func(b []byte) []byte {
		buf = append(buf, b...)
		return buf[len(buf)-len(b) : len(buf) : len(buf)]
	}
	a.lists = slices.Clone(a.lists)
	for i := range a.lists {
		l, r := &a.lists[i], done[i]
		all := moved(l.all)
		src := all
		if &r.src[0] != &l.all[0] {
			src = moved(r.src)
		}
		l.all, l.items = all, make([][]byte, len(r.bounds))
		for j, b := range r.bounds {
			l.items[j] = src[r.at+b[0] : r.at+b[1] : r.at+b[1]]
		}
		l.byMatch = slices.Clone(l.byMatch)
		for j, m := range l.byMatch {
			l.byMatch[j] = matched{key: in.value(m.key).(string), answer: moved(m.answer)}
		}
		l.within = slices.Clone(l.within)
		for j, v := range l.within {
			l.within[j] = in.value(v).(string)
		}
	}
}

// listing returns a's listing of the operation opID, or nil.
func (a *App) listing(opID string) *listing {
	for i := range a.lists {
		if a.lists[i].op == opID {
			return &a.lists[i]
		}
	}
	return nil
}

// rendered returns a's entities of list as the first listing of it
// answers them, and whether one does.
func (a *App) rendered(list string) ([][]byte, bool) {
	for _, l := range a.lists {
		if l.list == list {
			return l.items, true
		}
	}
	return nil, false
}

// match returns the answer of the listing whose match field says key, or nil.
func (l *listing) match(key string) []byte {
	i, ok := slices.BinarySearchFunc(l.byMatch, key, func(m matched, key string) int { return cmp.Compare(m.key, key) })
	if !ok {
		return nil
	}
	return l.byMatch[i].answer
}

// isWithin reports whether v is a value the within field may take.
func (l *listing) isWithin(v string) bool {
	_, ok := slices.BinarySearch(l.within, v)
	return ok
}

// pick is the listing's answer to a request whose within field says
// within and match field says match ("" when not given).
func (l *listing) pick(t *templates, rid, within, match string) answer {
	var one []byte
	if match != "" {
		one = l.match(match)
	}
	if within != "" && !l.isWithin(within) || match != "" && one == nil {
		if l.unknown != 0 {
			row, _ := t.op.Errcode(l.unknown)
			return t.errorAnswer(row, rid)
		}
		return t.ok(t.empty)
	}
	if match != "" {
		return t.ok(one)
	}
	return t.ok(l.all)
}

// listSchema returns the schema of the list a listing operation answers.
func listSchema(o *apispec.Operation) *openapi3.Schema {
	return o.SuccessSchema().Properties[o.Answer.Into].Value
}
