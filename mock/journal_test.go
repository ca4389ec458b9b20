package mock_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

func TestJournalRecordsTheStatusAndOnlyAnErrcodeTheBodyCarried(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	f.raw("POST", "/tcb/getenvinfo?access_token="+tok, "{}", mock.ScenarioHeader+": bad-gateway")
	f.raw("POST", "/no/such/api", "{}")
	f.raw("POST", "/tcb/getenvinfo", "{}", mock.ScenarioHeader+": no-such-scenario")
	f.envs(tok, "{}", mock.ScenarioHeader+": system-busy")
	for _, tc := range []struct {
		path, scenario string
		status         int
		errcode        *int
	}{
		{"/cgi-bin/token", "", 200, nil}, // a token answer carries no errcode
		{"/tcb/getenvinfo", "bad-gateway", 502, nil},
		{"/no/such/api", "", 404, ptr(-1)},
		{"/tcb/getenvinfo", "", 400, nil}, // an unknown scenario: an admin-style error, no errcode
		{"/tcb/getenvinfo", "system-busy", 200, ptr(-1)},
	} {
		got := f.Journal(mock.Filter{Path: tc.path, Status: tc.status})
		if len(got) != 1 || got[0].Scenario != tc.scenario || fmt.Sprint(deref(got[0].Errcode)) != fmt.Sprint(deref(tc.errcode)) {
			t.Errorf("%s HTTP %d: journal %+v; want one entry, scenario %q, errcode %v", tc.path, tc.status, got, tc.scenario, deref(tc.errcode))
		}
	}
	if got := len(f.Journal(mock.Filter{Errcode: mock.Code(-1)})); got != 2 {
		t.Errorf("ByErrcode(-1) selects %d entries; want the two bodies that carried -1", got)
	}
}

func ptr(n int) *int { return &n }

func deref(p *int) any {
	if p == nil {
		return "none"
	}
	return *p
}

// maximalRequest sends a request whose query, header and body are each
// larger than the journal keeps.
func maximalRequest(t *testing.T, f *fake) {
	t.Helper()
	body := `{"env":"` + strings.Repeat("x", 8<<10) + `"}`
	target := "/tcb/getenvinfo?access_token=" + strings.Repeat("q", 8<<10)
	r := httptest.NewRequestWithContext(t.Context(), "POST", target, strings.NewReader(body))
	r.Header.Set("X-Big", strings.Repeat("h", 8<<10))
	f.ServeHTTP(httptest.NewRecorder(), r)
}

func TestJournalOfMaximalRequestsStaysWithinItsBytes(t *testing.T) {
	f := newFake(t, mock.WithJournalBytes(mock.MinJournalBytes))
	const sent = 160 // each counts over 8 KiB: 160 come to more than 1 MiB
	for range sent {
		maximalRequest(t, f)
	}
	n, bytes := f.JournalUsage()
	if bytes > mock.MinJournalBytes || n >= sent || n == 0 {
		t.Errorf("the journal holds %d of %d maximal entries in %d bytes; want some, within %d bytes", n, sent, bytes, mock.MinJournalBytes)
	}
	e := f.Journal(mock.Filter{})[0]
	if len(e.Body) > 4096 || len(e.Query["access_token"]) > 4096 || len(e.Header["X-Big"]) > 4096 {
		t.Errorf("an entry kept %d bytes of body, %d of query, %d of header; want at most 4096 each", len(e.Body), len(e.Query["access_token"]), len(e.Header["X-Big"]))
	}
	if strings.Join(e.Truncated, ",") != "query,header,body" {
		t.Errorf("truncated %q; want query, header and body named", e.Truncated)
	}
}

func TestJournalCountsWhatAnEntryHolds(t *testing.T) {
	f := newFake(t)
	maximalRequest(t, f)
	_, bytes := f.JournalUsage()
	e := f.Journal(mock.Filter{})[0]
	held := len(e.Path) + len(e.Body) + len(e.Answer) + len(e.RID)
	for k, v := range e.Header {
		held += len(k) + len(v)
	}
	for k, v := range e.Query {
		held += len(k) + len(v)
	}
	// Besides its strings, an entry counts its struct and bookkeeping: a
	// few hundred bytes.
	if bytes < held || bytes > held+4096 {
		t.Errorf("the entry counts %d bytes; its strings hold %d: want that and at most 4 KiB of bookkeeping", bytes, held)
	}
}

func TestNewRefusesAJournalUnderItsLeastBytes(t *testing.T) {
	if _, err := mock.New(mock.WithJournalBytes(mock.MinJournalBytes - 1)); err == nil || !strings.Contains(err.Error(), "want at least") {
		t.Errorf("WithJournalBytes(%d): got %v; want a refusal", mock.MinJournalBytes-1, err)
	}
}

func TestNewRefusesAJournalOverTheBound(t *testing.T) {
	for _, n := range []int{-1, mock.MaxJournalSize + 1} {
		if _, err := mock.New(mock.WithJournalSize(n)); err == nil || !strings.Contains(err.Error(), "want 0 to") {
			t.Errorf("WithJournalSize(%d): got %v; want a refusal", n, err)
		}
	}
}
