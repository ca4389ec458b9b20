package mock

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock/internal/ring"
)

func TestStreamEventSaysWhatThereIsToSay(t *testing.T) {
	one := []Entry{{RID: "r1", Truncated: []string{}}}
	for _, tc := range []struct {
		name  string
		b     ring.Batch[Entry]
		first bool
		want  string // the events' first lines and data, "" for none
	}{
		{"nothing new", ring.Batch[Entry]{Entries: []Entry{}, Next: ring.Cursor{Gen: 0, Seq: 5}}, false, ""},
		{"the first, even empty", ring.Batch[Entry]{Entries: []Entry{}, Next: ring.Cursor{Gen: 0, Seq: 5}}, true, `event: requests|id: 0-5|data: {"requests":[],"unseen":0}`},
		{"entries", ring.Batch[Entry]{Entries: one, Next: ring.Cursor{Gen: 1, Seq: 6}}, false, `event: requests|id: 1-6|data: {"requests":[{`},
		{"only skipped entries", ring.Batch[Entry]{Entries: []Entry{}, Next: ring.Cursor{Gen: 0, Seq: 9}, Unseen: 4}, false, `event: requests|id: 0-9|data: {"requests":[],"unseen":4}`},
		{"a clear", ring.Batch[Entry]{Entries: []Entry{}, Next: ring.Cursor{Gen: 2, Seq: 9}, Cleared: true}, false, `event: clear|data: {}||event: requests|id: 2-9|data: {"requests":[],"unseen":0}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.ReplaceAll(string(streamEvent(tc.b, tc.first)), "\n", "|")
			if !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
				t.Errorf("got %q; want it to begin %q", got, tc.want)
			}
			if got != "" && !strings.HasSuffix(got, "||") {
				t.Errorf("got %q; want it to end with a blank line", got)
			}
		})
	}
}

func TestAStreamEventStaysWithinItsBound(t *testing.T) {
	b := ring.Batch[Entry]{Next: ring.Cursor{Gen: 0, Seq: 100}}
	for i := range 100 {
		b.Entries = append(b.Entries, Entry{RID: strconv.Itoa(i), Body: strings.Repeat("b", 16<<10), Truncated: []string{}})
	}
	event := streamEvent(b, false)
	if len(event) > MaxEventBytes+1024 {
		t.Errorf("an event of 100 entries of 16 KiB takes %d bytes; want at most about %d", len(event), MaxEventBytes)
	}
	_, data, _ := strings.Cut(string(event), "data: ")
	var got struct {
		Requests []Entry
		Unseen   int
	}
	if err := json.Unmarshal([]byte(data), &got); err != nil {
		t.Fatal(err)
	}
	if n := len(got.Requests); n == 0 || n+got.Unseen != 100 || got.Requests[n-1].RID != "99" {
		t.Errorf("sent %d entries, the last %v, and %d unseen; want the newest, and the others counted unseen", n, got.Requests[n-1].RID, got.Unseen)
	}
}

func TestAStreamCutsAnEntryTooLargeForAnEvent(t *testing.T) {
	violations := []string{strings.Repeat("v", 100<<10)}
	e := Entry{RID: "r1", Path: "/" + strings.Repeat("p", 1<<20), Body: "{}", Truncated: []string{}, Violations: violations,
		Header: map[string]string{"X-Big": strings.Repeat("h", 4<<10)}}
	event := streamEvent(ring.Batch[Entry]{Entries: []Entry{e}, Next: ring.Cursor{Gen: 0, Seq: 1}}, false)
	if len(event) > maxEventEntryBytes || !strings.Contains(string(event), `"truncated":["event"]`) || !strings.Contains(string(event), `"rid":"r1"`) {
		t.Errorf("an entry of 1 MiB took %d bytes of its event; want at most %d, its rid, and \"event\" truncated", len(event), maxEventEntryBytes)
	}
	if len(violations[0]) != 100<<10 {
		t.Error("cutting the entry for its event cut the journal's violations")
	}
}
