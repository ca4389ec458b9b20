package mock

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"

	"github.com/tcbmock/tcbmock"
)

// Token lifetimes of the real server.
const (
	TokenLifetime = 7200 * time.Second // of every access token
	TokenOverlap  = 5 * time.Minute    // a retired token keeps working this long
	// stable_token's force_refresh works at most this often, and this many times a day.
	forceRefreshGap   = 30 * time.Second
	forceRefreshDaily = 20
	// An expired token is remembered (and answers 42001) this long, then forgotten (40001).
	expiredMemory = 24 * time.Hour
)

// token is an access token the fake issued.
type token struct {
	value    string
	appid    string
	scenario string    // bound by the admin API, or ""
	expires  time.Time // 7200 s after issue
	retired  time.Time // when a newer token retired it; zero while current
}

// deadline is when the token stops working, and the cause it answers then.
func (t *token) deadline() (time.Time, string) {
	if !t.retired.IsZero() && t.retired.Before(t.expires) {
		return t.retired, tcbmock.CauseUnknownToken
	}
	return t.expires, tcbmock.CauseExpiredToken
}

// tokens is every token the fake issued, and which is current per app.
type tokens struct {
	mu      sync.Mutex
	byValue map[string]*token
	byApp   map[string][]*token
	latest  map[string]*token       // /cgi-bin/token's current token per app
	stable  map[string]*stableState // stable_token's state per app
}

type stableState struct {
	current *token
	forced  []time.Time // the force_refresh calls that refreshed, in the last day
}

func newTokens() *tokens {
	t := &tokens{}
	t.reset()
	return t
}

func (ts *tokens) reset() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.byValue = map[string]*token{}
	ts.byApp = map[string][]*token{}
	ts.latest = map[string]*token{}
	ts.stable = map[string]*stableState{}
}

// lookup returns the token with value, or nil.
func (ts *tokens) lookup(value string) *token {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if t := ts.byValue[value]; t != nil {
		c := *t
		return &c
	}
	return nil
}

// check returns the token's app, or the cause it fails with at now.
func (ts *tokens) check(value string, now time.Time) (*token, string) {
	t := ts.lookup(value)
	if t == nil {
		return nil, tcbmock.CauseUnknownToken
	}
	if at, cause := t.deadline(); !now.Before(at) {
		return nil, cause
	}
	return t, ""
}

// issue returns a new token for /cgi-bin/token; the app's previous one retires
// after the overlap.
func (ts *tokens) issue(appid string, now time.Time) *token {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if prev := ts.latest[appid]; prev != nil && prev.retired.IsZero() {
		prev.retired = now.Add(TokenOverlap)
	}
	t := ts.add(appid, "", now, TokenLifetime)
	ts.latest[appid] = t
	return t
}

// mint returns a token outside of both endpoints' rotation, optionally bound to a scenario.
func (ts *tokens) mint(appid, scenario string, now time.Time, lifetime time.Duration) *token {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.add(appid, scenario, now, lifetime)
}

// stableToken answers stable_token: the current token while more than the
// overlap is left of it, a new one after; force refreshes retire the current one at once.
func (ts *tokens) stableToken(appid string, force bool, now time.Time) (t *token, expiresIn int) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	st := ts.stable[appid]
	if st == nil {
		st = &stableState{}
		ts.stable[appid] = st
	}
	cur := st.current
	switch {
	case force && st.mayForce(now):
		st.forced = append(st.forced, now)
		if cur != nil && cur.retired.IsZero() {
			cur.retired = now
		}
	case cur != nil && cur.expires.Sub(now) > TokenOverlap:
		return cur, int(cur.expires.Sub(now) / time.Second)
	}
	st.current = ts.add(appid, "", now, TokenLifetime)
	return st.current, int(TokenLifetime / time.Second)
}

func (st *stableState) mayForce(now time.Time) bool {
	day := now.Add(-24 * time.Hour)
	kept := st.forced[:0]
	for _, at := range st.forced {
		if at.After(day) {
			kept = append(kept, at)
		}
	}
	st.forced = kept
	if n := len(kept); n > 0 && now.Sub(kept[n-1]) < forceRefreshGap {
		return false
	}
	return len(kept) < forceRefreshDaily
}

// add records a new token; the app's dead tokens are forgotten first.
// Callers hold mu.
func (ts *tokens) add(appid, scenario string, now time.Time, lifetime time.Duration) *token {
	ts.prune(appid, now)
	t := &token{value: newTokenValue(), appid: appid, scenario: scenario, expires: now.Add(lifetime)}
	ts.byValue[t.value] = t
	ts.byApp[appid] = append(ts.byApp[appid], t)
	return t
}

// prune forgets the app's tokens that answer as unknown anyway: retired
// ones past their overlap, and expired ones after a day.
func (ts *tokens) prune(appid string, now time.Time) {
	kept := ts.byApp[appid][:0]
	for _, t := range ts.byApp[appid] {
		at, cause := t.deadline()
		if (cause == tcbmock.CauseUnknownToken && !now.Before(at)) || now.Sub(at) > expiredMemory {
			delete(ts.byValue, t.value)
			continue
		}
		kept = append(kept, t)
	}
	ts.byApp[appid] = kept
}

// newTokenValue returns a token shaped like the real server's: a number,
// '_', then URL-safe characters, 150 in all.
func newTokenValue() string {
	var b [110]byte
	_, _ = rand.Read(b[:])
	return "97_" + base64.RawURLEncoding.EncodeToString(b[:])
}
