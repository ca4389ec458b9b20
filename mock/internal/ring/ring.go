// Package ring keeps a journal's last records: a ring bounded in records
// and in bytes, grown as it fills, read whole or as a stream from a
// [Cursor]. It knows a record only by [Record]'s methods.
package ring

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Record is what a ring of records T keeps, through *T: its size, counted
// against the byte bound, and the entry E it reads as, in part (the fields
// a filter reads, cheap to make) or whole.
type Record[T, E any] interface {
	*T
	Size() int
	Head() E
	Read() E
}

// Ring keeps the last records of a journal: at most Size records, and at
// most MaxBytes bytes as [Record.Size] counts them. Its zero value holds
// nothing; set Size and MaxBytes before the first Add.
type Ring[T any, P Record[T, E], E any] struct {
	Size     int
	MaxBytes int

	mu      sync.Mutex
	bytes   int   // the sizes of the records it holds
	records []T   // the ring
	sizes   []int // each record's size, at its index in the ring
	head, n int   // the oldest record's index, and how many it holds
	// Where a stream of it is (see Tail): how many records were ever
	// added, how many times it was emptied, and how many had been added
	// when it last was.
	added, gen, clearedAt uint64
}

// Add keeps r, dropping the oldest records while the ring holds Size
// records or r would bring it over MaxBytes.
func (j *Ring[T, P, E]) Add(r T) {
	size := P(&r).Size()
	j.mu.Lock()
	defer j.mu.Unlock()
	j.added++
	if j.Size == 0 || size > j.MaxBytes {
		return
	}
	for j.n > 0 && (j.n == j.Size || j.bytes+size > j.MaxBytes) {
		var zero T
		j.records[j.head] = zero
		j.bytes -= j.sizes[j.head]
		j.head = (j.head + 1) % len(j.records)
		j.n--
	}
	if j.n == len(j.records) {
		j.grow()
	}
	at := (j.head + j.n) % len(j.records)
	j.records[at], j.sizes[at] = r, size
	j.bytes += size
	j.n++
}

// grow makes room for more records, twice as many up to Size, the oldest
// first. Callers hold mu, and the ring is full.
func (j *Ring[T, P, E]) grow() {
	n := min(max(2*len(j.records), 16), j.Size)
	records, sizes := make([]T, n), make([]int, n)
	for i := range j.n {
		records[i], sizes[i] = j.records[j.at(i)], j.sizes[j.at(i)]
	}
	j.records, j.sizes, j.head = records, sizes, 0
}

// at returns the index in the ring of the i-th oldest record. Callers hold
// mu, and i < n.
func (j *Ring[T, P, E]) at(i int) int { return (j.head + i) % len(j.records) }

// List returns the entries of the records that keep returns true for,
// oldest first. The lock is held only to copy the records; they are
// filtered by their heads after, and only those kept are made into
// entries.
func (j *Ring[T, P, E]) List(keep func(*E) bool) []E {
	j.mu.Lock()
	records := make([]T, j.n)
	for i := range j.n {
		records[i] = j.records[j.at(i)]
	}
	j.mu.Unlock()
	out := []E{}
	for i := range records {
		if head := P(&records[i]).Head(); keep(&head) {
			out = append(out, P(&records[i]).Read())
		}
	}
	return out
}

// Usage returns how many records the ring holds, and their bytes.
func (j *Ring[T, P, E]) Usage() (records, bytes int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.n, j.bytes
}

// Room returns how many records the ring has room for before it grows.
func (j *Ring[T, P, E]) Room() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.records)
}

// Clear empties the ring.
func (j *Ring[T, P, E]) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.records, j.sizes, j.head, j.n, j.bytes = nil, nil, 0, 0, 0
	j.gen++
	j.clearedAt = j.added
}

// Cursor is a place in a ring: after the Seq-th record ever added, while
// it has been emptied Gen times. Its text, "gen-seq", is the id of a
// stream's events.
type Cursor struct{ Gen, Seq uint64 }

func (c Cursor) String() string {
	return strconv.FormatUint(c.Gen, 10) + "-" + strconv.FormatUint(c.Seq, 10)
}

// ParseCursor reads a cursor's text; ok is false for anything else.
func ParseCursor(s string) (c Cursor, ok bool) {
	gen, seq, found := strings.Cut(s, "-")
	var err1, err2 error
	c.Gen, err1 = strconv.ParseUint(gen, 10, 64)
	c.Seq, err2 = strconv.ParseUint(seq, 10, 64)
	return c, found && err1 == nil && err2 == nil
}

// Batch is what a stream of the ring sends next.
type Batch[E any] struct {
	Entries []E    // selected, oldest first
	Next    Cursor // where the next batch starts
	// Cleared says that the ring was emptied since from: the entries are
	// those added since.
	Cleared bool
	// Unseen counts the records after from that the batch did not look
	// at, because it filled up or the ring had already dropped them.
	Unseen uint64
}

// Tail returns up to limit of the newest entries after from that keep
// selects, as many as maxBytes holds as the ring counts them. A from of
// another generation, or from ahead of the ring (a cursor of another
// server), starts after the last clear, and says so. Under the lock, the
// records are only compared and copied, newest first; they are made into
// entries after.
func (j *Ring[T, P, E]) Tail(from Cursor, keep func(*E) bool, limit, maxBytes int) Batch[E] {
	j.mu.Lock()
	var b Batch[E]
	if from.Gen != j.gen || from.Seq > j.added {
		b.Cleared = true
		from = Cursor{j.gen, j.clearedAt}
	}
	newer := j.added - from.Seq
	n := min(newer, uint64(j.n))
	picked := make([]T, 0, min(n, uint64(limit)))
	var looked uint64
	size := 0
	for i := uint64(0); i < n && len(picked) < limit; i++ {
		at := j.newest(i)
		r := &j.records[at]
		if e := P(r).Head(); keep(&e) {
			// An event holds at most maxBytes: the records beyond are
			// not even made, and count as unseen.
			if size += j.sizes[at]; size > maxBytes && len(picked) > 0 {
				break
			}
			picked = append(picked, *r)
		}
		looked++
	}
	b.Next, b.Unseen = Cursor{j.gen, j.added}, newer-looked
	j.mu.Unlock()
	slices.Reverse(picked)
	b.Entries = make([]E, len(picked))
	for i := range picked {
		b.Entries[i] = P(&picked[i]).Read()
	}
	return b
}

// Start is the cursor of a stream that begins with the ring as it is.
func (j *Ring[T, P, E]) Start() Cursor {
	j.mu.Lock()
	defer j.mu.Unlock()
	return Cursor{j.gen, j.clearedAt}
}

// newest returns the index in the ring of the i-th newest record (0 is the
// newest). Callers hold mu, and i < n.
func (j *Ring[T, P, E]) newest(i uint64) int { return j.at(j.n - 1 - int(i)) }
