package mock

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// add adds an item of kind k, JSON, to the world; one whose name is taken
// is refused.
func (s *Server) add(ctx context.Context, k *itemKind, body []byte) (*runItem, error) {
	if err := itemSize(body); err != nil {
		return nil, err
	}
	s.steer.mu.Lock()
	defer s.steer.mu.Unlock()
	cur := s.Config()
	it, err := cur.checkItem(ctx, k, body)
	if err != nil {
		return nil, err
	}
	if origin, what := cur.taken(k, it.id); origin != "" {
		return nil, clash(what, it.id, origin)
	}
	if err := s.steer.room(1, len(body)); err != nil {
		return nil, err
	}
	s.store(it, -1)
	s.noteChange(http.MethodPost, k.list, http.StatusCreated, fmt.Sprintf("%s %q added", k.name, it.id))
	return it, nil
}

// put replaces the run-time item of kind k named id with body, or
// overrides the fields of the files' item that body gives, or adds body.
// It reports whether it added the item.
func (s *Server) put(ctx context.Context, k *itemKind, id string, body []byte) (*runItem, bool, error) {
	if err := itemSize(body); err != nil {
		return nil, false, err
	}
	s.steer.mu.Lock()
	defer s.steer.mu.Unlock()
	cur, loaded := s.Config(), s.steer.loaded
	i := s.steer.find(k, id)
	full, file, change := body, "", "replaced"
	switch {
	case loaded.origin(k, id) != "":
		patch, err := fieldsOf(body)
		if err != nil {
			return nil, false, itemError(ErrItemInvalid, "$: %v", err)
		}
		change = "overridden (" + strings.Join(keys(patch), ", ") + ")"
		if i >= 0 { // overridden already: the fields given before stay
			prev, _ := fieldsOf(s.steer.items[i].patch)
			body = overlay(prev, patch)
		}
		patch, _ = fieldsOf(body)
		full, file = overlay(loaded.itemFields(k, id), patch), loaded.origin(k, id)
	case i < 0:
		if origin, what := cur.taken(k, id); origin != "" {
			return nil, false, clash(what, id, origin)
		}
		change = "added"
	}
	it, err := cur.checkItem(ctx, k, full)
	if err != nil {
		return nil, false, err
	}
	if it.id != id {
		return nil, false, itemError(ErrItemInvalid, "$.%s: the path names %s %q, the body %q", k.field, k.name, id, it.id)
	}
	if file != "" {
		it.patch, it.file = body, file
	}
	grow, more := 1, len(full)
	if i >= 0 {
		grow, more = 0, len(full)-len(s.steer.items[i].body)
	}
	if err := s.steer.room(grow, more); err != nil {
		return nil, false, err
	}
	s.store(it, i)
	if k == scenarioItems {
		s.seqs.drop(func(key string) bool { return strings.HasPrefix(key, id+"\x00") })
	}
	status := http.StatusOK
	if i < 0 && file == "" {
		status = http.StatusCreated
	}
	s.noteChange(http.MethodPut, k.list+"/"+id, status, fmt.Sprintf("%s %q %s", k.name, id, change))
	return it, status == http.StatusCreated, nil
}

func keys(fields []field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.key
	}
	return out
}

// remove deletes the run-time item of kind k named id: an item added goes,
// with its tokens and sequences; an override goes, and the files' item is
// served again. It returns the item removed.
func (s *Server) remove(k *itemKind, id string) (*runItem, error) {
	s.steer.mu.Lock()
	defer s.steer.mu.Unlock()
	cur := s.Config()
	i := s.steer.find(k, id)
	if i < 0 {
		if origin := cur.origin(k, id); origin != "" {
			return nil, itemError(ErrItemFromFile, "%s %q is defined at %s: only what was added or overridden at run time is deleted", k.name, id, origin)
		}
		return nil, itemError(ErrItemUnknown, "no %s is named %q", k.name, id)
	}
	it := s.steer.items[i]
	if it.file == "" {
		if err := s.inUse(cur, k, id); err != nil {
			return nil, err
		}
	}
	s.steer.items = slices.Delete(s.steer.items, i, i+1)
	s.steer.bytes -= len(it.body)
	s.serveSteered()
	s.forget(k, id, it.file == "")
	change := fmt.Sprintf("%s %q deleted", k.name, id)
	if it.file != "" {
		change = fmt.Sprintf("%s %q: override deleted, %s served", k.name, id, it.file)
	}
	s.noteChange(http.MethodDelete, k.list+"/"+id, http.StatusOK, change)
	return it, nil
}

// inUse refuses to delete an item another item of cur, or the server,
// names.
func (s *Server) inUse(cur *Config, k *itemKind, id string) error {
	switch k {
	case appItems:
		for _, comp := range cur.world.components {
			if comp.Authorization(id) != nil {
				return itemError(ErrItemInUse, "app %q is authorized by component %q (%s): delete it first", id, comp.AppID, comp.Origin)
			}
		}
	case scenarioItems:
		if s.scenario == id {
			return itemError(ErrItemInUse, "scenario %q is the server's default scenario", id)
		}
		for _, a := range cur.world.apps {
			if a.Scenario == id {
				return itemError(ErrItemInUse, "scenario %q is bound to app %q (%s): delete or change it first", id, a.AppID, a.Origin)
			}
		}
	}
	return nil
}

// forget drops what the server keeps of a deleted item: an app's or a
// platform's tokens, and the positions of its sequences.
func (s *Server) forget(k *itemKind, id string, gone bool) {
	switch k {
	case scenarioItems:
		s.seqs.drop(func(key string) bool { return strings.HasPrefix(key, id+"\x00") })
	default:
		if gone {
			s.tokens.DropOf(id)
			s.seqs.drop(func(key string) bool { return strings.HasSuffix(key, "\x00app:"+id) })
		}
	}
}

// ResetWorld is [Server.Reset], and removes everything added or
// overridden at run time: the world is the files' again. It returns how
// many items it removed.
func (s *Server) ResetWorld() int {
	s.steer.mu.Lock()
	n := len(s.steer.items)
	s.steer.items, s.steer.bytes = nil, 0
	s.serveSteered()
	s.steer.mu.Unlock()
	s.Reset()
	return n
}

// itemSize refuses an item larger than MaxItemBytes.
func itemSize(body []byte) error {
	if len(body) > MaxItemBytes {
		return itemError(ErrItemTooLarge, "an item of %d bytes: at most %d", len(body), MaxItemBytes)
	}
	return nil
}

// room refuses items that would take the run-time items past their bounds.
func (st *steering) room(items, bytes int) error {
	switch {
	case len(st.items)+items > MaxRunTimeItems:
		return itemError(ErrWorldFull, "the world holds %d items added or overridden at run time, the most it takes: delete some, or POST %sreset {\"world\":true}", len(st.items), AdminPrefix)
	case st.bytes+bytes > MaxRunTimeBytes:
		return itemError(ErrWorldFull, "the items added or overridden at run time hold %d bytes of JSON; this one would take them past %d: delete some, or POST %sreset {\"world\":true}", st.bytes, MaxRunTimeBytes, AdminPrefix)
	}
	return nil
}

// store puts it at i of the run-time items (last when i < 0), and serves
// the world with it. Callers hold s.steer.mu.
func (s *Server) store(it *runItem, i int) {
	it.at = s.Now()
	it.setOrigin()
	if i >= 0 {
		s.steer.bytes -= len(s.steer.items[i].body)
		s.steer.items[i] = it
	} else {
		s.steer.items = append(s.steer.items, it)
	}
	it.body, it.patch = slices.Clone(it.body), slices.Clone(it.patch)
	s.steer.bytes += len(it.body)
	s.serveSteered()
}

// noteChange journals a change to the world, as the admin request at
// path (below AdminPrefix) that makes it.
func (s *Server) noteChange(method, path string, status int, change string) {
	s.journal.Add(stored{Entry: Entry{Time: s.Now(), Method: method, Path: AdminPrefix + path, Status: status, Change: change}})
}

// setOrigin marks the item's app, platform or scenario with its origin.
func (it *runItem) setOrigin() {
	switch origin := it.origin(); {
	case it.app != nil:
		it.app.Origin = origin
	case it.comp != nil:
		it.comp.Origin = origin
	default:
		it.sc.Origin = origin
	}
}

// clash refuses a new item named id, as lint words it: what names the
// item's kind, origin where the item of that name comes from.
func clash(what, id, origin string) error {
	if rest, ok := strings.CutPrefix(origin, "added at run time"); ok {
		return itemError(ErrItemExists, "$: %s %q was already added at run time%s", what, id, rest)
	}
	return itemError(ErrItemExists, "$: %s %q is already defined at %s", what, id, origin)
}
