package mocktest

import (
	"fmt"
	"strings"

	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/internal/suggest"
	"github.com/tcbmock/tcbmock/mock"
)

// Count returns how many requests the filter selects.
func (f *Fake) Count(filter mock.Filter) int { return len(f.Journal(filter)) }

// Expect fails the test unless exactly n requests match the filter; the
// failure lists every request the fake answered. It reports whether n
// matched.
//
//	fake.Expect(t, 2, mock.Filter{Operation: "getEnvInfo", Env: "prod-7g3h5j"})
//	fake.Expect(t, 0, mock.Filter{Cause: tcbmock.CauseExpiredToken})
func (f *Fake) Expect(tb TB, n int, filter mock.Filter) bool {
	tb.Helper()
	if err := f.known(filter); err != nil {
		tb.Errorf("mocktest: %v", err)
		return false
	}
	if got := f.Count(filter); got != n {
		tb.Errorf("mocktest: %d requests match; want %d. The fake answered:\n%s", got, n, f.answered())
		return false
	}
	return true
}

// known says what a filter names that the fake does not have, which would
// match nothing in silence: an operation, a scenario.
func (f *Fake) known(filter mock.Filter) error {
	cfg := f.Config()
	if op := filter.Operation; op != "" && bridge.Spec(cfg).Operation(op) == nil {
		var ids []string
		for _, o := range bridge.Spec(cfg).Operations() {
			ids = append(ids, o.ID)
		}
		return fmt.Errorf("the filter's operation %q is not in the spec%s; its operations: %s", op, suggest.DidYouMean(op, ids), strings.Join(ids, ", "))
	}
	if sc := filter.Scenario; sc != "" && cfg.Scenario(sc) == nil {
		var names []string
		for _, s := range cfg.Scenarios() {
			names = append(names, s.Name)
		}
		return fmt.Errorf("the filter's scenario %q is not loaded%s", sc, suggest.DidYouMean(sc, names))
	}
	return nil
}

// answered lists the requests the fake answered, one a line.
func (f *Fake) answered() string {
	var b strings.Builder
	for _, e := range f.Journal(mock.Filter{}) {
		fmt.Fprintf(&b, "  %s %s %s", e.Time.Format("15:04:05.000"), e.Method, e.Path)
		if e.Errcode != nil {
			fmt.Fprintf(&b, " errcode %d", *e.Errcode)
		} else {
			fmt.Fprintf(&b, " HTTP %d", e.Status)
		}
		for _, kv := range [][2]string{{"appid", e.AppID}, {"env", e.Env}, {"scenario", e.Scenario}, {"cause", e.Cause}, {"fault", e.Fault}, {"change", e.Change}} {
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
