package mock_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
)

// A journal of exchanges answered elsewhere, such as tcbmock proxy's, has
// the same entries, filters and redaction as the fake's own.
func TestAJournalOnlyServerKeepsExchangesAsTheFakeKeepsItsOwn(t *testing.T) {
	journal, err := mock.New(mock.WithJournalOnly(), mock.WithRedaction())
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/tcb/getenvinfo?access_token=97_abcdefabcdefabcdefabcdefabcdefabcdef", strings.NewReader("{}"))
	code := 0
	e := journal.RecordExchange(bridge.Exchange{
		Request: r, Body: []byte("{}"), Status: 200, Errcode: &code,
		Answer:     []byte(`{"errcode":0,"errmsg":"ok","info_list":[{"env":"test2-4a89da"}]}`),
		Violations: []string{"/info_list/0/alias: expected present, received absent"},
	})
	if e.Operation != "getEnvInfo" || e.Status != 200 || e.Errcode == nil || *e.Errcode != 0 || !strings.HasPrefix(e.Query["access_token"], "redacted-") {
		t.Errorf("got %s %d %v %q; want getEnvInfo 200 0 and a redacted token", e.Operation, e.Status, e.Errcode, e.Query["access_token"])
	}
	if got := journal.Journal(mock.Filter{Violations: true}); len(got) != 1 || got[0].Violations[0] != "/info_list/0/alias: expected present, received absent" {
		t.Errorf("got %+v; want the one entry with its violation", got)
	}
}
