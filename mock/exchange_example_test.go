package mock_test

import (
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/tcbmock/tcbmock/mock"
)

// A journal of exchanges answered elsewhere, such as tcbmock proxy's: the
// same entries, filters and redaction as the fake's own.
func ExampleServer_RecordExchange() {
	journal, _ := mock.New(mock.WithJournalOnly(), mock.WithRedaction())
	r := httptest.NewRequest("POST", "/tcb/getenvinfo?access_token=97_abcdefabcdefabcdefabcdefabcdefabcdef", strings.NewReader("{}"))
	code := 0
	e := journal.RecordExchange(mock.Exchange{
		Request: r, Body: []byte("{}"), Status: 200, Errcode: &code,
		Answer:     []byte(`{"errcode":0,"errmsg":"ok","info_list":[{"env":"test2-4a89da"}]}`),
		Violations: []string{"/info_list/0/alias: expected present, received absent"},
	})
	fmt.Println(e.Operation, e.Status, *e.Errcode, strings.HasPrefix(e.Query["access_token"], "redacted-"))
	fmt.Println(len(journal.Journal(mock.Filter{Violations: true})), e.Violations[0])
	// Output:
	// getEnvInfo 200 0 true
	// 1 /info_list/0/alias: expected present, received absent
}
