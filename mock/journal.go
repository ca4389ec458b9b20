package mock

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// Entry is one request the fake answered, or an exchange answered
// elsewhere that it journaled ([Server.RecordExchange]), as the journal
// keeps it. The query, header, body and answer are the first
// [journalPartMax] bytes of each; Truncated names those that were longer. With [WithRedaction], every
// credential in them is a placeholder.
type Entry struct {
	Time      time.Time         `json:"time"` // on the fake's clock
	Method    string            `json:"method"`
	Path      string            `json:"path"`
	Query     map[string]string `json:"query"`
	Header    map[string]string `json:"header"` // the request's headers, the first value of each
	Body      string            `json:"body"`
	Operation string            `json:"operation"` // the operationId of the spec at the path, or ""
	AppID     string            `json:"appid"`     // the app of the token or of the token request
	Component string            `json:"component"` // the platform of an authorizer token
	Env       string            `json:"env"`       // the env asked for
	Scenario  string            `json:"scenario"`  // the scenario that answered, or ""
	Status    int               `json:"status"`    // the HTTP status sent
	Errcode   *int              `json:"errcode,omitempty"`
	Answer    string            `json:"answer"` // the body sent
	Cause     string            `json:"cause"`  // why the world refused it, such as "expired token"; for an exchange, why it was not validated
	Fault     string            `json:"fault"`  // the fault injected, if any
	RID       string            `json:"rid"`
	Truncated []string          `json:"truncated"` // which of query, header, body and answer were cut
	// Change is a change to the world made at run time (POST, PUT or
	// DELETE on apps, components or scenarios), such as `app "wx1" added`;
	// "" for an exchange.
	Change string `json:"change"`
	// Violations are how an answer that something else gave breaks the
	// spec, one line each ([Server.RecordExchange]); empty for the fake's own.
	Violations []string `json:"violations"`
}

// journalPartMax bounds each of the query, header, body and answer an entry keeps.
const journalPartMax = 4 << 10

// stored is an entry as the ring keeps it. No part of it holds more than
// journalPartMax bytes, nor a slice of a larger buffer: a part is kept as
// it came only when what it is part of is small, else it is copied, cut.
// The query and header are made into the Entry's maps when the journal is
// read, not on every request.
type stored struct {
	Entry
	rawQuery     string
	header       []headerField
	body, answer []byte
	errcode      int
	hasErrcode   bool
	scrub        *scrub // the redaction of its exchange, until it is added; nil without one
	// line is the size of the request line its path and query may be
	// slices of, which they keep whole: 0 when they are copies.
	line int
}

type headerField struct{ name, value string }

// cut returns s as the journal may keep it: s itself when it is part of
// at most journalPartMax*2 bytes (whole says so) and no longer than
// journalPartMax, else a copy of its first journalPartMax bytes. It
// reports whether s was longer.
func cut(s string, whole bool) (string, bool) {
	switch {
	case len(s) > journalPartMax:
		return strings.Clone(s[:journalPartMax]), true
	case whole:
		return s, false
	}
	return strings.Clone(s), false
}

// cutBytes is cut for a body: b itself when it is small, else a copy of
// its first journalPartMax bytes.
func cutBytes(b []byte) ([]byte, bool) {
	switch {
	case len(b) > journalPartMax:
		return bytes.Clone(b[:journalPartMax]), true
	case cap(b) > 2*journalPartMax:
		return bytes.Clone(b), false
	}
	return b, false
}

// keepHeader returns the first value of each header field, up to
// journalPartMax bytes in all, and whether some were left out. A header's
// strings are its own, each no larger than itself.
func keepHeader(h http.Header, redact func(name, value string) string) ([]headerField, bool) {
	out := make([]headerField, 0, len(h))
	size, left := 0, false
	for name, values := range h {
		if len(values) == 0 {
			continue
		}
		v := redact(name, values[0])
		if size += len(name) + len(v); size > journalPartMax {
			left = true
			continue
		}
		out = append(out, headerField{name, v})
	}
	return out, left
}

// head returns the stored entry's fields that a Filter reads, without its
// query, header, body and answer, which cost copies to make.
func (r *stored) head() Entry {
	e := r.Entry
	if r.hasErrcode {
		code := r.errcode
		e.Errcode = &code
	}
	return e
}

// entry returns the stored entry as an Entry.
func (r *stored) entry() Entry {
	e := r.head()
	e.Body, e.Answer = string(r.body), string(r.answer)
	e.Query = map[string]string{}
	q, _ := url.ParseQuery(r.rawQuery)
	for k, v := range q {
		e.Query[k] = v[0]
	}
	e.Header = make(map[string]string, len(r.header))
	for _, f := range r.header {
		e.Header[f.name] = f.value
	}
	if e.Truncated == nil {
		e.Truncated = []string{}
	}
	if e.Violations == nil {
		e.Violations = []string{}
	}
	return e
}

// storedOverhead is what an entry costs besides the bytes of its strings:
// the stored struct, the headers of its header fields and of its lists'
// strings, and the map and slice headers of the Entry it is read into.
const storedOverhead = int(unsafe.Sizeof(stored{})) + 256

// size returns the bytes the entry holds: the lengths of every string and
// byte slice it keeps, and its fixed bookkeeping. It is what the journal's
// byte bound counts; the answer of a request is the same each time, so the
// bound is exact, not a sample of the heap.
func (r *stored) size() int {
	n := storedOverhead + r.line + len(r.rawQuery) + cap(r.body) + cap(r.answer) +
		len(r.Method) + len(r.Path) + len(r.Operation) + len(r.AppID) + len(r.Component) +
		len(r.Env) + len(r.Scenario) + len(r.Cause) + len(r.Fault) + len(r.RID) + len(r.Change)
	for _, f := range r.header {
		n += 32 + len(f.name) + len(f.value)
	}
	for _, l := range [][]string{r.Truncated, r.Violations} {
		for _, v := range l {
			n += 16 + len(v)
		}
	}
	return n
}

// journal keeps the last entries in a ring, grown as it fills: at most
// size entries, and at most maxBytes bytes as [stored.size] counts them.
type journal struct {
	mu       sync.Mutex
	size     int
	maxBytes int
	bytes    int      // the sizes of the entries it holds
	entries  []stored // the ring
	sizes    []int    // each entry's size, at its index in the ring
	head, n  int      // the oldest entry's index, and how many it holds
	// Where a stream of it is (see tail): how many entries were ever
	// added, how many times it was emptied, and how many had been added
	// when it last was.
	added, gen, clearedAt uint64
}

func newJournal(size int) *journal { return &journal{size: size, maxBytes: DefaultJournalBytes} }

// add keeps e, dropping the oldest entries while the journal holds size
// entries or e would bring it over maxBytes.
func (j *journal) add(e stored) {
	e.scrub = nil
	size := e.size()
	j.mu.Lock()
	defer j.mu.Unlock()
	j.added++
	if j.size == 0 || size > j.maxBytes {
		return
	}
	for j.n > 0 && (j.n == j.size || j.bytes+size > j.maxBytes) {
		j.entries[j.head] = stored{}
		j.bytes -= j.sizes[j.head]
		j.head = (j.head + 1) % len(j.entries)
		j.n--
	}
	if j.n == len(j.entries) {
		j.grow()
	}
	at := (j.head + j.n) % len(j.entries)
	j.entries[at], j.sizes[at] = e, size
	j.bytes += size
	j.n++
}

// grow makes room for more entries, twice as many up to size, the oldest
// first. Callers hold mu, and the ring is full.
func (j *journal) grow() {
	n := min(max(2*len(j.entries), 16), j.size)
	entries, sizes := make([]stored, n), make([]int, n)
	for i := range j.n {
		entries[i], sizes[i] = j.entries[j.at(i)], j.sizes[j.at(i)]
	}
	j.entries, j.sizes, j.head = entries, sizes, 0
}

// at returns the index in the ring of the i-th oldest entry. Callers hold
// mu, and i < n.
func (j *journal) at(i int) int { return (j.head + i) % len(j.entries) }

// list returns the entries that keep returns true for, oldest first. The
// lock is held only to copy the records; they are filtered by their heads
// after, and only those kept are made into entries.
func (j *journal) list(keep func(*Entry) bool) []Entry {
	j.mu.Lock()
	records := make([]stored, j.n)
	for i := range j.n {
		records[i] = j.entries[j.at(i)]
	}
	j.mu.Unlock()
	out := []Entry{}
	for i := range records {
		if head := records[i].head(); keep(&head) {
			out = append(out, records[i].entry())
		}
	}
	return out
}

// usage returns how many entries the journal holds, and their bytes.
func (j *journal) usage() (entries, bytes int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.n, j.bytes
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries, j.sizes, j.head, j.n, j.bytes = nil, nil, 0, 0, 0
	j.gen++
	j.clearedAt = j.added
}
