package mock

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unsafe"

	"github.com/tcbmock/tcbmock/mock/internal/redact"
	"github.com/tcbmock/tcbmock/mock/internal/ring"
)

// Entry is one request the fake answered, or an exchange answered
// elsewhere that it journaled (tcbmock proxy's), as the journal keeps it. The query, header, body and answer are the first
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
	// spec, one line each (tcbmock proxy's); empty for the fake's own.
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
	scrub        *redact.Scrubber // the redaction of its exchange, until it is added; nil without one
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

// Head returns the stored entry's fields that a Filter reads, without its
// query, header, body and answer, which cost copies to make.
func (r *stored) Head() Entry {
	e := r.Entry
	if r.hasErrcode {
		code := r.errcode
		e.Errcode = &code
	}
	return e
}

// Read returns the stored entry as an Entry.
func (r *stored) Read() Entry {
	e := r.Head()
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

// Size returns the bytes the entry holds: the lengths of every string and
// byte slice it keeps, and its fixed bookkeeping. It is what the journal's
// byte bound counts; the answer of a request is the same each time, so the
// bound is exact, not a sample of the heap.
func (r *stored) Size() int {
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

// journal is the ring of a server's entries.
type journal = ring.Ring[stored, *stored, Entry]

// newJournal is a journal of at most size entries and DefaultJournalBytes.
func newJournal(size int) *journal { return &journal{Size: size, MaxBytes: DefaultJournalBytes} }
