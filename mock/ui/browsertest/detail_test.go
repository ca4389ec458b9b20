package browsertest_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

func TestAnExchangeOpensWhole(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	p := openPage(t, nil, "")
	p.waitLive()
	tok := p.token(mocktest.DemoAppID, mocktest.DemoSecret)
	p.envs(tok, `{"env":"test2-4a89da"}`, "X-Request-Note: from the test")
	ok := p.lastRID(mock.Filter{Env: "test2-4a89da"})
	refused := rid(t, p.envs("97_"+strings.Repeat("B", 140), "{}"))

	p.row(ok)
	p.do(chromedp.Click(chromedp.CSS(`#journal tr[data-rid="` + ok + `"]`)))
	for _, tc := range []struct{ part, selector, want string }{
		{"the request line", `#detail pre.request-line`, "POST /tcb/getenvinfo?access_token=" + tok},
		{"the query", `#detail table.query`, "access_token" + tok},
		{"the header", `#detail table.header`, "X-Request-Notefrom the test"},
		{"the body, pretty-printed", `#detail pre.body`, "{\n  \"env\": \"test2-4a89da\"\n}"},
		{"the answer, pretty-printed", `#detail pre.answer`, "{\n  \"errcode\": 0,\n  \"errmsg\": \"ok\",\n  \"info_list\": [\n    {\n      \"env\": \"test2-4a89da\","},
	} {
		if got := p.text(tc.selector); !strings.Contains(got, tc.want) {
			t.Errorf("%s: got %q; want it to hold %q", tc.part, got, tc.want)
		}
	}
	if n := run(p, chromedp.Evaluate[int](`document.querySelectorAll('#detail .errcode-row').length`)); n != 0 {
		t.Errorf("errcode 0 shows %d errcode rows; want none", n)
	}

	p.row(refused)
	p.do(chromedp.Click(chromedp.CSS(`#journal tr[data-rid="` + refused + `"]`)))
	row, _ := bridge.Spec(p.fake.Config()).Operation("getEnvInfo").Errcode(40001)
	poll[bool](p, "the errcode row", `document.querySelector('#detail .errcode-row h3')?.textContent.startsWith('40001 ')`)
	for _, tc := range []struct{ part, selector, want string }{
		{"the meaning", `#detail .errcode-row .meaning`, row.Meaning},
		{"the solution", `#detail .errcode-row .solution`, row.Solution},
		{"the answer", `#detail pre.answer`, `"errcode": 40001`},
	} {
		if got := p.text(tc.selector); !strings.Contains(got, tc.want) {
			t.Errorf("%s: got %q; want %q", tc.part, got, tc.want)
		}
	}

	p.do(chromedp.Click(chromedp.CSS(`#detail .facts button[title*="cause"]`)))
	poll[bool](p, "the journal filtered by the cause", `document.querySelector('#filters input[name="cause"]').value === 'unknown token' && document.querySelectorAll('#journal tbody tr[data-rid]').length === 1`)
}
