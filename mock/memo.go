package mock

import "sync"

// parses remembers what requests said: a request like one seen before, by
// its operation, path, query and body, is neither validated nor decoded again.
// It holds at most maxParses requests of up to maxParseKey bytes, and
// starts over when full. A reload, which may change the spec, starts anew.
type parses struct {
	mu sync.Mutex
	m  map[string]*parsed
}

const (
	maxParses   = 4096
	maxParseKey = 4 << 10
)

// of returns what c says, from the memo or from parse.
func (ps *parses) of(c *call, parse func(*call) *parsed) *parsed {
	var buf [512]byte
	key := append(append(append(append(buf[:0], c.op.ID...), 0), c.r.URL.EscapedPath()...), 0)
	key = append(append(append(key, c.r.URL.RawQuery...), 0), c.body...)
	if len(key) > maxParseKey || c.bodyErr != nil { // a body cut short says less than its bytes
		return parse(c)
	}
	ps.mu.Lock()
	p, ok := ps.m[string(key)] // no allocation for the lookup
	ps.mu.Unlock()
	if ok {
		return p
	}
	p = parse(c)
	ps.mu.Lock()
	if ps.m == nil || len(ps.m) >= maxParses {
		ps.m = make(map[string]*parsed, 64)
	}
	ps.m[string(key)] = p
	ps.mu.Unlock()
	return p
}
