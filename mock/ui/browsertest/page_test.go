package browsertest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/tcbmock/tcbmock/mock"
)

// waitFor bounds every wait of a test on the page.
const waitFor = 15 * time.Second

// chromium returns the browser to drive, or why there is none.
func chromium() (path, why string) {
	if p := os.Getenv("TCBMOCK_CHROMIUM"); p != "" {
		return p, ""
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, ""
		}
	}
	return "", "no chromium on the PATH (apt-get install -y chromium, or set $TCBMOCK_CHROMIUM): the admin page's browser tests did not run"
}

// shared is the one browser the package's tests share: TestMain starts it;
// each test opens a tab of its own. What one test's page keeps cannot reach
// another's: each fake is an origin of its own (its port), and the page
// keeps its admin token in the tab's session storage and sets no cookie. A
// browser context per test would start a renderer process per test: a
// quarter of the package's CPU.
var shared struct {
	ctx context.Context // the browser's first tab; nil without a browser
	why string          // why there is none
}

func TestMain(m *testing.M) { os.Exit(withBrowser(m)) }

// withBrowser runs the tests with the shared browser started.
func withBrowser(m *testing.M) int {
	exe, why := chromium()
	if exe == "" {
		shared.why = why
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "tcbmock-chromium-")
	if err != nil {
		shared.why = err.Error()
		return m.Run()
	}
	defer os.RemoveAll(dir)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.DisableGPU, chromedp.UserDataDir(dir), chromedp.WindowSize(1680, 960),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-default-apps", true), chromedp.Flag("disable-extensions", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		shared.why = fmt.Sprintf("starting %s: %v", exe, err)
		return m.Run()
	}
	shared.ctx = ctx
	return m.Run()
}

// browser returns the shared browser, or skips the test without one (fails
// it when $TCBMOCK_BROWSER_TESTS is "require").
func browser(t *testing.T) context.Context {
	t.Helper()
	if shared.ctx == nil {
		if os.Getenv("TCBMOCK_BROWSER_TESTS") == "require" {
			t.Fatal(shared.why)
		}
		t.Skip(shared.why)
	}
	return shared.ctx
}

// page is a fake's admin page, open in a headless browser.
type page struct {
	t    *testing.T
	ctx  context.Context // the tab's; every wait derives from it
	fake *mock.Server
	url  string // the fake's base URL

	mu     sync.Mutex
	errors []string // the exceptions the page's scripts threw
}

// openPage starts a fake with opts behind handler (nil: the fake alone),
// opens a tab of the shared browser, and the admin page in it, at #hash if
// one is given.
func openPage(t *testing.T, handler func(http.Handler) http.Handler, hash string, opts ...mock.Option) *page {
	t.Helper()
	b := browser(t)
	m, err := mock.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = m
	if handler != nil {
		h = handler(m)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { m.CloseStreams(); srv.Close() })

	tab, cancelTab := chromedp.NewContext(b)
	p := &page{t: t, ctx: tab, fake: m, url: srv.URL}
	t.Cleanup(func() {
		if t.Failed() {
			p.screenshot("failed")
		}
		cancelTab()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, e := range p.errors {
			t.Errorf("the page threw: %s", e)
		}
	})
	if err := chromedp.Listen(tab, p.listen); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	p.do(chromedp.EmulateViewport(1680, 960), chromedp.Navigate(srv.URL+"/__tcbmock/ui/"+hash))
	return p
}

// listen keeps the exceptions the page's scripts throw.
func (p *page) listen(ev any) {
	if e, ok := ev.(*runtime.EventExceptionThrown); ok {
		d := e.ExceptionDetails
		text := d.Text
		if d.Exception != nil {
			text += " " + d.Exception.Description
		}
		p.mu.Lock()
		p.errors = append(p.errors, fmt.Sprintf("%s (%s:%d)", text, d.URL, d.LineNumber))
		p.mu.Unlock()
	}
}

// do runs actions on the page, for at most waitFor.
func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitFor)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("on the page: %v", err)
	}
}

// run runs one action on the page and returns its value.
func run[T any](p *page, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitFor)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.t.Fatalf("on the page: %v", err)
	}
	return v
}

// poll waits until the JavaScript expression is truthy and returns it.
func poll[T any](p *page, what, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitFor)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[T](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(waitFor)))
	if err != nil {
		p.t.Fatalf("waiting for %s: %v", what, err)
	}
	return v
}

// reload runs actions that reload the page, and waits until it has.
func (p *page) reload(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`window.beforeReload = true`))
	p.do(actions...)
	for deadline := time.Now().Add(waitFor); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(p.ctx, time.Second)
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.beforeReload === undefined && document.readyState === 'complete'`))
		cancel()
		if err == nil && done {
			return
		}
	}
	p.t.Fatal("the page did not reload")
}

// input sets the value of an input as typing would, and says so to the page.
func (p *page) input(selector, value string) {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const i = document.querySelector(` + jsString(selector) + `);
		i.value = ` + jsString(value) + `;
		i.dispatchEvent(new Event('input', {bubbles: true}));
	})()`))
}

// jsString returns s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// text returns the text of the first element that matches selector.
func (p *page) text(selector string) string {
	p.t.Helper()
	return run(p, chromedp.TextContent(chromedp.CSS(selector)))
}

// waitLive waits until the journal streams.
func (p *page) waitLive() {
	p.t.Helper()
	poll[bool](p, "the journal stream", `document.querySelector('#link-state').dataset.state === 'live'`)
}

var ridShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$`)

// row waits for the journal's row of rid and returns its cells by column.
func (p *page) row(rid string) map[string]string {
	p.t.Helper()
	if !ridShape.MatchString(rid) {
		p.t.Fatalf("%q is not a rid", rid)
	}
	return poll[map[string]string](p, "the row of "+rid, `(() => {
		const tr = document.querySelector('#journal tr[data-rid="`+rid+`"]');
		return tr && Object.fromEntries([...tr.cells].map((td) => [td.className.slice(2), td.textContent]));
	})()`)
}

// rows returns the rids of the journal's rows, top first.
func (p *page) rows() []string {
	p.t.Helper()
	return run(p, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#journal tbody tr[data-rid]')].map((tr) => tr.dataset.rid)`))
}

// screenshot saves the page's viewport in a new temporary directory, which
// outlives the test, and logs where.
func (p *page) screenshot(name string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitFor)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Errorf("screenshot: %v", err)
		return ""
	}
	dir, err := os.MkdirTemp("", "tcbmock-ui-")
	if err == nil {
		path := filepath.Join(dir, name+".png")
		if err = os.WriteFile(path, png, 0o644); err == nil {
			p.t.Logf("screenshot of the page: %s", path)
			return path
		}
	}
	p.t.Errorf("screenshot: %v", err)
	return ""
}

// answer is a WeChat answer as a client reads it.
type answer struct {
	Errcode     int    `json:"errcode"`
	Errmsg      string `json:"errmsg"`
	AccessToken string `json:"access_token"`
}

// call sends a request to the fake as a client does; header is "Name: value" lines.
func (p *page) call(method, path, body string, header ...string) answer {
	p.t.Helper()
	req, err := http.NewRequestWithContext(p.t.Context(), method, p.url+path, strings.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	for _, h := range header {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	var a answer
	if err != nil || json.Unmarshal(data, &a) != nil {
		p.t.Fatalf("%s %s: %v %s", method, path, err, data)
	}
	return a
}

// token gets an app's token from /cgi-bin/token.
func (p *page) token(appid, secret string) string {
	p.t.Helper()
	a := p.call("GET", "/cgi-bin/token?grant_type=client_credential&appid="+appid+"&secret="+secret, "")
	if a.AccessToken == "" {
		p.t.Fatalf("no token for %s: %+v", appid, a)
	}
	return a.AccessToken
}

// envs calls getenvinfo.
func (p *page) envs(token, body string, header ...string) answer {
	p.t.Helper()
	return p.call("POST", "/tcb/getenvinfo?access_token="+token, body, header...)
}

// rid returns the rid of an error answer.
func rid(t *testing.T, a answer) string {
	t.Helper()
	i := strings.LastIndex(a.Errmsg, "rid: ")
	if i < 0 {
		t.Fatalf("errmsg %q has no rid", a.Errmsg)
	}
	return a.Errmsg[i+len("rid: "):]
}

// lastRID returns the rid of the newest journal entry that f selects.
func (p *page) lastRID(f mock.Filter) string {
	p.t.Helper()
	got := p.fake.Journal(f)
	if len(got) == 0 {
		p.t.Fatalf("no journal entry for %+v", f)
	}
	return got[len(got)-1].RID
}
