package mock

import (
	"sync"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// quotas counts the calls of the apps whose quota is on, per app and per
// operation that the spec gives limits (x-quota; two operations whose
// x-quota says with share one count), in the minute, the day and the
// month of the fake's clock ([apispec.QuotaWindows]).
//
// Memory: one count per app with a quota and operation with an x-quota,
// so at most the world's apps times the spec's operations; a count whose
// month is over is dropped at the next call in a new day, and a reset
// drops every count.
type quotas struct {
	mu     sync.Mutex
	counts map[quotaKey]*quotaCount
	swept  time.Time // the day of the last sweep
}

type quotaKey struct{ appid, op string }

// quotaCount is the calls of one app to one operation in the current
// windows: a window that is over counts from 0 again.
type quotaCount struct {
	minute, day, month       time.Time
	inMinute, inDay, inMonth int
}

func newQuotas() *quotas { return &quotas{counts: map[quotaKey]*quotaCount{}} }

func (q *quotas) reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.counts, q.swept = map[quotaKey]*quotaCount{}, time.Time{}
}

// len returns how many counts are kept.
func (q *quotas) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.counts)
}

// take counts the call for the app, unless that would pass one of the
// operation's limits: then it returns the cause of the first limit that
// would be passed (the day's, the minute's, the month's) and counts
// nothing. Only the limits whose cause the operation's table lists count;
// own are the app's limits, each 0 for the spec's.
func (q *quotas) take(c *call, appid string, own *Quota) string {
	r := c.op.Quota
	if r == nil {
		return ""
	}
	limit := func(own, spec int, cause string) int {
		if !c.lists(cause) {
			return 0
		}
		if own > 0 {
			return own
		}
		return spec
	}
	daily, minute, monthly := limit(own.Daily, r.Daily, tcbmock.CauseDailyQuota), limit(own.Minute, r.Minute, tcbmock.CauseMinuteQuota), limit(own.Monthly, r.Monthly, tcbmock.CauseMonthlyQuota)
	q.mu.Lock()
	defer q.mu.Unlock()
	n := q.count(quotaKey{appid, r.Counter(c.op.ID)}, c.now)
	switch {
	case daily > 0 && n.inDay >= daily:
		return tcbmock.CauseDailyQuota
	case minute > 0 && n.inMinute >= minute:
		return tcbmock.CauseMinuteQuota
	case monthly > 0 && n.inMonth >= monthly:
		return tcbmock.CauseMonthlyQuota
	}
	n.inMinute++
	n.inDay++
	n.inMonth++
	return ""
}

// count returns the count of key in the windows of now. Callers hold mu.
func (q *quotas) count(key quotaKey, now time.Time) *quotaCount {
	minute, day, month := apispec.QuotaWindows(now)
	if !day.Equal(q.swept) {
		q.sweep(month)
		q.swept = day
	}
	n := q.counts[key]
	if n == nil {
		n = &quotaCount{}
		q.counts[key] = n
	}
	if !n.minute.Equal(minute) {
		n.minute, n.inMinute = minute, 0
	}
	if !n.day.Equal(day) {
		n.day, n.inDay = day, 0
	}
	if !n.month.Equal(month) {
		n.month, n.inMonth = month, 0
	}
	return n
}

// sweep drops the counts of months before month. Callers hold mu.
func (q *quotas) sweep(month time.Time) {
	for k, n := range q.counts {
		if n.month.Before(month) {
			delete(q.counts, k)
		}
	}
}

// clear sets the day's and the minute's counts of the app to 0: of every
// operation, or of op alone when it is not "". The month's counts stay.
func (q *quotas) clear(appid, op string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for k, n := range q.counts {
		if k.appid == appid && (op == "" || k.op == op) {
			n.inDay, n.inMinute = 0, 0
		}
	}
}
