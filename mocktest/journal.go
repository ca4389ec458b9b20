package mocktest

import (
	"fmt"
	"strings"

	"github.com/tcbmock/tcbmock/mock"
)

// Journal is what a fake answered, to check what the client did:
//
//	fake.Journal.Expect(t, 2, mock.ByOperation("getEnvInfo"), mock.ByEnv("prod-1"))
//	fake.Journal.Expect(t, 0, mock.ByCause(tcbmock.CauseExpiredToken))
type Journal struct {
	s *mock.Server
}

// Entries returns the requests every filter selects, oldest first.
func (j *Journal) Entries(filters ...mock.Filter) []mock.Entry { return j.s.Journal(filters...) }

// Count returns how many requests every filter selects.
func (j *Journal) Count(filters ...mock.Filter) int { return len(j.s.Journal(filters...)) }

// Expect fails the test unless exactly n requests match every filter; the
// failure lists every request the fake answered. It reports whether n matched.
func (j *Journal) Expect(tb TB, n int, filters ...mock.Filter) bool {
	tb.Helper()
	if got := j.Count(filters...); got != n {
		tb.Errorf("mocktest: %d requests match; want %d. The fake answered:\n%s", got, n, j)
		return false
	}
	return true
}

// String lists the requests the fake answered, one a line.
func (j *Journal) String() string {
	var b strings.Builder
	for _, e := range j.s.Journal() {
		fmt.Fprintf(&b, "  %s %s %s", e.Time.Format("15:04:05.000"), e.Method, e.Path)
		if e.Errcode != nil {
			fmt.Fprintf(&b, " errcode %d", *e.Errcode)
		} else {
			fmt.Fprintf(&b, " HTTP %d", e.Status)
		}
		for _, kv := range [][2]string{{"appid", e.AppID}, {"env", e.Env}, {"scenario", e.Scenario}, {"cause", e.Cause}, {"fault", e.Fault}} {
			if kv[1] != "" {
				fmt.Fprintf(&b, " %s=%s", kv[0], kv[1])
			}
		}
		b.WriteString("\n")
	}
	if b.Len() == 0 {
		return "  (nothing)\n"
	}
	return b.String()
}
