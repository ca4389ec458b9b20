package mock

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock/internal/ring"
)

func TestJournalRingGrowsAsItFills(t *testing.T) {
	j := newJournal(MaxJournalSize)
	if j.Room() != 0 {
		t.Fatalf("a new journal of %d entries has room for %d; want none", MaxJournalSize, j.Room())
	}
	for i := range 17 {
		j.Add(stored{Entry: Entry{RID: strconv.Itoa(i)}})
	}
	if n, _ := j.Usage(); j.Room() != 32 || n != 17 {
		t.Errorf("after 17 entries: room for %d, holds %d; want 32 and 17", j.Room(), n)
	}
}

func TestJournalDropsTheOldestPastItsBytes(t *testing.T) {
	e := stored{Entry: Entry{RID: "x"}, body: make([]byte, 1000)}
	j := newJournal(100)
	j.MaxBytes = 3 * e.Size()
	for i := range 5 {
		e.RID = strconv.Itoa(i)
		j.Add(e)
	}
	var rids []string
	for _, got := range j.List(func(*Entry) bool { return true }) {
		rids = append(rids, got.RID)
	}
	if _, bytes := j.Usage(); strings.Join(rids, ",") != "2,3,4" || bytes != 3*e.Size() {
		t.Errorf("holds %v in %d bytes; want 2,3,4 in %d", rids, bytes, 3*e.Size())
	}
	big := stored{body: make([]byte, j.MaxBytes)}
	j.Add(big)
	if n, _ := j.Usage(); n != 3 {
		t.Errorf("an entry larger than the bound: holds %d; want it not kept, and the 3 others", n)
	}
}

func TestTailMakesNoMoreEntriesThanAnEventHolds(t *testing.T) {
	j := newJournal(1000)
	e := stored{body: make([]byte, 64<<10)}
	for range 100 {
		j.Add(e)
	}
	b := j.Tail(ring.Cursor{}, func(*Entry) bool { return true }, 100, MaxEventBytes)
	if n := len(b.Entries); n == 0 || n*e.Size() > MaxEventBytes || uint64(n)+b.Unseen != 100 {
		t.Errorf("made %d entries of %d bytes, %d unseen; want at most %d bytes of them, the others unseen", n, e.Size(), b.Unseen, MaxEventBytes)
	}
}
