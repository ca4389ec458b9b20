package tokens

import (
	"context"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

// appTokens is the rule of the embedded spec's /cgi-bin/token.
func appTokens(tb testing.TB) *apispec.AnswerRule {
	tb.Helper()
	spec, err := apispec.Embedded(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return spec.Operation("getAccessToken").Answer
}

func TestAFloodOfTokenCallsKeepsTwoTokensPerOwner(t *testing.T) {
	ts := New()
	rule := appTokens(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	owners := []*Token{
		{Kind: apispec.KindApp, AppID: "wx0123456789abcdef"},
		{Kind: apispec.KindApp, AppID: "wx0123456789abcde0"},
		{Kind: apispec.KindComponent, AppID: "wx0123456789abcdef"},
		{Kind: apispec.KindAuthorizer, AppID: "wx0123456789abcdef", Component: "wx0123456789abcde1"},
	}
	const calls = 100_000 // all within the overlap, when nothing is retired by time yet
	issued := make([][]*Token, len(owners))
	for i := range calls {
		o := owners[i%len(owners)]
		tok := ts.Issue(&Token{Kind: o.Kind, AppID: o.AppID, Component: o.Component}, now, rule)
		issued[i%len(owners)] = append(issued[i%len(owners)][max(0, len(issued[i%len(owners)])-2):], tok)
	}
	want := PerOwner * len(owners)
	if got := ts.count(); got != want {
		t.Errorf("holds %d tokens after %d calls of %d owners; want %d", got, calls, len(owners), want)
	}
	if len(ts.due) != want || len(ts.latest) != len(owners) || len(ts.replaced) != len(owners) {
		t.Errorf("%d tokens scheduled, %d current, %d replaced; want %d, %d, %d", len(ts.due), len(ts.latest), len(ts.replaced), want, len(owners), len(owners))
	}
	for i, last := range issued {
		if ts.Lookup(last[2].Value) != last[2] || ts.Lookup(last[1].Value) != last[1] || last[1].FailsAt(now) != "" {
			t.Errorf("owner %d: the current token or the one it replaced does not work", i)
		}
		if ts.Lookup(last[0].Value) != nil {
			t.Errorf("owner %d: the token two calls back is still held", i)
		}
	}
}

func TestTheReplacedTokenIsForgottenWhenItsOverlapEnds(t *testing.T) {
	ts := New()
	rule := appTokens(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	first := ts.Issue(&Token{Kind: apispec.KindApp, AppID: "wx0123456789abcdef"}, now, rule)
	ts.Issue(&Token{Kind: apispec.KindApp, AppID: "wx0123456789abcdef"}, now, rule)
	now = now.Add(rule.OverlapTime())
	last := ts.Issue(&Token{Kind: apispec.KindApp, AppID: "wx0123456789abcdef"}, now, rule)
	if got := ts.count(); got != 2 || ts.Lookup(first.Value) != nil || ts.Lookup(last.Value) != last {
		t.Errorf("holds %d tokens, the first one %v; want 2, the first forgotten", got, ts.Lookup(first.Value) != nil)
	}
}

func TestExpiredTokensAreForgottenAfterADay(t *testing.T) {
	ts := New()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	minted := ts.Mint("wx0123456789abcdef", "", now, time.Hour)
	now = now.Add(time.Hour + expiredMemory)
	ts.Mint("wx0123456789abcdef", "", now, time.Hour)
	if ts.Lookup(minted.Value) == nil {
		t.Fatal("an expired token was forgotten before a day had passed")
	}
	now = now.Add(time.Second)
	ts.Mint("wx0123456789abcdef", "", now, time.Hour)
	if ts.Lookup(minted.Value) != nil {
		t.Error("an expired token was remembered more than a day")
	}
}

// BenchmarkIssueToken issues tokens of one app back to back, as a
// /cgi-bin/token flood does: the cost of one must not grow with the number
// issued before it.
func BenchmarkIssueToken(b *testing.B) {
	ts := New()
	rule := appTokens(b)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		ts.Issue(&Token{Kind: apispec.KindApp, AppID: "wx0123456789abcdef"}, now, rule)
	}
}

// count returns how many tokens the store holds.
func (ts *Store) count() int {
	n := 0
	for i := range ts.shards {
		sh := &ts.shards[i]
		sh.mu.RLock()
		n += len(sh.byValue)
		sh.mu.RUnlock()
	}
	return n
}
