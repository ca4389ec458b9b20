package browsertest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tcbmock/tcbmock/mock"
)

// TestThePageWritesAndAnotherOriginsPageCannot shows the admin API's guard
// in a browser: the page's own calls (same origin) move the clock; a page
// of another origin that posts to the fake, as a cross-site attack does
// (no-cors fetch, text/plain), moves nothing.
func TestThePageWritesAndAnotherOriginsPageCannot(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	p := openPage(t, nil, "", mock.WithClock(func() time.Time { return start }))
	p.waitLive()
	p.do(chromedp.Click(chromedp.CSS(`#advance-2h`)))
	moved := start.Add(2 * time.Hour)
	poll[bool](p, "the clock two hours on", `document.querySelector('#clock-now').dateTime === '`+moved.Format(time.RFC3339)+`'`)
	if got := p.fake.Now(); !got.Equal(moved) {
		t.Fatalf("the page's own advance: the fake's clock is at %v; want %v", got, moved)
	}

	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<!doctype html><title>another origin</title>")
	}))
	t.Cleanup(other.Close)
	p.do(chromedp.Navigate(other.URL))
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const done = () => { window.attempted = true; };
		fetch(` + jsString(p.url+"/__tcbmock/clock") + `, {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: '{"advance":"3h"}'}).then(done, done);
	})()`))
	poll[bool](p, "the other origin's post sent", `window.attempted === true`)
	if got := p.fake.Now(); !got.Equal(moved) {
		t.Errorf("after another origin's post: the fake's clock is at %v; want %v", got, moved)
	}
}
