package mock_test

import (
	"fmt"
	"net/http/httptest"
	"runtime"
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

func TestJournalOfMaximalRequestsStaysSmall(t *testing.T) {
	const entries = 100
	f := newFake(t, mock.WithJournalSize(entries))
	body := `{"env":"` + strings.Repeat("x", mock.MaxBodySize-10) + `"}`
	query := "access_token=" + strings.Repeat("q", 1<<20)
	header := strings.Repeat("h", 64<<10)
	before := mock.HeapInUse()
	for range entries {
		r := httptest.NewRequestWithContext(t.Context(), "POST", "/tcb/getenvinfo?"+query, strings.NewReader(body))
		r.Header.Set("X-Big", header)
		f.ServeHTTP(httptest.NewRecorder(), r)
	}
	grown := int64(mock.HeapInUse()) - int64(before)
	runtime.KeepAlive(body + query + header)
	// Four parts of at most 4 KiB an entry, and their bookkeeping.
	const limit = entries * 20 << 10
	t.Logf("%d maximal entries take %d bytes of heap (%.1f KiB each)", entries, grown, float64(grown)/entries/1024)
	if grown > limit {
		t.Errorf("the journal of %d maximal requests takes %d bytes; want at most %d", entries, grown, limit)
	}
	e := f.Journal(mock.Filter{})[0]
	if len(e.Body) > 4096 || len(e.Query["access_token"]) > 4096 || len(e.Header["X-Big"]) > 4096 {
		t.Errorf("an entry kept %d bytes of body, %d of query, %d of header; want at most 4096 each", len(e.Body), len(e.Query["access_token"]), len(e.Header["X-Big"]))
	}
	if strings.Join(e.Truncated, ",") != "query,header,body" {
		t.Errorf("truncated %q; want query, header and body named", e.Truncated)
	}
}

func TestNewRefusesAJournalOverTheBound(t *testing.T) {
	for _, n := range []int{-1, mock.MaxJournalSize + 1} {
		if _, err := mock.New(mock.WithJournalSize(n)); err == nil || !strings.Contains(err.Error(), "want 0 to") {
			t.Errorf("WithJournalSize(%d): got %v; want a refusal", n, err)
		}
	}
}

func TestALargeJournalIsAllocatedAsItFills(t *testing.T) {
	before := mock.HeapInUse()
	s, err := mock.New(mock.WithJournalSize(mock.MaxJournalSize))
	if err != nil {
		t.Fatal(err)
	}
	if grown := int64(mock.HeapInUse()) - int64(before); grown > 8<<20 {
		t.Errorf("a server with a journal of %d entries took %d bytes before any request", mock.MaxJournalSize, grown)
	}
	runtime.KeepAlive(s)
}
