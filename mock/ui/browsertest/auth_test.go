package browsertest_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tcbmock/tcbmock/mock"
)

// adminCalls counts the admin API's answers to the page by status, but
// for its own files and health, which are open.
type adminCalls struct {
	mu     sync.Mutex
	status map[int]int
}

func (c *adminCalls) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if strings.HasPrefix(r.URL.Path, mock.AdminPrefix) && !strings.HasPrefix(r.URL.Path, mock.AdminPrefix+"ui/") && r.URL.Path != mock.AdminPrefix+"health" {
			c.mu.Lock()
			c.status[rec.status]++
			c.mu.Unlock()
		}
	})
}

func (c *adminCalls) count(status int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status[status]
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Flush() { http.NewResponseController(r.ResponseWriter).Flush() }

func TestTheAdminTokenGuardsThePagesData(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	calls := &adminCalls{status: map[int]int{}}
	p := openPage(t, calls.wrap, "", mock.WithAdminToken("s3cret"))
	p.do(chromedp.WaitVisible(chromedp.CSS(`#auth`)))
	earlier := rid(t, p.envs("", "{}"))
	refused := calls.count(http.StatusUnauthorized)
	// A page loaded after the call asks for the journal that holds it, and
	// stops at the refusal.
	p.reload(chromedp.Reload())
	poll[bool](p, "the page asking for the token", `!document.querySelector('#auth').hidden && document.querySelector('#link-state').textContent === 'no admin token'`)
	if n, ok := calls.count(http.StatusUnauthorized), calls.count(http.StatusOK); n <= refused || ok != 0 {
		t.Errorf("the page's admin calls: %d refused (%d before the reload), %d answered; want more refused and none answered", n, refused, ok)
	}
	if rows := p.rows(); len(rows) != 0 {
		t.Errorf("without the token the journal shows %v; want nothing", rows)
	}
	if got := p.text(`#auth-why`); !strings.Contains(got, "--admin-token") {
		t.Errorf("the page says %q; want it to ask for the --admin-token", got)
	}

	p.reload(chromedp.SendKeys(chromedp.CSS(`#auth-token`), "wrong"), chromedp.Click(chromedp.CSS(`#auth-form button[type="submit"]`)))
	poll[bool](p, "the page refusing the wrong token", `!document.querySelector('#auth').hidden && document.querySelector('#auth-why').textContent.includes('refused')`)

	p.reload(chromedp.SendKeys(chromedp.CSS(`#auth-token`), "s3cret"), chromedp.Click(chromedp.CSS(`#auth-form button[type="submit"]`)))
	p.waitLive()
	if r := p.row(earlier); r["errcode"] != "41001" {
		t.Errorf("with the token, the earlier call shows as %v; want errcode 41001", r)
	}
	kept := run(p, chromedp.Evaluate[[]string](`[sessionStorage.getItem('tcbmock.adminToken'), String(localStorage.length), document.cookie]`))
	if kept[0] != "s3cret" || kept[1] != "0" || kept[2] != "" {
		t.Errorf("session storage %q, local storage %s items, cookies %q; want the token in session storage only", kept[0], kept[1], kept[2])
	}
	p.reload(chromedp.Click(chromedp.CSS(`#forget-token`)))
	p.do(chromedp.WaitVisible(chromedp.CSS(`#auth`)))
}
