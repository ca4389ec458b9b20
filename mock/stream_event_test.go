package mock

import (
	"strings"
	"testing"
)

func TestStreamEventSaysWhatThereIsToSay(t *testing.T) {
	one := []Entry{{RID: "r1", Truncated: []string{}}}
	for _, tc := range []struct {
		name  string
		b     batch
		first bool
		want  string // the events' first lines and data, "" for none
	}{
		{"nothing new", batch{entries: []Entry{}, next: cursor{0, 5}}, false, ""},
		{"the first, even empty", batch{entries: []Entry{}, next: cursor{0, 5}}, true, `event: requests|id: 0-5|data: {"requests":[],"unseen":0}`},
		{"entries", batch{entries: one, next: cursor{1, 6}}, false, `event: requests|id: 1-6|data: {"requests":[{`},
		{"only skipped entries", batch{entries: []Entry{}, next: cursor{0, 9}, unseen: 4}, false, `event: requests|id: 0-9|data: {"requests":[],"unseen":4}`},
		{"a clear", batch{entries: []Entry{}, next: cursor{2, 9}, cleared: true}, false, `event: clear|data: {}||event: requests|id: 2-9|data: {"requests":[],"unseen":0}`},
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
