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
	TokenOverlap  = 5 * time.Minute    // a retired token, or refresh token, keeps working this long
	// stable_token's force_refresh works at most this often, and this many times a day.
	forceRefreshGap   = 30 * time.Second
	forceRefreshDaily = 20
	// An expired token is remembered (and answers 42001) this long, then forgotten (40001).
	expiredMemory = 24 * time.Hour
)

// token is an access token the fake issued.
type token struct {
	value     string
	kind      string // tcbmock.KindApp, KindComponent or KindAuthorizer
	appid     string // the account's, or the component's for a component token
	component string // the platform of an authorizer token
	scenario  string // bound by the admin API, or ""
	expires   time.Time
	retired   time.Time // when a newer token retired it; zero while current
}

// owner is what a token rotates with: a new token of the same owner retires it.
func (t *token) owner() string { return t.kind + "|" + t.component + "|" + t.appid }

// deadline is when the token stops working, and the cause it answers then.
func (t *token) deadline() (time.Time, string) {
	if !t.retired.IsZero() && t.retired.Before(t.expires) {
		return t.retired, tcbmock.CauseUnknownToken
	}
	return t.expires, tcbmock.CauseExpiredToken
}

// tokens is every token the fake issued, and which is current per owner.
type tokens struct {
	mu       sync.Mutex
	byValue  map[string]*token
	byOwner  map[string][]*token
	latest   map[string]*token        // the current token of each owner, from the rotating endpoints
	stable   map[string]*stableState  // stable_token's state per app
	refreshs map[string]*refreshState // refresh tokens per authorization
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
	ts.byOwner = map[string][]*token{}
	ts.latest = map[string]*token{}
	ts.stable = map[string]*stableState{}
	ts.refreshs = map[string]*refreshState{}
}

// lookup returns a copy of the token with value, or nil.
func (ts *tokens) lookup(value string) *token {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if t := ts.byValue[value]; t != nil {
		c := *t
		return &c
	}
	return nil
}

// failsAt returns the cause the token fails with at now, or "" while it works.
func (t *token) failsAt(now time.Time) string {
	if at, cause := t.deadline(); !now.Before(at) {
		return cause
	}
	return ""
}

// issue returns a new token of its owner; the owner's previous one retires
// after the overlap, as /cgi-bin/token does.
func (ts *tokens) issue(t token, now time.Time) *token {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if prev := ts.latest[t.owner()]; prev != nil && prev.retired.IsZero() {
		prev.retired = now.Add(TokenOverlap)
	}
	nt := ts.add(t, now, TokenLifetime)
	ts.latest[t.owner()] = nt
	return nt
}

// mint returns an app token outside of the endpoints' rotation, optionally
// bound to a scenario.
func (ts *tokens) mint(appid, scenario string, now time.Time, lifetime time.Duration) *token {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.add(token{kind: tcbmock.KindApp, appid: appid, scenario: scenario}, now, lifetime)
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
	st.current = ts.add(token{kind: tcbmock.KindApp, appid: appid}, now, TokenLifetime)
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

// add records a new token like t; the owner's dead tokens are forgotten
// first. Callers hold mu.
func (ts *tokens) add(t token, now time.Time, lifetime time.Duration) *token {
	ts.prune(t.owner(), now)
	t.value, t.expires = newTokenValue(), now.Add(lifetime)
	ts.byValue[t.value] = &t
	ts.byOwner[t.owner()] = append(ts.byOwner[t.owner()], &t)
	return &t
}

// prune forgets the owner's tokens that answer as unknown anyway: retired
// ones past their overlap, and expired ones after a day.
func (ts *tokens) prune(owner string, now time.Time) {
	kept := ts.byOwner[owner][:0]
	for _, t := range ts.byOwner[owner] {
		at, cause := t.deadline()
		if (cause == tcbmock.CauseUnknownToken && !now.Before(at)) || now.Sub(at) > expiredMemory {
			delete(ts.byValue, t.value)
			continue
		}
		kept = append(kept, t)
	}
	ts.byOwner[owner] = kept
}

// newTokenValue returns a token shaped like the real server's: a number,
// '_', then URL-safe characters, 150 in all.
func newTokenValue() string {
	var b [110]byte
	_, _ = rand.Read(b[:])
	return "97_" + base64.RawURLEncoding.EncodeToString(b[:])
}
