package mock

import (
	"runtime"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
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
func appTokens(tb testing.TB) *apispec.AnswerRule {
	tb.Helper()
	spec, err := embeddedSpec()
	if err != nil {
		tb.Fatal(err)
	}
	return spec.Operation("getAccessToken").Answer
}

func TestAFloodOfTokenCallsKeepsTwoTokensPerOwner(t *testing.T) {
	ts := newTokens()
	rule := appTokens(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	owners := []*token{
		{kind: apispec.KindApp, appid: "wx0123456789abcdef"},
		{kind: apispec.KindApp, appid: "wx0123456789abcde0"},
		{kind: apispec.KindComponent, appid: "wx0123456789abcdef"},
		{kind: apispec.KindAuthorizer, appid: "wx0123456789abcdef", component: "wx0123456789abcde1"},
	}
	const calls = 100_000 // all within the overlap, when nothing is retired by time yet
	issued := make([][]*token, len(owners))
	for i := range calls {
		o := owners[i%len(owners)]
		tok := ts.issue(&token{kind: o.kind, appid: o.appid, component: o.component}, now, rule)
		issued[i%len(owners)] = append(issued[i%len(owners)][max(0, len(issued[i%len(owners)])-2):], tok)
	}
	want := TokensPerOwner * len(owners)
	if got := ts.count(); got != want {
		t.Errorf("holds %d tokens after %d calls of %d owners; want %d", got, calls, len(owners), want)
	}
	if len(ts.due) != want || len(ts.latest) != len(owners) || len(ts.replaced) != len(owners) {
		t.Errorf("%d tokens scheduled, %d current, %d replaced; want %d, %d, %d", len(ts.due), len(ts.latest), len(ts.replaced), want, len(owners), len(owners))
	}
	for i, last := range issued {
		if ts.lookup(last[2].value) != last[2] || ts.lookup(last[1].value) != last[1] || last[1].failsAt(now) != "" {
			t.Errorf("owner %d: the current token or the one it replaced does not work", i)
		}
		if ts.lookup(last[0].value) != nil {
			t.Errorf("owner %d: the token two calls back is still held", i)
		}
	}
}

func TestTheReplacedTokenIsForgottenWhenItsOverlapEnds(t *testing.T) {
	ts := newTokens()
	rule := appTokens(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	first := ts.issue(&token{kind: apispec.KindApp, appid: "wx0123456789abcdef"}, now, rule)
	ts.issue(&token{kind: apispec.KindApp, appid: "wx0123456789abcdef"}, now, rule)
	now = now.Add(rule.OverlapTime())
	last := ts.issue(&token{kind: apispec.KindApp, appid: "wx0123456789abcdef"}, now, rule)
	if got := ts.count(); got != 2 || ts.lookup(first.value) != nil || ts.lookup(last.value) != last {
		t.Errorf("holds %d tokens, the first one %v; want 2, the first forgotten", got, ts.lookup(first.value) != nil)
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
		ts.issue(&token{kind: apispec.KindApp, appid: "wx0123456789abcdef"}, now, rule)
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
