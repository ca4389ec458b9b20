package mock

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// The bounds of what the admin API adds to the world at run time.
const (
	// MaxRunTimeItems is how many apps, platforms and scenarios, added or
	// overriding a file's, the world holds at once from the admin API.
	MaxRunTimeItems = 1000
	// MaxRunTimeBytes is how many bytes of JSON those items hold in all.
	MaxRunTimeBytes = 8 << 20
	// MaxItemBytes is the largest item the admin API takes.
	MaxItemBytes = 256 << 10
)

// Errors of a change to the world at run time, each in an [*ItemError].
var (
	// ErrItemInvalid is returned for an item that breaks the rules lint
	// applies to the same item in a file.
	ErrItemInvalid = errors.New("mock: the item is not valid")
	// ErrItemExists is returned when an item's name is taken.
	ErrItemExists = errors.New("mock: the name is taken")
	// ErrItemUnknown is returned when no item has the name.
	ErrItemUnknown = errors.New("mock: no item has the name")
	// ErrItemInUse is returned when deleting an item that another names.
	ErrItemInUse = errors.New("mock: the item is in use")
	// ErrItemFromFile is returned when deleting an item of the files.
	ErrItemFromFile = errors.New("mock: the item comes from the files")
	// ErrWorldFull is returned when an item would take the world's
	// run-time items past [MaxRunTimeItems] or [MaxRunTimeBytes].
	ErrWorldFull = errors.New("mock: no room for more run-time items")
	// ErrItemTooLarge is returned for an item larger than [MaxItemBytes].
	ErrItemTooLarge = errors.New("mock: the item is too large")
)

// ItemError is a change to the world at run time that the fake refused.
type ItemError struct {
	Err      error    // ErrWorldFull, or one of the ErrItem… errors
	Problems []string // what is wrong; for ErrItemInvalid, "$.path: message" as lint words it of a file
}

var _ error = (*ItemError)(nil)

func (e *ItemError) Error() string { return e.Err.Error() + ": " + strings.Join(e.Problems, "; ") }

// Unwrap returns Err.
func (e *ItemError) Unwrap() error { return e.Err }

func itemError(err error, format string, args ...any) *ItemError {
	return &ItemError{Err: err, Problems: []string{fmt.Sprintf(format, args...)}}
}

// itemKind is a kind of item of the world the admin API adds.
type itemKind struct {
	name  string // in messages: "app"
	list  string // the key of a scenario file that lists them, and the admin path
	field string // the field that names one
}

var (
	appItems       = &itemKind{"app", "apps", "appid"}
	componentItems = &itemKind{"component", "components", "component_appid"}
	scenarioItems  = &itemKind{"scenario", "scenarios", "name"}
)

// runItem is an item added at run time, or overriding one of the files.
type runItem struct {
	kind  *itemKind
	id    string
	body  []byte    // the item as it was checked, JSON
	patch []byte    // for an override, the fields given, which the file's item takes; nil for an item added
	file  string    // for an override, the origin of the file's item
	at    time.Time // on the fake's clock
	app   *App
	comp  *Component
	sc    *Scenario
}

// origin says where the item comes from.
func (it *runItem) origin() string {
	at := it.at.UTC().Format(time.RFC3339)
	if it.file != "" {
		return it.file + ", overridden at run time at " + at
	}
	return "added at run time at " + at
}

// steering is what the admin API changed in the world: the configuration
// of the files, and the items on top of it, in the order given.
type steering struct {
	mu      sync.Mutex // held by every change: they are applied one at a time
	loaded  *Config
	items   []*runItem
	bytes   int
	dropped []string // the items the last reload dropped, and why
}

// with returns c with the run-time items on top: an item overriding one
// of c takes its place, the others follow c's.
func (c *Config) with(items []*runItem) *Config {
	if len(items) == 0 {
		return c
	}
	m := *c
	w := *c.world
	w.apps, w.appByID = slices.Clone(w.apps), maps.Clone(w.appByID)
	w.components, w.compByID = slices.Clone(w.components), maps.Clone(w.compByID)
	m.scenarios, m.byName = slices.Clone(c.scenarios), maps.Clone(c.byName)
	for _, it := range items {
		switch {
		case it.app != nil:
			w.apps = upsert(w.apps, w.appByID, it.id, it.app)
		case it.comp != nil:
			w.components = upsert(w.components, w.compByID, it.id, it.comp)
		default:
			m.scenarios = upsert(m.scenarios, m.byName, it.id, it.sc)
		}
	}
	m.world = &w
	return &m
}

// upsert puts v in list and byID under id: in the place of the one it
// replaces, or last.
func upsert[T comparable](list []T, byID map[string]T, id string, v T) []T {
	if old, ok := byID[id]; ok {
		if i := slices.Index(list, old); i >= 0 {
			list[i] = v
			byID[id] = v
			return list
		}
	}
	byID[id] = v
	return append(list, v)
}

// serveSteered serves the files' configuration with the run-time items on
// top, keeping what the server remembers of requests (the spec is the
// same). Callers hold s.steer.mu.
func (s *Server) serveSteered() {
	l := s.live.Load()
	s.live.Store(&live{cfg: s.steer.loaded.with(s.steer.items), parses: l.parses})
}

// find returns the index of the run-time item of kind k named id, or -1.
func (st *steering) find(k *itemKind, id string) int {
	return slices.IndexFunc(st.items, func(it *runItem) bool { return it.kind == k && it.id == id })
}

// origin returns where the item of kind k named id, of the configuration
// served, comes from; "" when there is none.
func (c *Config) origin(k *itemKind, id string) string {
	switch k {
	case appItems:
		if a := c.App(id); a != nil {
			return a.Origin
		}
	case componentItems:
		if comp := c.world.component(id); comp != nil {
			return comp.Origin
		}
	default:
		if sc := c.Scenario(id); sc != nil {
			return cmp.Or(sc.Origin, sc.File)
		}
	}
	return ""
}
