package mock

import (
	"slices"
	"strconv"
	"strings"
)

// cursor is a place in the journal: after the seq-th entry ever added,
// while it has been emptied gen times. Its text, "gen-seq", is the id of a
// stream's events.
type cursor struct{ gen, seq uint64 }

func (c cursor) String() string {
	return strconv.FormatUint(c.gen, 10) + "-" + strconv.FormatUint(c.seq, 10)
}

// parseCursor reads a cursor's text; ok is false for anything else.
func parseCursor(s string) (c cursor, ok bool) {
	gen, seq, found := strings.Cut(s, "-")
	var err1, err2 error
	c.gen, err1 = strconv.ParseUint(gen, 10, 64)
	c.seq, err2 = strconv.ParseUint(seq, 10, 64)
	return c, found && err1 == nil && err2 == nil
}

// batch is what a stream of the journal sends next.
type batch struct {
	entries []Entry // selected, oldest first
	next    cursor  // where the next batch starts
	// cleared says that the journal was emptied since from: the entries
	// are those added since.
	cleared bool
	// unseen counts the entries after from that the batch did not look at,
	// because it filled up or the ring had already dropped them.
	unseen uint64
}

// tail returns up to limit of the newest entries after from that keep
// selects, as many as MaxEventBytes holds as the journal counts them. A from of another generation, or from ahead of the journal (a
// cursor of another server), starts after the last clear, and says so.
// Under the lock, the records are only compared and copied, newest first;
// they are made into entries after.
func (j *journal) tail(from cursor, keep func(*Entry) bool, limit int) batch {
	j.mu.Lock()
	var b batch
	if from.gen != j.gen || from.seq > j.added {
		b.cleared = true
		from = cursor{j.gen, j.clearedAt}
	}
	newer := j.added - from.seq
	n := min(newer, uint64(j.n))
	picked := make([]stored, 0, min(n, uint64(limit)))
	var looked uint64
	size := 0
	for i := uint64(0); i < n && len(picked) < limit; i++ {
		at := j.newest(i)
		r := &j.entries[at]
		if e := r.head(); keep(&e) {
			// An event holds at most MaxEventBytes: the entries beyond
			// are not even made, and count as unseen.
			if size += j.sizes[at]; size > MaxEventBytes && len(picked) > 0 {
				break
			}
			picked = append(picked, *r)
		}
		looked++
	}
	b.next, b.unseen = cursor{j.gen, j.added}, newer-looked
	j.mu.Unlock()
	slices.Reverse(picked)
	b.entries = make([]Entry, len(picked))
	for i := range picked {
		b.entries[i] = picked[i].entry()
	}
	return b
}

// start is the cursor of a stream that begins with the journal as it is.
func (j *journal) start() cursor {
	j.mu.Lock()
	defer j.mu.Unlock()
	return cursor{j.gen, j.clearedAt}
}

// newest returns the index in the ring of the i-th newest entry (0 is the
// newest). Callers hold mu, and i < n.
func (j *journal) newest(i uint64) int { return j.at(j.n - 1 - int(i)) }
