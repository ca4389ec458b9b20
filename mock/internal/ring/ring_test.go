package ring

import (
	"fmt"
	"testing"
)

// entry and record stand for a journal's: a record of a status and a
// body, read as an entry, each 100 bytes.
type entry struct {
	Status int
	Body   string
}

type record struct {
	status int
	body   string
}

func (r *record) Size() int   { return 100 }
func (r *record) Head() entry { return entry{Status: r.status} }
func (r *record) Read() entry { return entry{Status: r.status, Body: r.body} }

// filled returns a ring of size that was given n records, the i-th (from
// 1) with the body "i" and the status 200 when i is even, else 500.
func filled(size, n int) *Ring[record, *record, entry] {
	j := &Ring[record, *record, entry]{Size: size, MaxBytes: 1 << 20}
	for i := 1; i <= n; i++ {
		status := 500
		if i%2 == 0 {
			status = 200
		}
		j.Add(record{status: status, body: fmt.Sprint(i)})
	}
	return j
}

func bodies(entries []entry) string {
	s := ""
	for _, e := range entries {
		s += e.Body + " "
	}
	return s
}

func TestTailReturnsTheNewestEntriesAfterACursor(t *testing.T) {
	all := func(*entry) bool { return true }
	even := func(e *entry) bool { return e.Status == 200 }
	for _, tc := range []struct {
		name        string
		size, added int
		from        Cursor
		keep        func(*entry) bool
		limit       int
		want        string
		unseen      uint64
	}{
		{"everything, in order", 10, 4, Cursor{0, 0}, all, 100, "1 2 3 4 ", 0},
		{"only what came after the cursor", 10, 4, Cursor{0, 2}, all, 100, "3 4 ", 0},
		{"nothing new", 10, 4, Cursor{0, 4}, all, 100, "", 0},
		{"the newest, when the limit is reached", 10, 8, Cursor{0, 0}, all, 3, "6 7 8 ", 5},
		{"a wrapped ring", 10, 25, Cursor{0, 20}, all, 100, "21 22 23 24 25 ", 0},
		{"what the ring dropped is unseen", 10, 25, Cursor{0, 3}, all, 100, "16 17 18 19 20 21 22 23 24 25 ", 12},
		{"the newest of a wrapped ring", 10, 25, Cursor{0, 0}, all, 4, "22 23 24 25 ", 21},
		{"filtered", 10, 25, Cursor{0, 17}, even, 100, "18 20 22 24 ", 0},
		{"filtered up to the limit", 10, 25, Cursor{0, 0}, even, 2, "22 24 ", 21},
		{"a journal of no entries", 0, 5, Cursor{0, 0}, all, 100, "", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := filled(tc.size, tc.added)
			b := j.Tail(tc.from, tc.keep, tc.limit, 1<<20)
			if got := bodies(b.Entries); got != tc.want || b.Unseen != tc.unseen || b.Cleared {
				t.Errorf("got %q, unseen %d, cleared %v; want %q, unseen %d, not cleared", got, b.Unseen, b.Cleared, tc.want, tc.unseen)
			}
			if want := (Cursor{0, uint64(tc.added)}); b.Next != want {
				t.Errorf("got next %v; want %v", b.Next, want)
			}
		})
	}
}

func TestTailAfterAClearStartsAfterIt(t *testing.T) {
	j := filled(10, 6)
	before := j.Start()
	j.Clear()
	j.Add(record{body: "7"})
	for _, from := range []Cursor{before, {0, 3}, {0, 99}} {
		b := j.Tail(from, func(*entry) bool { return true }, 100, 1<<20)
		if got := bodies(b.Entries); got != "7 " || !b.Cleared || b.Next != (Cursor{1, 7}) {
			t.Errorf("from %v: got %q, cleared %v, next %v; want \"7 \", cleared, 1-7", from, got, b.Cleared, b.Next)
		}
	}
	if got := j.Start(); got != (Cursor{1, 6}) {
		t.Errorf("start after a clear: got %v; want 1-6", got)
	}
}

func TestCursorsReadWhatTheyWrite(t *testing.T) {
	for _, c := range []Cursor{{0, 0}, {3, 1 << 40}} {
		if got, ok := ParseCursor(c.String()); !ok || got != c {
			t.Errorf("ParseCursor(%q) = %v, %v; want %v", c.String(), got, ok, c)
		}
	}
	for _, bad := range []string{"", "1", "1-", "-1", "a-b", "1-2-3", fmt.Sprint(uint64(1<<63)) + "0-1"} {
		if _, ok := ParseCursor(bad); ok {
			t.Errorf("ParseCursor(%q) accepted it", bad)
		}
	}
}
