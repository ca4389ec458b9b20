package mock

import (
	"runtime"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock"
)

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// appTokens is the rule of the embedded spec's /cgi-bin/token.
func appTokens(tb testing.TB) *tcbmock.AnswerRule {
	tb.Helper()
	spec, err := embeddedSpec()
	if err != nil {
		tb.Fatal(err)
	}
	return spec.Operation("getAccessToken").Answer
}

func TestRetiredTokensAreFreed(t *testing.T) {
	ts := newTokens()
	rule := appTokens(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	before := heapInUse()
	const n = 20000
	for range n {
		ts.issue(&token{kind: tcbmock.KindApp, appid: "wx0123456789abcdef"}, now, rule)
	}
	if got := ts.count(); got != n {
		t.Fatalf("holds %d tokens after %d issues within the overlap; want %d", got, n, n)
	}
	now = now.Add(rule.OverlapTime())
	last := ts.issue(&token{kind: tcbmock.KindApp, appid: "wx0123456789abcdef"}, now, rule)
	// The new token, and the one before, in its five minutes of overlap.
	if got := ts.count(); got != 2 {
		t.Errorf("holds %d tokens once the old ones retired; want 2", got)
	}
	if len(ts.due) != 2 {
		t.Errorf("%d tokens scheduled to be forgotten; want 2", len(ts.due))
	}
	if grown := int64(heapInUse()) - int64(before); grown > 1<<20 {
		t.Errorf("the heap grew %d bytes after %d retired tokens were forgotten; want them freed", grown, n)
	}
	if ts.lookup(last.value) != last {
		t.Error("the current token was forgotten")
	}
}

func TestExpiredTokensAreForgottenAfterADay(t *testing.T) {
	ts := newTokens()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	minted := ts.mint("wx0123456789abcdef", "", now, time.Hour)
	now = now.Add(time.Hour + expiredMemory)
	ts.mint("wx0123456789abcdef", "", now, time.Hour)
	if ts.lookup(minted.value) == nil {
		t.Fatal("an expired token was forgotten before a day had passed")
	}
	now = now.Add(time.Second)
	ts.mint("wx0123456789abcdef", "", now, time.Hour)
	if ts.lookup(minted.value) != nil {
		t.Error("an expired token was remembered more than a day")
	}
}

// BenchmarkIssueToken issues tokens of one app back to back, as a
// /cgi-bin/token flood does: the cost of one must not grow with the number
// issued before it.
func BenchmarkIssueToken(b *testing.B) {
	ts := newTokens()
	rule := appTokens(b)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		ts.issue(&token{kind: tcbmock.KindApp, appid: "wx0123456789abcdef"}, now, rule)
	}
}

// count returns how many tokens the store holds.
func (ts *tokens) count() int {
	n := 0
	for i := range ts.shards {
		sh := &ts.shards[i]
		sh.mu.RLock()
		n += len(sh.byValue)
		sh.mu.RUnlock()
	}
	return n
}
