package mock

import (
	"net/url"
	"sync"
	"time"
)

// Entry is one request the fake answered, as the journal keeps it.
type Entry struct {
	Time      time.Time         `json:"time"` // on the fake's clock
	Method    string            `json:"method"`
	Path      string            `json:"path"`
	Query     map[string]string `json:"query"`
	Body      string            `json:"body"` // the first journalBodyMax bytes
	Operation string            `json:"operation,omitempty"`
	AppID     string            `json:"appid,omitempty"`     // the app of the token or of the token request
	Component string            `json:"component,omitempty"` // the platform of an authorizer token
	Env       string            `json:"env,omitempty"`       // the env asked for
	Scenario  string            `json:"scenario,omitempty"`
	Status    int               `json:"status"`
	Errcode   int               `json:"errcode"`
	Cause     string            `json:"cause,omitempty"` // why the world refused it, such as "expired token"
	Fault     string            `json:"fault,omitempty"` // the fault injected, if any
	RID       string            `json:"rid"`
}

// journalBodyMax bounds the body an entry keeps.
const journalBodyMax = 4 << 10

// DefaultJournalSize is how many entries the journal keeps unless [WithJournalSize] says otherwise.
const DefaultJournalSize = 1000

// record is an entry as the ring keeps it: the query and body are made
// into the Entry's fields when the journal is read, not on every request.
type record struct {
	Entry
	rawQuery string
	body     []byte
}

// entry returns the record as an Entry.
func (r *record) entry() Entry {
	e := r.Entry
	e.Body = string(r.body)
	e.Query = map[string]string{}
	q, _ := url.ParseQuery(r.rawQuery)
	for k, v := range q {
		e.Query[k] = v[0]
	}
	return e
}

// journal keeps the last entries in a ring.
type journal struct {
	mu      sync.Mutex
	entries []record
	next    int // where the next entry goes
	full    bool
}

func newJournal(size int) *journal { return &journal{entries: make([]record, size)} }

func (j *journal) add(e record) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.entries) == 0 {
		return
	}
	j.entries[j.next] = e
	j.next = (j.next + 1) % len(j.entries)
	j.full = j.full || j.next == 0
}

// list returns the entries that keep returns true for, oldest first.
func (j *journal) list(keep func(*Entry) bool) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []Entry{}
	start, n := 0, j.next
	if j.full {
		start, n = j.next, len(j.entries)
	}
	for i := range n {
		e := j.entries[(start+i)%len(j.entries)].entry()
		if keep(&e) {
			out = append(out, e)
		}
	}
	return out
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.entries)
	j.next, j.full = 0, false
}
