package mock

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// ring returns a journal of size that was given n entries, the i-th
// (from 1) with the body "i" and the status 200 when i is even, else 500.
func ring(size, n int) *journal {
	j := newJournal(size)
	for i := 1; i <= n; i++ {
		status := 500
		if i%2 == 0 {
			status = 200
		}
		j.add(stored{Entry: Entry{Status: status}, body: []byte(strconv.Itoa(i))})
	}
	return j
}

func bodies(entries []Entry) string {
	s := ""
	for _, e := range entries {
		s += e.Body + " "
	}
	return s
}

func TestTailReturnsTheNewestEntriesAfterACursor(t *testing.T) {
	all := func(*Entry) bool { return true }
	even := func(e *Entry) bool { return e.Status == 200 }
	for _, tc := range []struct {
		name        string
		size, added int
		from        cursor
		keep        func(*Entry) bool
		limit       int
		want        string
		unseen      uint64
	}{
		{"everything, in order", 10, 4, cursor{0, 0}, all, 100, "1 2 3 4 ", 0},
		{"only what came after the cursor", 10, 4, cursor{0, 2}, all, 100, "3 4 ", 0},
		{"nothing new", 10, 4, cursor{0, 4}, all, 100, "", 0},
		{"the newest, when the limit is reached", 10, 8, cursor{0, 0}, all, 3, "6 7 8 ", 5},
		{"a wrapped ring", 10, 25, cursor{0, 20}, all, 100, "21 22 23 24 25 ", 0},
		{"what the ring dropped is unseen", 10, 25, cursor{0, 3}, all, 100, "16 17 18 19 20 21 22 23 24 25 ", 12},
		{"the newest of a wrapped ring", 10, 25, cursor{0, 0}, all, 4, "22 23 24 25 ", 21},
		{"filtered", 10, 25, cursor{0, 17}, even, 100, "18 20 22 24 ", 0},
		{"filtered up to the limit", 10, 25, cursor{0, 0}, even, 2, "22 24 ", 21},
		{"a journal of no entries", 0, 5, cursor{0, 0}, all, 100, "", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := ring(tc.size, tc.added)
			b := j.tail(tc.from, tc.keep, tc.limit)
			if got := bodies(b.entries); got != tc.want || b.unseen != tc.unseen || b.cleared {
				t.Errorf("got %q, unseen %d, cleared %v; want %q, unseen %d, not cleared", got, b.unseen, b.cleared, tc.want, tc.unseen)
			}
			if want := (cursor{0, uint64(tc.added)}); b.next != want {
				t.Errorf("got next %v; want %v", b.next, want)
			}
		})
	}
}

func TestTailAfterAClearStartsAfterIt(t *testing.T) {
	j := ring(10, 6)
	before := j.start()
	j.clear()
	j.add(stored{body: []byte("7")})
	for _, from := range []cursor{before, {0, 3}, {0, 99}} {
		b := j.tail(from, func(*Entry) bool { return true }, 100)
		if got := bodies(b.entries); got != "7 " || !b.cleared || b.next != (cursor{1, 7}) {
			t.Errorf("from %v: got %q, cleared %v, next %v; want \"7 \", cleared, 1-7", from, got, b.cleared, b.next)
		}
	}
	if got := j.start(); got != (cursor{1, 6}) {
		t.Errorf("start after a clear: got %v; want 1-6", got)
	}
}

func TestCursorsReadWhatTheyWrite(t *testing.T) {
	for _, c := range []cursor{{0, 0}, {3, 1 << 40}} {
		if got, ok := parseCursor(c.String()); !ok || got != c {
			t.Errorf("parseCursor(%q) = %v, %v; want %v", c.String(), got, ok, c)
		}
	}
	for _, bad := range []string{"", "1", "1-", "-1", "a-b", "1-2-3", fmt.Sprint(uint64(1<<63)) + "0-1"} {
		if _, ok := parseCursor(bad); ok {
			t.Errorf("parseCursor(%q) accepted it", bad)
		}
	}
}

func TestJournalRingGrowsAsItFills(t *testing.T) {
	j := newJournal(MaxJournalSize)
	if len(j.entries) != 0 {
		t.Fatalf("a new journal of %d entries has room for %d; want none", MaxJournalSize, len(j.entries))
	}
	for i := range 17 {
		j.add(stored{Entry: Entry{RID: strconv.Itoa(i)}})
	}
	if len(j.entries) != 32 || j.n != 17 {
		t.Errorf("after 17 entries: room for %d, holds %d; want 32 and 17", len(j.entries), j.n)
	}
}

func TestJournalDropsTheOldestPastItsBytes(t *testing.T) {
	e := stored{Entry: Entry{RID: "x"}, body: make([]byte, 1000)}
	j := newJournal(100)
	j.maxBytes = 3 * e.size()
	for i := range 5 {
		e.RID = strconv.Itoa(i)
		j.add(e)
	}
	var rids []string
	for _, got := range j.list(func(*Entry) bool { return true }) {
		rids = append(rids, got.RID)
	}
	if strings.Join(rids, ",") != "2,3,4" || j.bytes != 3*e.size() {
		t.Errorf("holds %v in %d bytes; want 2,3,4 in %d", rids, j.bytes, 3*e.size())
	}
	big := stored{body: make([]byte, j.maxBytes)}
	j.add(big)
	if j.n != 3 {
		t.Errorf("an entry larger than the bound: holds %d; want it not kept, and the 3 others", j.n)
	}
}

func TestTailMakesNoMoreEntriesThanAnEventHolds(t *testing.T) {
	j := newJournal(1000)
	e := stored{body: make([]byte, 64<<10)}
	for range 100 {
		j.add(e)
	}
	b := j.tail(cursor{}, func(*Entry) bool { return true }, 100)
	if n := len(b.entries); n == 0 || n*e.size() > MaxEventBytes || uint64(n)+b.unseen != 100 {
		t.Errorf("made %d entries of %d bytes, %d unseen; want at most %d bytes of them, the others unseen", n, e.size(), b.unseen, MaxEventBytes)
	}
}
