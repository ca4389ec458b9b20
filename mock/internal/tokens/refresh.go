package tokens

import (
	"crypto/rand"
	"encoding/base64"
	"time"
)

// refreshState is an authorization's refresh token as time goes: the
// world's, until the account authorizes the platform again.
type refreshState struct {
	base     string // the world's refresh token this state started from
	current  string // the refresh token now
	previous string // the one before, working until until
	until    time.Time
}

// refresh returns the state of the authorization key, starting from the
// world's refresh token base. A reload that changed base starts anew.
// Callers hold mu.
func (ts *Store) refresh(key, base string) *refreshState {
	r := ts.refreshes[key]
	if r == nil || r.base != base {
		r = &refreshState{base: base, current: base}
		ts.refreshes[key] = r
	}
	return r
}

// CurrentRefresh returns the authorization's refresh token now.
func (ts *Store) CurrentRefresh(key, base string) string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.refresh(key, base).current
}

// CheckRefresh reports whether value is the authorization's refresh token
// at now: the current one, or the previous one within the overlap.
func (ts *Store) CheckRefresh(key, base, value string, now time.Time) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	r := ts.refresh(key, base)
	return value == r.current || (value == r.previous && now.Before(r.until))
}

// RotateRefresh gives the authorization a new refresh token, as when the
// account authorizes the platform again; the old one works overlap more.
func (ts *Store) RotateRefresh(key, base string, now time.Time, overlap time.Duration) string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	r := ts.refresh(key, base)
	r.previous, r.until = r.current, now.Add(overlap)
	r.current = NewRefreshToken()
	return r.current
}

// NewRefreshToken returns a refresh token shaped like the real server's.
func NewRefreshToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return "refreshtoken@@@" + base64.RawURLEncoding.EncodeToString(b[:])
}
