package mock

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

// token is an access token the fake issued. Only retired changes once it
// is issued, so a token is shared between the store and the requests that
// look it up.
type token struct {
	value     string
	kind      string // apispec.KindApp, KindComponent or KindAuthorizer
	appid     string // the account's, or the component's for a component token
	component string // the platform of an authorizer token
	scenario  string // bound by the admin API, or ""
	expires   time.Time
	retired   atomic.Int64 // Unix nanoseconds when a newer token retired it; 0 while current
	slot      int          // its index in the store's forget heap, -1 when not in it
}

// owner is what a token rotates with: a new token of the same owner retires it.
func (t *token) owner() string { return t.kind + "|" + t.component + "|" + t.appid }

// retire makes the token stop working at at, unless it already retires earlier.
func (t *token) retire(at time.Time) {
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
func (t *token) deadline() (time.Time, string) {
	if r := t.retired.Load(); r != 0 && r < t.expires.UnixNano() {
		return time.Unix(0, r), tcbmock.CauseUnknownToken
	}
	return t.expires, tcbmock.CauseExpiredToken
}

// failsAt returns the cause the token fails with at now, or "" while it works.
func (t *token) failsAt(now time.Time) string {
	if at, cause := t.deadline(); !now.Before(at) {
		return cause
	}
	return ""
}

// forgetTime is when the token may be forgotten, as it answers as unknown
// anyway: once retired, or when it has been expired longer than the fake
// remembers expired tokens.
func (t *token) forgetTime() time.Time {
	at, cause := t.deadline()
	if cause == tcbmock.CauseExpiredToken {
		return at.Add(expiredMemory + 1)
	}
	return at
}

// tokens is every token the fake issued, and which is current per owner.
//
// Lookups, the hot path of every API call, take the read lock of one shard
// of the tokens by value. Issuing takes the owners' lock, then one shard's
// write lock: a flood of token requests never holds up another app's
// lookups for longer than one map write. Tokens are forgotten by time, from
// a heap of when each may go, never by scanning.
type tokens struct {
	seed   maphash.Seed
	shards [tokenShards]tokenShard

	mu        sync.Mutex
	latest    map[string]*token        // the current token of each owner, from the rotating endpoints
	replaced  map[string]*token        // the token each owner's current one replaced, until forgotten
	stable    map[string]*stableState  // stable_token's state per app
	refreshes map[string]*refreshState // refresh tokens per authorization
	due       forgetHeap               // when each token may be forgotten
}

const tokenShards = 32

type tokenShard struct {
	mu      sync.RWMutex
	byValue map[string]*token
	peak    int // the most tokens byValue held since it was made
}

// put stores t.
func (sh *tokenShard) put(t *token) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.byValue[t.value] = t
	sh.peak = max(sh.peak, len(sh.byValue))
}

// remove forgets t, unless another token has its value. A Go map never
// gives back the room it grew to: once it holds a quarter of its peak, it
// is copied into one of the right size.
func (sh *tokenShard) remove(t *token) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.byValue[t.value] != t {
		return
	}
	delete(sh.byValue, t.value)
	if sh.peak > 256 && len(sh.byValue) < sh.peak/4 {
		sh.byValue = maps.Clone(sh.byValue)
		sh.peak = len(sh.byValue)
	}
}

type stableState struct {
	current *token
	forced  []time.Time // the force_refresh calls that refreshed, in the last day
}

func newTokens() *tokens {
	ts := &tokens{seed: maphash.MakeSeed()}
	ts.reset()
	return ts
}

func (ts *tokens) reset() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for i := range ts.shards {
		sh := &ts.shards[i]
		sh.mu.Lock()
		sh.byValue, sh.peak = map[string]*token{}, 0
		sh.mu.Unlock()
	}
	ts.latest = map[string]*token{}
	ts.replaced = map[string]*token{}
	ts.stable = map[string]*stableState{}
	ts.refreshes = map[string]*refreshState{}
	ts.due = nil
}

func (ts *tokens) shard(value string) *tokenShard {
	return &ts.shards[maphash.String(ts.seed, value)%tokenShards]
}

// lookup returns the token with value, or nil.
func (ts *tokens) lookup(value string) *token {
	if value == "" {
		return nil
	}
	sh := ts.shard(value)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	return sh.byValue[value]
}

// issue returns t, a new token of its owner, living the rule's lifetime;
// the owner's previous one retires after the rule's overlap, as
// /cgi-bin/token does.
//
// An owner keeps at most [TokensPerOwner] tokens: the current one and the
// one it replaced. The one that one replaced is forgotten at once, and
// answers as unknown even if its overlap had time left or it had expired
// (a choice of the fake: a client can tell no more apart), so that no rate
// of calls makes the store grow.
func (ts *tokens) issue(t *token, now time.Time, r *apispec.AnswerRule) *token {
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

// TokensPerOwner is how many tokens of the rotating endpoints
// (/cgi-bin/token, the component and authorizer tokens) the fake keeps of
// one account or authorization: the current one and the one it replaced.
const TokensPerOwner = 2

// drop forgets t now. Callers hold mu.
func (ts *tokens) drop(t *token) {
	if t.slot >= 0 && t.slot < len(ts.due) && ts.due[t.slot] == t {
		heap.Remove(&ts.due, t.slot)
	}
	ts.forgotten(t)
}

// forgotten removes t from the maps. Callers hold mu.
func (ts *tokens) forgotten(t *token) {
	ts.shard(t.value).remove(t)
	if ts.latest[t.owner()] == t {
		delete(ts.latest, t.owner())
	}
	if ts.replaced[t.owner()] == t {
		delete(ts.replaced, t.owner())
	}
}

// mint returns an app token outside of the endpoints' rotation, optionally
// bound to a scenario.
func (ts *tokens) mint(appid, scenario string, now time.Time, lifetime time.Duration) *token {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t := &token{kind: apispec.KindApp, appid: appid, scenario: scenario}
	ts.add(t, now, lifetime)
	return t
}

// stableToken answers stable_token: the current token while more than the
// rule's overlap is left of it, a new one after; force refreshes retire
// the current one at once. It returns the token and the time it has left.
func (ts *tokens) stableToken(appid string, force bool, now time.Time, r *apispec.AnswerRule) (*token, time.Duration) {
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
	case cur != nil && cur.expires.Sub(now) > r.OverlapTime():
		return cur, cur.expires.Sub(now).Truncate(time.Second)
	}
	st.current = &token{kind: apispec.KindApp, appid: appid}
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
func (ts *tokens) add(t *token, now time.Time, lifetime time.Duration) {
	ts.forget(now)
	t.value, t.expires = newTokenValue(), now.Add(lifetime)
	ts.shard(t.value).put(t)
	ts.schedule(t)
}

// schedule notes when t may be forgotten, or that the time changed.
// Callers hold mu.
func (ts *tokens) schedule(t *token) {
	if t.slot >= 0 && t.slot < len(ts.due) && ts.due[t.slot] == t {
		heap.Fix(&ts.due, t.slot)
		return
	}
	heap.Push(&ts.due, t)
}

// forget drops the tokens that answer as unknown anyway at now. Each token
// has one place in the heap, so issuing is O(log n) amortised, whatever the
// number of tokens. Callers hold mu.
func (ts *tokens) forget(now time.Time) {
	for len(ts.due) > 0 && !now.Before(ts.due[0].forgetTime()) {
		ts.forgotten(heap.Pop(&ts.due).(*token))
	}
	ts.due.shrink()
}

// forgetHeap is a min-heap of tokens by the time they may be forgotten.
type forgetHeap []*token

func (h forgetHeap) Len() int           { return len(h) }
func (h forgetHeap) Less(i, j int) bool { return h[i].forgetTime().Before(h[j].forgetTime()) }
func (h forgetHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].slot, h[j].slot = i, j
}
func (h *forgetHeap) Push(x any) {
	t := x.(*token)
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

// newTokenValue returns a token shaped like the real server's: a number,
// '_', then URL-safe characters, 150 in all.
func newTokenValue() string {
	var b [110]byte
	_, _ = rand.Read(b[:])
	return "97_" + base64.RawURLEncoding.EncodeToString(b[:])
}
