package browsertest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tcbmock/tcbmock/mocktest"
)

// cutOff lists, on the visible panel, what a 1280-pixel-wide window would
// cut: an element whose right edge passes the window's, or whose content
// a scrolling or clipping box hides (but a cell that ends in an ellipsis
// on purpose, its whole value in its title and the exchange's detail).
const cutOff = `(() => {
	const width = document.documentElement.clientWidth, cut = [];
	if (document.documentElement.scrollWidth > width) cut.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
	for (const el of document.querySelectorAll('section:not([hidden]) *')) {
		const box = el.getBoundingClientRect(), style = getComputedStyle(el);
		if (box.width === 0) continue;
		const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).replace(/ /g, '.') : '');
		if (box.right > width + 0.5) cut.push(name + ' ends at ' + Math.round(box.right));
		const clips = style.overflowX !== 'visible' && style.textOverflow !== 'ellipsis';
		if (clips && el.scrollWidth > el.clientWidth + 1) cut.push(name + ' hides ' + (el.scrollWidth - el.clientWidth) + ' pixels');
	}
	return cut;
})()`

// TestThePageFitsA1280By900Window: with long values in the journal, the
// journal's twelve columns and the scenarios' buttons fit a 1280×900
// window.
func TestThePageFitsA1280By900Window(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	p := openPage(t, nil, "#journal")
	p.do(chromedp.EmulateViewport(1280, 900))
	p.waitLive()
	token := p.token(mocktest.DemoAppID, mocktest.DemoSecret)
	long := strings.Repeat("long-value-", 20)
	last := rid(t, p.envs(token, `{"env":"`+long+`"}`, "X-Tcbmock-Scenario: system-busy"))
	rid(t, p.envs(token+long, `{}`))
	p.row(last)
	if cut := run(p, chromedp.Evaluate[[]string](cutOff)); len(cut) > 0 {
		t.Errorf("the journal at 1280×900 cuts: %s", strings.Join(cut, "; "))
	}
	p.do(chromedp.Click(chromedp.CSS(`#tabs a[data-tab="scenarios"]`)), chromedp.WaitVisible(chromedp.CSS(`#scenarios tr[data-scenario="system-busy"] button`)))
	if cut := run(p, chromedp.Evaluate[[]string](cutOff)); len(cut) > 0 {
		t.Errorf("the scenarios at 1280×900 cut: %s", strings.Join(cut, "; "))
	}
}

// TestTheJournalSaysItIsConnectingUntilItsStreamAnswers: before the
// journal's stream answers, the page says it is connecting, not that no
// request came; once it answers, that it has none yet.
func TestTheJournalSaysItIsConnectingUntilItsStreamAnswers(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	release := make(chan struct{})
	held := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/requests/stream") {
				select {
				case <-release:
				case <-r.Context().Done():
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
	p := openPage(t, held, "#journal")
	shown := `(id) => !document.querySelector(id).hidden`
	if !run(p, chromedp.Evaluate[bool](`(`+shown+`)('#journal-connecting')`)) {
		t.Error("the journal does not say it is connecting before its stream answers")
	}
	if run(p, chromedp.Evaluate[bool](`(`+shown+`)('#journal-empty')`)) {
		t.Error(`the journal says "No request yet" before its stream answers`)
	}
	close(release)
	p.waitLive()
	poll[bool](p, "the empty journal's line", `(`+shown+`)('#journal-empty') && !(`+shown+`)('#journal-connecting')`)
}
