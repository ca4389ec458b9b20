package browsertest_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// start is the fixed base clock of the tests that move the fake's clock.
var start = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

func TestAdvanceTwoHoursAndAnOldTokenExpires(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	p := openPage(t, nil, "", mock.WithClock(func() time.Time { return start }))
	p.waitLive()
	tok := p.token(mocktest.DemoAppID, mocktest.DemoSecret)
	if a := p.envs(tok, "{}"); a.Errcode != 0 {
		t.Fatalf("before: errcode %d; want 0", a.Errcode)
	}
	p.do(chromedp.Click(chromedp.CSS(`#advance-2h`)))
	want := start.Add(2 * time.Hour).Format(time.RFC3339)
	if got := poll[string](p, "the clock two hours on", `(() => { const d = document.querySelector('#clock-now').dateTime; return d !== '' && d !== '`+start.Format(time.RFC3339)+`' && d; })()`); got != want {
		t.Errorf("the page's clock says %s; want %s", got, want)
	}
	if got := p.fake.Now(); !got.Equal(start.Add(2 * time.Hour)) {
		t.Fatalf("the fake's clock is at %v; want %v", got, start.Add(2*time.Hour))
	}
	expired := p.envs(tok, "{}")
	r := p.row(rid(t, expired))
	p.do(chromedp.Click(chromedp.CSS(`#journal tr[data-rid="` + rid(t, expired) + `"]`)))
	if r["errcode"] != "42001" || r["cause"] != "expired token" || expired.Errcode != 42001 {
		t.Errorf("the old token's call: answered %d, row %v; want 42001, expired token", expired.Errcode, r)
	}

	p.input(`#advance-custom`, "90m")
	p.do(chromedp.Click(chromedp.CSS(`#advance-form button`)))
	poll[bool](p, "the clock 90 minutes more on", `document.querySelector('#clock-now').dateTime === '`+start.Add(3*time.Hour+30*time.Minute).Format(time.RFC3339)+`'`)
	p.input(`#advance-custom`, "-5m")
	p.do(chromedp.Click(chromedp.CSS(`#advance-form button`)))
	if got := poll[string](p, "the refusal", `document.querySelector('#message').textContent`); got != `advance "-5m": the clock only moves forward, not -5m0s` {
		t.Errorf("a backward advance says %q; want the server's refusal", got)
	}

	p.do(chromedp.Click(chromedp.CSS(`#reset`)))
	if got := p.text(`#reset`); got != "Really reset?" || !p.fake.Now().Equal(start.Add(3*time.Hour+30*time.Minute)) {
		t.Errorf("one click on Reset: the button says %q, the clock is at %v; want it to ask once more, and nothing reset", got, p.fake.Now())
	}
	p.do(chromedp.Click(chromedp.CSS(`#reset`)))
	poll[bool](p, "the clock back at its start", `document.querySelector('#clock-now').dateTime === '`+start.Format(time.RFC3339)+`'`)
	poll[bool](p, "the journal emptied, and the exchange it showed closed", `document.querySelectorAll('#journal tbody tr').length === 0 && document.querySelector('#detail').hidden`)
}
