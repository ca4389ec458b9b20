// Package tokens is the fake's token store: the access tokens it issued
// (their rotation, overlap and expiry, stable_token's state and its force
// refreshes), the authorizations' refresh tokens, and the list of the
// tokens that work. Lookups are sharded; tokens are forgotten by time,
// from a heap, so that no rate of calls makes the store grow.
package tokens

import (
	"container/heap"
	"crypto/rand"
	"encoding/base64"
	"hash/maphash"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// An expired token is remembered (and answers 42001) this long, then
// forgotten (40001). The lifetimes and overlaps of tokens are the spec's
// (x-answer).
const expiredMemory = 24 * time.Hour

// Token is an access token the fake issued. Only retired changes once it
// is issued, so a token is shared between the store and the requests that
// look it up.
type Token struct {
	Value     string
	Kind      string // apispec.KindApp, KindComponent or KindAuthorizer
	AppID     string // the account's, or the component's for a component token
	Component string // the platform of an authorizer token
	Scenario  string // bound by the admin API, or ""
	Expires   time.Time
	retired   atomic.Int64 // Unix nanoseconds when a newer token retired it; 0 while current
	slot      int          // its index in the store's forget heap, -1 when not in it
}

// owner is what a token rotates with: a new token of the same owner retires it.
func (t *Token) owner() string { return t.Kind + "|" + t.Component + "|" + t.AppID }

// retire makes the token stop working at at, unless it already retires earlier.
func (t *Token) retire(at time.Time) {
	for {
		old := t.retired.Load()
		if old != 0 && old <= at.UnixNano() {
			return
		}
		if t.retired.CompareAndSwap(old, at.UnixNano()) {
			return
		}
	}
}

// deadline is when the token stops working, and the cause it answers then.
func (t *Token) deadline() (time.Time, string) {
	if r := t.retired.Load(); r != 0 && r < t.Expires.UnixNano() {
		return time.Unix(0, r), tcbmock.CauseUnknownToken
	}
	return t.Expires, tcbmock.CauseExpiredToken
}

// FailsAt returns the cause the token fails with at now, or "" while it works.
func (t *Token) FailsAt(now time.Time) string {
	if at, cause := t.deadline(); !now.Before(at) {
		return cause
	}
	return ""
}

// forgetTime is when the token may be forgotten, as it answers as unknown
// anyway: once retired, or when it has been expired longer than the fake
// remembers expired tokens.
func (t *Token) forgetTime() time.Time {
	at, cause := t.deadline()
	if cause == tcbmock.CauseExpiredToken {
		return at.Add(expiredMemory + 1)
	}
	return at
}

// Store is every token the fake issued, and which is current per owner.
//
// Lookups, the hot path of every API call, take the read lock of one shard
// of the tokens by value. Issuing takes the owners' lock, then one shard's
// write lock: a flood of token requests never holds up another app's
// lookups for longer than one map write. Tokens are forgotten by time, from
// a heap of when each may go, never by scanning.
type Store struct {
	seed   maphash.Seed
	shards [tokenShards]tokenShard

	mu        sync.Mutex
	latest    map[string]*Token        // the current token of each owner, from the rotating endpoints
	replaced  map[string]*Token        // the token each owner's current one replaced, until forgotten
	stable    map[string]*stableState  // stable_token's state per app
	refreshes map[string]*refreshState // refresh tokens per authorization
	due       forgetHeap               // when each token may be forgotten
}

const tokenShards = 32

type tokenShard struct {
	mu      sync.RWMutex
	byValue map[string]*Token
	peak    int // the most tokens byValue held since it was made
}

// put stores t.
func (sh *tokenShard) put(t *Token) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.byValue[t.Value] = t
	sh.peak = max(sh.peak, len(sh.byValue))
}

// remove forgets t, unless another token has its value. A Go map never
// gives back the room it grew to: once it holds a quarter of its peak, it
// is copied into one of the right size.
func (sh *tokenShard) remove(t *Token) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.byValue[t.Value] != t {
		return
	}
	delete(sh.byValue, t.Value)
	if sh.peak > 256 && len(sh.byValue) < sh.peak/4 {
		sh.byValue = maps.Clone(sh.byValue)
		sh.peak = len(sh.byValue)
	}
}

type stableState struct {
	current *Token
	forced  []time.Time // the force_refresh calls that refreshed, in the last day
}

// New returns an empty store.
func New() *Store {
	ts := &Store{seed: maphash.MakeSeed()}
	ts.Reset()
	return ts
}

// Reset forgets every token and refresh token.
func (ts *Store) Reset() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for i := range ts.shards {
		sh := &ts.shards[i]
		sh.mu.Lock()
		sh.byValue, sh.peak = map[string]*Token{}, 0
		sh.mu.Unlock()
	}
	ts.latest = map[string]*Token{}
	ts.replaced = map[string]*Token{}
	ts.stable = map[string]*stableState{}
	ts.refreshes = map[string]*refreshState{}
	ts.due = nil
}

func (ts *Store) shard(value string) *tokenShard {
	return &ts.shards[maphash.String(ts.seed, value)%tokenShards]
}

// Lookup returns the token with value, or nil.
func (ts *Store) Lookup(value string) *Token {
	if value == "" {
		return nil
	}
	sh := ts.shard(value)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	return sh.byValue[value]
}

// Issue returns t, a new token of its owner, living the rule's lifetime;
// the owner's previous one retires after the rule's overlap, as
// /cgi-bin/token does.
//
// An owner keeps at most [PerOwner] tokens: the current one and the
// one it replaced. The one that one replaced is forgotten at once, and
// answers as unknown even if its overlap had time left or it had expired
// (a choice of the fake: a client can tell no more apart), so that no rate
// of calls makes the store grow.
func (ts *Store) Issue(t *Token, now time.Time, r *apispec.AnswerRule) *Token {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	owner := t.owner()
	if prev := ts.latest[owner]; prev != nil {
		if old := ts.replaced[owner]; old != nil {
			ts.drop(old)
		}
		prev.retire(now.Add(r.OverlapTime()))
		ts.schedule(prev)
		ts.replaced[owner] = prev
	}
	ts.add(t, now, r.Lifetime())
	ts.latest[owner] = t
	return t
}

// PerOwner is how many tokens of the rotating endpoints
// (/cgi-bin/token, the component and authorizer tokens) the fake keeps of
// one account or authorization: the current one and the one it replaced.
const PerOwner = 2

// drop forgets t now. Callers hold mu.
func (ts *Store) drop(t *Token) {
	if t.slot >= 0 && t.slot < len(ts.due) && ts.due[t.slot] == t {
		heap.Remove(&ts.due, t.slot)
	}
	ts.forgotten(t)
}

// forgotten removes t from the maps. Callers hold mu.
func (ts *Store) forgotten(t *Token) {
	ts.shard(t.Value).remove(t)
	if ts.latest[t.owner()] == t {
		delete(ts.latest, t.owner())
	}
	if ts.replaced[t.owner()] == t {
		delete(ts.replaced, t.owner())
	}
}

// Mint returns an app token outside of the endpoints' rotation, optionally
// bound to a scenario.
func (ts *Store) Mint(appid, scenario string, now time.Time, lifetime time.Duration) *Token {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t := &Token{Kind: apispec.KindApp, AppID: appid, Scenario: scenario}
	ts.add(t, now, lifetime)
	return t
}

// Stable answers stable_token: the current token while more than the
// rule's overlap is left of it, a new one after; force refreshes retire
// the current one at once. It returns the token and the time it has left.
func (ts *Store) Stable(appid string, force bool, now time.Time, r *apispec.AnswerRule) (*Token, time.Duration) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	st := ts.stable[appid]
	if st == nil {
		st = &stableState{}
		ts.stable[appid] = st
	}
	cur := st.current
	switch {
	case force && st.mayForce(now, r.ForceRefresh):
		st.forced = append(st.forced, now)
		if cur != nil {
			cur.retire(now)
			ts.schedule(cur)
		}
	case cur != nil && cur.Expires.Sub(now) > r.OverlapTime():
		return cur, cur.Expires.Sub(now).Truncate(time.Second)
	}
	st.current = &Token{Kind: apispec.KindApp, AppID: appid}
	ts.add(st.current, now, r.Lifetime())
	return st.current, r.Lifetime()
}

func (st *stableState) mayForce(now time.Time, limits *apispec.ForceRefresh) bool {
	day := now.Add(-24 * time.Hour)
	kept := st.forced[:0]
	for _, at := range st.forced {
		if at.After(day) {
			kept = append(kept, at)
		}
	}
	st.forced = kept
	if n := len(kept); n > 0 && now.Sub(kept[n-1]) < time.Duration(limits.Gap)*time.Second {
		return false
	}
	return len(kept) < limits.Daily
}

// add gives t a value and an expiry and stores it, forgetting first the
// tokens whose time has come. Callers hold mu.
func (ts *Store) add(t *Token, now time.Time, lifetime time.Duration) {
	ts.forget(now)
	t.Value, t.Expires = NewValue(), now.Add(lifetime)
	ts.shard(t.Value).put(t)
	ts.schedule(t)
}

// schedule notes when t may be forgotten, or that the time changed.
// Callers hold mu.
func (ts *Store) schedule(t *Token) {
	if t.slot >= 0 && t.slot < len(ts.due) && ts.due[t.slot] == t {
		heap.Fix(&ts.due, t.slot)
		return
	}
	heap.Push(&ts.due, t)
}

// forget drops the tokens that answer as unknown anyway at now. Each token
// has one place in the heap, so issuing is O(log n) amortised, whatever the
// number of tokens. Callers hold mu.
func (ts *Store) forget(now time.Time) {
	for len(ts.due) > 0 && !now.Before(ts.due[0].forgetTime()) {
		ts.forgotten(heap.Pop(&ts.due).(*Token))
	}
	ts.due.shrink()
}

// forgetHeap is a min-heap of tokens by the time they may be forgotten.
type forgetHeap []*Token

func (h forgetHeap) Len() int           { return len(h) }
func (h forgetHeap) Less(i, j int) bool { return h[i].forgetTime().Before(h[j].forgetTime()) }
func (h forgetHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].slot, h[j].slot = i, j
}
func (h *forgetHeap) Push(x any) {
	t := x.(*Token)
	t.slot = len(*h)
	*h = append(*h, t)
}
func (h *forgetHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	t.slot = -1
	return t
}

// shrink gives back the room of a heap that holds a quarter of its capacity.
func (h *forgetHeap) shrink() {
	if cap(*h) > 256 && len(*h) < cap(*h)/4 {
		*h = slices.Clone(*h)
	}
}

// NewValue returns a token shaped like the real server's: a number,
// '_', then URL-safe characters, 150 in all.
func NewValue() string {
	var b [110]byte
	_, _ = rand.Read(b[:])
	return "97_" + base64.RawURLEncoding.EncodeToString(b[:])
}

// Live is a token that works now, as GET tokens lists it.
type Live struct {
	AccessToken string    `json:"access_token"`
	Kind        string    `json:"kind"`      // apispec.KindApp, KindComponent or KindAuthorizer
	AppID       string    `json:"appid"`     // the account's, or the platform's for a component token
	Component   string    `json:"component"` // the platform of an authorizer token
	Scenario    string    `json:"scenario"`  // the scenario it was minted for, or ""
	ExpiresAt   time.Time `json:"expires_at"`
	ExpiresIn   int64     `json:"expires_in"` // whole seconds left on the fake's clock
	// Retired says a newer token replaced it: it stops at ExpiresAt as
	// unknown (40001), not as expired (42001).
	Retired bool `json:"retired"`
}

// Live returns every token that works at now. It holds one shard's read
// lock at a time, as a lookup does.
func (ts *Store) Live(now time.Time) []Live {
	out := []Live{}
	for i := range ts.shards {
		sh := &ts.shards[i]
		sh.mu.RLock()
		for _, t := range sh.byValue {
			if t.FailsAt(now) != "" {
				continue
			}
			at, cause := t.deadline()
			out = append(out, Live{AccessToken: t.Value, Kind: t.Kind, AppID: t.AppID, Component: t.Component,
				Scenario: t.Scenario, ExpiresAt: at, ExpiresIn: int64(at.Sub(now) / time.Second), Retired: cause == tcbmock.CauseUnknownToken})
		}
		sh.mu.RUnlock()
	}
	return out
}
