package mock

import (
	"context"
	"fmt"
)

// drop forgets the positions whose key gone reports.
func (q *sequences) drop(gone func(key string) bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for key, e := range q.pos {
		if gone(key) {
			q.order.Remove(e)
			delete(q.pos, key)
		}
	}
}

// recheck checks the run-time items again on top of c, a configuration
// the files gave anew, in their order: an item whose name a file now
// takes, or that c no longer accepts, is dropped, and why is returned.
func (c *Config) recheck(items []*runItem) (kept []*runItem, dropped []string) {
	for _, it := range items {
		cur := c.with(kept)
		full, file := it.body, ""
		if it.file != "" {
			if file = c.origin(it.kind, it.id); file == "" {
				dropped = append(dropped, fmt.Sprintf("%s %q, %s: the files no longer define it", it.kind.name, it.id, it.origin()))
				continue
			}
			patch, _ := fieldsOf(it.patch)
			full = overlay(c.itemFields(it.kind, it.id), patch)
		} else if origin, what := cur.taken(it.kind, it.id); origin != "" {
			dropped = append(dropped, fmt.Sprintf("%s %q, %s: %s %q is now defined at %s, which is served", it.kind.name, it.id, it.origin(), what, it.id, origin))
			continue
		}
		again, err := cur.checkItem(context.Background(), it.kind, full)
		if err != nil {
			dropped = append(dropped, fmt.Sprintf("%s %q, %s: %v", it.kind.name, it.id, it.origin(), err))
			continue
		}
		again.id, again.patch, again.file, again.at = it.id, it.patch, file, it.at
		again.setOrigin()
		kept = append(kept, again)
	}
	return kept, dropped
}
