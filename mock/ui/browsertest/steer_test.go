package browsertest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tcbmock/tcbmock/mock"
)

// Items the page adds, in JSON as a user types them.
const (
	pageAppID = "wx0000000000000b01"
	pageApp   = `{"appid":"` + pageAppID + `","secret":"00000000000000000000000000000b01","description":"from the form",
	  "envs":[{"env":"dev-1a2b3c","alias":"dev","create_time":"2026-01-02 03:04:05","update_time":"2026-01-02 03:04:05","status":"NORMAL","package_id":"basic","package_name":"basic"},
	          {"env":"prod-4d5e6f","alias":"prod","create_time":"2026-01-02 03:04:05","update_time":"2026-01-02 03:04:05","status":"HALTED","package_id":"basic","package_name":"basic"}]}`
	pageComp     = `{"component_appid":"wx0000000000000c0b","component_appsecret":"000000000000000000000000000000cb","component_verify_ticket":"ticket@@@page","authorizations":[{"authorizer_appid":"` + pageAppID + `","authorizer_refresh_token":"refreshtoken@@@page","permission_sets":[49]}]}`
	pageScenario = `{"name":"page-busy","description":"from the form","operations":["getEnvInfo"],"errcode":-1}`
)

// add chooses kind in the form, types item and adds it.
func (p *page) add(kind, item string) {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const k = document.querySelector('#add-kind');
		k.value = ` + jsString(kind) + `;
		k.dispatchEvent(new Event('change'));
	})()`))
	p.input(`#add-item`, item)
	p.do(chromedp.Click(chromedp.CSS(`#add-form button[type="submit"]`)))
}

func TestTheFormAddsAnAppAPlatformAndAScenarioAndDeletesThem(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	p := openPage(t, nil, "#world")
	p.add("apps", pageApp)
	card := `#apps article[data-appid="` + pageAppID + `"]`
	poll[bool](p, "the added app's card", `!!document.querySelector('`+card+` table.envs')`)
	if got := p.text(card + ` p.origin`); !strings.HasPrefix(got, "added at run time at ") {
		t.Errorf("the card's origin: %q", got)
	}
	tok := p.token(pageAppID, "00000000000000000000000000000b01")
	if a := p.envs(tok, "{}"); a.Errcode != 0 {
		t.Errorf("getenvinfo of the app the form added: %+v", a)
	}
	if e := p.fake.Journal(mock.Filter{Operation: "getEnvInfo"}); !strings.Contains(e[len(e)-1].Answer, `"env":"dev-1a2b3c"`) || !strings.Contains(e[len(e)-1].Answer, `"env":"prod-4d5e6f"`) {
		t.Errorf("getenvinfo of the app the form added: %s", e[len(e)-1].Answer)
	}
	p.add("components", pageComp)
	poll[bool](p, "the added platform's card", `!!document.querySelector('#components article[data-component="wx0000000000000c0b"] button.delete')`)
	p.add("scenarios", pageScenario)
	poll[bool](p, "the added scenario's row", `!!document.querySelector('#scenarios tr[data-scenario="page-busy"] button.delete')`)
	if c := p.fake.Config(); c.App(pageAppID) == nil || c.Scenario("page-busy") == nil {
		t.Fatal("the fake does not have what the form added")
	}
	if run(p, chromedp.Evaluate[bool](`!!document.querySelector('#apps article[data-appid="wxd0c0ffee00000001"] button.delete')`)) {
		t.Error("an app of the files has a delete button")
	}

	p.do(chromedp.Click(chromedp.CSS(`#components article[data-component="wx0000000000000c0b"] button.delete`)))
	poll[bool](p, "the platform gone", `!document.querySelector('#components article[data-component="wx0000000000000c0b"]')`)
	p.do(chromedp.Click(chromedp.CSS(card + ` button.delete`)))
	poll[bool](p, "the app gone", `!document.querySelector('`+card+`')`)
	p.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('#scenarios tr[data-scenario="page-busy"] button.delete').click()`))
	poll[bool](p, "the scenario gone", `!document.querySelector('#scenarios tr[data-scenario="page-busy"]')`)
	if c := p.fake.Config(); c.App(pageAppID) != nil || c.Scenario("page-busy") != nil {
		t.Error("the fake still has what the page deleted")
	}
}

func TestTheFormShowsTheProblemsLintWouldFind(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	p := openPage(t, nil, "#world")
	broken := strings.Replace(pageApp, `"status":"HALTED"`, `"status":"BROKEN"`, 1)
	var ie *mock.ItemError
	if err := p.fake.AddApp(t.Context(), broken); !errors.As(err, &ie) {
		t.Fatalf("AddApp: %v; want an *ItemError", err)
	}
	p.add("apps", broken)
	got := poll[string](p, "the problems", `document.querySelector('#add-result ul.problems li')?.textContent`)
	if got != ie.Problems[0] || !strings.HasPrefix(got, "$.envs[1].status: ") {
		t.Errorf("the form says %q; want the fake's %q", got, ie.Problems[0])
	}
	p.add("apps", "{not json")
	if got := poll[string](p, "not JSON", `document.querySelector('#add-result p.bad')?.textContent`); !strings.HasPrefix(got, "not JSON: ") {
		t.Errorf("the form says %q of text that is not JSON", got)
	}
}
