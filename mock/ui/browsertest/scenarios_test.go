package browsertest_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

func TestScenariosSayWhatTheyDoAndMintABoundToken(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	p := openPage(t, nil, "#scenarios")
	busy := p.fake.Config().Scenario("system-busy")
	row := `#scenarios tr[data-scenario="system-busy"]`
	p.do(chromedp.WaitVisible(chromedp.CSS(row)))
	for _, tc := range []struct{ column, want string }{
		{"description", busy.Description},
		{"covers", strings.Join(busy.Operations, ", ")},
		{"answers", "errcode -1"},
	} {
		if got := p.text(row + ` td.c-` + tc.column); got != tc.want {
			t.Errorf("%s: got %q; want %q", tc.column, got, tc.want)
		}
	}
	if got := p.text(`#scenarios tr[data-scenario="retry-then-ok"] td.c-answers`); got != "errcode -1 → errcode -1 → the real answer (the last repeats)" {
		t.Errorf("a sequence's answers: got %q", got)
	}
	if got := run(p, chromedp.AttributeValue(chromedp.CSS(row+` button.copy`), "title")); got.Value != `Copy "X-Tcbmock-Scenario: system-busy"` {
		t.Errorf("the copy button copies %q; want the header", got.Value)
	}

	p.input(`#scenario-search`, "retry")
	poll[bool](p, "the search", `[...document.querySelectorAll('#scenarios tbody tr')].every((tr) => tr.dataset.scenario.includes('retry') || tr.textContent.toLowerCase().includes('retry'))`)
	p.input(`#scenario-search`, "")

	p.do(chromedp.Click(chromedp.CSS(row+` button[title^="Mint"]`)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#mint-app').value = `+jsString(mocktest.SecondAppID)),
		chromedp.Click(chromedp.CSS(`#mint-form button[type="submit"]`)))
	token := poll[string](p, "the minted token", `document.querySelector('#mint-result code.token')?.textContent`)
	if example := p.text(`#mint-result code.example`); !strings.Contains(example, "/tcb/getenvinfo?access_token="+token) {
		t.Errorf("the example %q does not call getenvinfo with the token", example)
	}
	a := p.envs(token, "{}")
	got := p.fake.Journal(mock.Filter{RID: rid(t, a)})
	if a.Errcode != -1 || len(got) != 1 || got[0].Scenario != "system-busy" || got[0].AppID != mocktest.SecondAppID {
		t.Errorf("a call with the minted token: errcode %d, journal %+v; want -1 from system-busy for the second app", a.Errcode, got)
	}

	p.do(chromedp.Click(chromedp.CSS(row + ` button[title^="Show"]`)))
	poll[bool](p, "the journal of the scenario", `!document.querySelector('#tab-journal').hidden && document.querySelector('#filters input[name="scenario"]').value === 'system-busy'`)
	p.row(rid(t, a))
}
