package proxy_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/drift"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/proxy"
)

func TestEachDriftIsReportedInTheHeaderTheJournalTheLogAndTheSummary(t *testing.T) {
	s := newSetup(t, drift.Handler)
	tok := token(t, s.srv.URL, demoAppID, demoSecret)
	wantKinds := map[string]int{}
	for _, tc := range drift.Cases() {
		t.Run(tc.Name, func(t *testing.T) {
			header := []string{drift.Header + ": " + tc.Name}
			if tc.Scenario != "" {
				header = append(header, mock.ScenarioHeader+": "+tc.Scenario)
			}
			rep := do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+tok, "{}", header...)
			if got := rep.Header.Values(proxy.ViolationsHeader); !slices.Equal(got, []string{tc.Want}) {
				t.Errorf("header %s: got %q; want %q", proxy.ViolationsHeader, got, tc.Want)
			}
			entries := journal(t, s.srv.URL, "?violations=1")
			if len(entries) == 0 || !slices.Equal(entries[len(entries)-1].Violations, []string{tc.Want}) {
				t.Fatalf("journal: got %+v; want its last entry to list %q", entries, tc.Want)
			}
			if !strings.Contains(s.log.String(), strings.ReplaceAll(tc.Want, `"`, `\"`)) {
				t.Errorf("log %q lacks %q", s.log.String(), tc.Want)
			}
		})
		wantKinds[tc.Kind]++
	}
	sum := s.proxy.Summary()
	if sum.Violating != len(drift.Cases()) || !maps.Equal(sum.Violations["getEnvInfo"], wantKinds) {
		t.Errorf("summary: got %d violating, %v; want %d, %v", sum.Violating, sum.Violations, len(drift.Cases()), wantKinds)
	}
	if n := strings.Count(s.log.String(), "the answer breaks the spec"); n != len(drift.Cases()) {
		t.Errorf("the log has %d violation lines; want one per drift, %d", n, len(drift.Cases()))
	}
}

func TestAnAnswerWithoutViolationsHasNoViolationsHeader(t *testing.T) {
	s := newSetup(t, drift.Handler)
	tok := token(t, s.srv.URL, demoAppID, demoSecret)
	rep := do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+tok, "{}")
	if _, ok := rep.Header[proxy.ViolationsHeader]; ok || rep.Errcode != 0 {
		t.Errorf("got errcode %d, header %q; want 0 and no %s", rep.Errcode, rep.Header.Values(proxy.ViolationsHeader), proxy.ViolationsHeader)
	}
}
