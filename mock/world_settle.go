package mock

import "strings"

// A large world's load makes far more garbage than world: YAML trees,
// decoded values, answers rendered and checked. A page of the heap where
// one live object stands among the garbage stays in use, and resident.
// So what an app keeps is made anew, after the load: each app's objects
// together, the strings of its credentials in one allocation, the answers
// of its listings in another, and the keys and string values of its
// entities shared with the other apps'.

// interner holds one copy of each string, boxed once as the value of an
// interface: the entities of a large world repeat most of their keys and
// values (field names, statuses, dates), and share them.
type interner map[string]any

// entity returns m with its keys and string values interned.
func (in interner) entity(m map[string]any) Entity {
	out := make(Entity, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			v = in.value(s)
		}
		out[in.value(k).(string)] = v
	}
	return out
}

// value returns s, boxed, as the first time it was asked for.
func (in interner) value(s string) any {
	v, ok := in[s]
	if !ok {
		c := strings.Clone(s)
		v = c
		in[c] = v
	}
	return v
}

// settle makes the world's apps anew, each with its listings' answers
// (rendered) packed, once the load is done.
func (w *world) settle(rendered [][]rendering) {
	in := interner{}
	w.appByID = make(map[string]*App, len(w.apps))
	for i, a := range w.apps {
		w.apps[i] = a.settled(in, rendered[i])
		w.appByID[w.apps[i].AppID] = w.apps[i]
	}
}

// settled returns a copy of a, made of new objects, with its listings'
// answers (done) packed.
func (a *App) settled(in interner, done []rendering) *App {
	b := *a
	// One allocation for the strings of the app's own.
	all := a.AppID + a.Secret + a.Description + a.Scenario + a.Origin
	next := func(s string) string {
		out := all[:len(s)]
		all = all[len(s):]
		return out
	}
	b.AppID, b.Secret, b.Description, b.Scenario, b.Origin = next(a.AppID), next(a.Secret), next(a.Description), next(a.Scenario), next(a.Origin)
	b.Entities = make(map[string][]Entity, len(a.Entities))
	for name, list := range a.Entities {
		out := make([]Entity, len(list))
		for j, e := range list {
			out[j] = in.entity(e)
		}
		b.Entities[in.value(name).(string)] = out
	}
	b.pack(in, done)
	return &b
}
