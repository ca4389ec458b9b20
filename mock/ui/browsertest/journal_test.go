package browsertest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

func TestJournalShowsEachNewExchangeByRID(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	p := openPage(t, nil, "")
	p.waitLive()
	tok := p.token(mocktest.DemoAppID, mocktest.DemoSecret)
	tokenRID := p.lastRID(mock.Filter{Path: "/cgi-bin/token"})
	p.envs(tok, "{}")
	okRID := p.lastRID(mock.Filter{Errcode: mock.Code(0)})
	unknown := p.envs("97_"+strings.Repeat("A", 140), "{}")
	for _, tc := range []struct {
		name string
		rid  string
		want string // errcode, cause, scenario, operation, appid, HTTP status
	}{
		{"a token", tokenRID, "|||getAccessToken|" + mocktest.DemoAppID + "|200"},
		{"the environments", okRID, "0|||getEnvInfo|" + mocktest.DemoAppID + "|200"},
		{"a scenario forced by the header", rid(t, p.envs(tok, "{}", mock.ScenarioHeader+": system-busy")), "-1||system-busy|getEnvInfo|" + mocktest.DemoAppID + "|200"},
		{"a token nobody issued", rid(t, unknown), "40001|unknown token||getEnvInfo||200"},
		{"no token", rid(t, p.envs("", "{}")), "41001|missing access_token||getEnvInfo||200"},
		{"GET", rid(t, p.call("GET", "/tcb/getenvinfo?access_token="+tok, "")), "43002|method||getEnvInfo|" + mocktest.DemoAppID + "|200"},
		{"a body that is not JSON", rid(t, p.envs(tok, "{")), "47001|malformed body||getEnvInfo|" + mocktest.DemoAppID + "|200"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := p.row(tc.rid)
			got := strings.Join([]string{r["errcode"], r["cause"], r["scenario"], r["operation"], r["appid"], r["status"]}, "|")
			if got != tc.want || r["rid"] != tc.rid {
				t.Errorf("row %s: got %s; want %s", tc.rid, got, tc.want)
			}
		})
	}
	journal := p.fake.Journal(mock.Filter{})
	want := make([]string, len(journal))
	for i, e := range journal {
		want[len(journal)-1-i] = e.RID
		if e.Path != "/cgi-bin/token" && e.Path != "/tcb/getenvinfo" {
			t.Errorf("the journal holds %s %s, which the test did not call: the page must call the admin API only", e.Method, e.Path)
		}
	}
	if got := p.rows(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows %v; want the journal newest first %v", got, want)
	}
	row, _ := bridge.Spec(p.fake.Config()).Operation("getEnvInfo").Errcode(40001)
	if got := p.row(rid(t, unknown))["errmsg"]; got != row.Errmsg {
		t.Errorf("errmsg column %q; want %q, the errmsg without its rid", got, row.Errmsg)
	}
	p.do(chromedp.Click(chromedp.CSS(`#journal tr[data-rid="` + rid(t, unknown) + `"]`)))
	p.text(`#detail .errcode-row .meaning`)
	p.screenshot("journal")
}

func TestJournalFiltersOnTheServer(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	p := openPage(t, nil, "")
	p.waitLive()
	demo := p.token(mocktest.DemoAppID, mocktest.DemoSecret)
	second := p.token(mocktest.SecondAppID, mocktest.SecondSecret)
	p.envs(demo, "{}")
	p.envs(second, "{}")
	secondRID := p.lastRID(mock.Filter{AppID: mocktest.SecondAppID, Path: "/tcb/getenvinfo"})
	p.row(secondRID)

	p.do(chromedp.SendKeys(chromedp.CSS(`#filters input[name="appid"]`), mocktest.SecondAppID))
	poll[bool](p, "only the second app's rows", `(() => {
		const cells = [...document.querySelectorAll('#journal tbody td.c-appid')].map((td) => td.textContent);
		return cells.length === 2 && cells.every((a) => a === '`+mocktest.SecondAppID+`');
	})()`)
	p.envs(demo, "{}") // filtered out as it comes
	p.envs(second, `{"env":"prod-7g3h5j"}`)
	newest := p.lastRID(mock.Filter{AppID: mocktest.SecondAppID, Env: "prod-7g3h5j"})
	p.row(newest)
	if got := p.rows(); len(got) != 3 || got[0] != newest {
		t.Errorf("rows %v; want the second app's three, %s on top", got, newest)
	}

	p.do(chromedp.Click(chromedp.CSS(`#filters button[type="reset"]`)))
	poll[bool](p, "every row again", `document.querySelectorAll('#journal tbody tr[data-rid]').length === 6`)

	p.do(chromedp.SendKeys(chromedp.CSS(`#filters input[name="errcode"]`), "x"))
	if got := poll[string](p, "the filter's error", `document.querySelector('#filter-error').textContent`); got != `errcode "x" is not a number` {
		t.Errorf("filter error %q; want the server's", got)
	}
}

func TestJournalShowsHostileInputAsText(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	p := openPage(t, nil, "")
	p.waitLive()
	body := `{"env":"<img src=x onerror=\"document.title='pwned'\">"}`
	p.envs("", body, `X-Evil: <script>document.title='pwned'</script>`)
	r := rid(t, p.envs("", body, `X-Evil: <script>document.title='pwned'</script>`))
	p.row(r)
	p.do(chromedp.Click(chromedp.CSS(`#journal tr[data-rid="` + r + `"]`)))
	if got := p.text(`#detail pre.body`); !strings.Contains(got, `<img src=x onerror=\"document.title='pwned'\">`) {
		t.Errorf("the body shows as %q; want the text as sent", got)
	}
	if got := p.text(`#detail table.header`); !strings.Contains(got, "<script>document.title='pwned'</script>") {
		t.Errorf("the header shows as %q; want the text as sent", got)
	}
	n := run(p, chromedp.Evaluate[int](`document.querySelectorAll('main img, main script').length`))
	if title := run(p, chromedp.Title()); title != "tcbmock" || n != 0 {
		t.Errorf("title %q, %d elements made from the data; want tcbmock and none", title, n)
	}
}
