package browsertest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

func TestWorldShowsAppsPlatformsAndLiveTokens(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	p := openPage(t, nil, "#world", mock.WithClock(func() time.Time { return start }))
	tok := p.token(mocktest.DemoAppID, mocktest.DemoSecret)
	p.do(chromedp.Click(chromedp.CSS(`#tabs a[data-tab="world"]`)))
	token := `#tokens td.c-token[title="` + tok + `"]`
	left := poll[string](p, "the token", `document.querySelector('`+token+`')?.parentElement.querySelector('td.c-left').textContent`)
	if left != "2 h 00 min" {
		t.Errorf("the new token works for %q; want 2 h 00 min", left)
	}
	p.do(chromedp.Click(chromedp.CSS(`#advance-5m`)))
	poll[bool](p, "the token's time, 5 min less", `document.querySelector('`+token+`')?.parentElement.querySelector('td.c-left').textContent === '1 h 55 min'`)

	if got := p.text(`#apps article[data-appid="` + mocktest.DemoAppID + `"] table.envs`); !strings.Contains(got, "test2-4a89da") || !strings.Contains(got, "NORMAL") {
		t.Errorf("the demo app's envs: %q", got)
	}
	if got := p.text(`#apps article[data-appid="` + mocktest.DemoAppID + `"] dl.facts`); got != "secret"+mocktest.DemoSecret+" copy" {
		t.Errorf("the demo app's credentials: %q; want its secret", got)
	}
	if got := p.text(`#apps article[data-appid="` + mocktest.GuardedAppID + `"] dl.access`); got != "ip_whitelist203.0.113.7, 198.51.100.0/24" {
		t.Errorf("the guarded app's access: %q; want its whitelist", got)
	}
	if got := p.text(`#apps article[data-appid="` + mocktest.MeteredAppID + `"] dl.access`); got != "quota3 daily, 2 minute" {
		t.Errorf("the metered app's access: %q; want its quota", got)
	}
	poll[bool](p, "no list of entities for the whitelist", `document.querySelector('#apps table.ip_whitelist') === null`)
	if got := p.text(`#apps article[data-appid="wxd0c0ffee000000f1"] dl.access`); got != "statefrozen secret" {
		t.Errorf("the frozen app's access: %q; want its state", got)
	}
	refresh := `#components tr[data-authorizer="` + mocktest.DemoAppID + `"] td.c-refresh code`
	if got := p.text(refresh); got != mocktest.DemoRefreshToken {
		t.Errorf("the demo app's refresh token: %q; want %q", got, mocktest.DemoRefreshToken)
	}
	p.do(chromedp.Click(chromedp.CSS(`#components tr[data-authorizer="` + mocktest.DemoAppID + `"] button[title^="The account"]`)))
	now := poll[string](p, "a new refresh token", `(() => { const t = document.querySelector('`+refresh+`').textContent; return t !== '`+mocktest.DemoRefreshToken+`' && t; })()`)
	w, err := mocktest.NewAdmin(p.url, nil).Apps(context.Background())
	if err != nil || w.Components[0].Authorizations[0].RefreshToken != now {
		t.Errorf("the page shows %q; the fake holds %+v (%v)", now, w.Components, err)
	}
}

func TestConfigurationShowsARefusedReload(t *testing.T) {
	t.Parallel() // a fake and a tab of its own
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.yaml")
	write := func(text string) { // as an editor saves: a temporary file renamed over the file
		tmp := filepath.Join(dir, ".mine.yaml.swp")
		if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, file); err != nil {
			t.Fatal(err)
		}
	}
	write("scenarios:\n  - name: mine\n    description: being edited\n    errcode: -1\n")
	files := mock.Embedded()
	files.Scenarios = append(files.Scenarios, mock.File{FS: os.DirFS(dir), Path: ".", Name: dir})
	c, err := mock.Load(t.Context(), files)
	if err != nil {
		t.Fatal(err)
	}
	p := openPage(t, nil, "#config", mock.WithConfig(c))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.fake.Watch(ctx, files, 10*time.Millisecond); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	p.do(chromedp.WaitVisible(chromedp.CSS(`#config-error p.muted`)))
	if got := p.text(`#config ul.files`); !strings.Contains(got, file) {
		t.Errorf("the files %q do not name %s", got, file)
	}
	write("scenarios:\n  - name: mine\n    description: being edited\n    errcode: 99999\n")
	problem := poll[string](p, "the refused reload", `document.querySelector('#config-error ul.problems li')?.textContent`)
	if want := p.fake.Status().LastError.Problems[0]; problem != want || !strings.HasPrefix(problem, file+":4: ") {
		t.Errorf("the page says %q; want the fake's %q, at %s:4", problem, want, file)
	}
	if visible := run(p, chromedp.Evaluate[bool](`!document.querySelector('#config-badge').hidden`)); !visible {
		t.Error("the header does not say a reload was refused")
	}
}
