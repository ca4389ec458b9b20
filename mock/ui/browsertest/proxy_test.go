package browsertest_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
)

// TestTheProxysPageShowsItsJournalAndViolations opens the page of a
// journal-only server, as tcbmock proxy serves it: the journal and the
// configuration, no world, scenarios or clock, and the violations of an
// answer the upstream sent.
func TestTheProxysPageShowsItsJournalAndViolations(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	p := openPage(t, nil, "#world", bridge.JournalOnly().(mock.Option))
	p.waitLive()
	code := 0
	entry := bridge.RecordExchange(p.fake, bridge.Exchange{
		Request: httptest.NewRequest("POST", "/tcb/getenvinfo?access_token=x", nil), Body: []byte("{}"),
		Status: 200, Answer: []byte(`{"errcode":0,"errmsg":"ok","info_list":[{"env":"e"}]}`), Errcode: &code, RID: "6b0b0b8a-9aa689bc-bbcbd817",
		Violations: []string{"/info_list/0/alias: expected present, received absent"},
	}).(mock.Entry)
	p.row(entry.RID)
	for _, hidden := range []string{`[data-tab="world"]`, `[data-tab="scenarios"]`, `#clock`} {
		if !run(p, chromedp.Evaluate[bool](`document.querySelector(`+jsString(hidden)+`).hidden`)) {
			t.Errorf("%s shows on a journal-only server's page", hidden)
		}
	}
	if run(p, chromedp.Evaluate[bool](`document.querySelector('#journal-only').hidden`)) || location(p) != "#journal" {
		t.Errorf("the page does not say it journals a proxy's exchanges, or shows %s", location(p))
	}
	p.do(chromedp.Click(chromedp.CSS(`#journal tr[data-rid="` + entry.RID + `"]`)))
	if got := p.text(`#detail .violations`); !strings.Contains(got, "/info_list/0/alias: expected present, received absent") {
		t.Errorf("the exchange's violations: got %q", got)
	}
}

func location(p *page) string { return run(p, chromedp.Evaluate[string](`location.hash`)) }
