package mock_test

import (
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// rebound is the Host of a page whose name an attacker made resolve to
// this machine (DNS rebinding).
const rebound = "Host: rebind.attacker.example:8080"

// wantRefused checks that rep is a 403 whose message names want.
func wantRefused(t *testing.T, what string, rep reply, want string) {
	t.Helper()
	if rep.Status != 403 || !strings.Contains(string(rep.Body), want) {
		t.Errorf("%s: got HTTP %d %s; want 403 naming %s", what, rep.Status, rep.Body, want)
	}
}

func TestARebindingHostCannotReadTheJournal(t *testing.T) {
	f := newFake(t)
	f.token(demoAppID, demoSecret)
	rep := f.do("GET", "/__tcbmock/requests", "", rebound)
	wantRefused(t, "GET requests", rep, "--allow-host")
	if strings.Contains(string(rep.Body), demoSecret) {
		t.Errorf("the refusal holds the secret: %s", rep.Body)
	}
}

func TestARebindingHostCannotMoveTheClock(t *testing.T) {
	f := newFake(t)
	before := f.Now()
	wantRefused(t, "POST clock", f.do("POST", "/__tcbmock/clock", `{"advance":"3h"}`, rebound), "--allow-host")
	if !f.Now().Equal(before) {
		t.Errorf("the clock moved to %v", f.Now())
	}
}

func TestARebindingHostCannotOpenThePage(t *testing.T) {
	f := newFake(t)
	wantRefused(t, "GET ui/", f.do("GET", "/__tcbmock/ui/", "", rebound), "--allow-host")
}

func TestLoopbackHostsUseTheAdminAPI(t *testing.T) {
	f := newFake(t)
	for _, host := range []string{"127.0.0.1:8080", "127.0.0.2", "localhost:8080", "LOCALHOST.", "app.localhost:3000", "[::1]:8080"} {
		if rep := f.do("GET", "/__tcbmock/clock", "", "Host: "+host); rep.Status != 200 {
			t.Errorf("Host %s: got HTTP %d %s; want 200", host, rep.Status, rep.Body)
		}
	}
}

func TestAServiceNameReachesHealthAndTheWeChatAPIButNotTheAdminAPI(t *testing.T) {
	f := newFake(t)
	const service = "Host: tcbmock:8080"
	if rep := f.do("GET", "/__tcbmock/health", "", service); rep.Status != 200 {
		t.Errorf("GET health: got HTTP %d %s; want 200", rep.Status, rep.Body)
	}
	if rep := f.do("GET", "/cgi-bin/token?grant_type=client_credential&appid="+demoAppID+"&secret="+demoSecret, "", service); rep.Status != 200 || rep.Errcode != 0 {
		t.Errorf("GET /cgi-bin/token: got HTTP %d %s; want a token", rep.Status, rep.Body)
	}
	wantRefused(t, "GET requests", f.do("GET", "/__tcbmock/requests", "", service), "--allow-host")
}

func TestAnAllowedHostUsesTheAdminAPI(t *testing.T) {
	f := newFake(t, mock.WithAllowedHosts("TCBmock", "10.0.0.5:8080", "0.0.0.0"))
	for _, host := range []string{"tcbmock:8080", "tcbmock", "10.0.0.5:9"} {
		if rep := f.do("GET", "/__tcbmock/requests", "", "Host: "+host); rep.Status != 200 {
			t.Errorf("Host %s: got HTTP %d %s; want 200", host, rep.Status, rep.Body)
		}
	}
	// An address to listen on is no name of the fake.
	wantRefused(t, "Host 0.0.0.0", f.do("GET", "/__tcbmock/requests", "", "Host: 0.0.0.0:8080"), "--allow-host")
}

func TestTheAdminTokenNeedsNoHostCheck(t *testing.T) {
	f := newFake(t, mock.WithAdminToken("s3cret"))
	if rep := f.do("GET", "/__tcbmock/requests", "", rebound, "Authorization: Bearer s3cret"); rep.Status != 200 {
		t.Errorf("with the token: got HTTP %d %s; want 200", rep.Status, rep.Body)
	}
	if rep := f.do("GET", "/__tcbmock/requests", "", "Authorization: Bearer s3cret", "Sec-Fetch-Site: cross-site"); rep.Status != 200 {
		t.Errorf("with the token, cross-site GET: got HTTP %d %s; want 200", rep.Status, rep.Body)
	}
	if rep := f.do("GET", "/__tcbmock/requests", ""); rep.Status != 401 {
		t.Errorf("without the token: got HTTP %d %s; want 401", rep.Status, rep.Body)
	}
}

// crossSite are the headers a browser sends with a write from another
// site's page: a no-cors fetch or a form post.
var crossSite = map[string][]string{
	"Sec-Fetch-Site cross-site":      {"Sec-Fetch-Site: cross-site", "Origin: https://evil.example"},
	"Sec-Fetch-Site same-site":       {"Sec-Fetch-Site: same-site", "Origin: http://other.localhost:8080"},
	"Origin of another site":         {"Origin: https://evil.example"},
	"Origin of another port":         {"Origin: http://127.0.0.1:3000"},
	"Origin null (a sandboxed page)": {"Origin: null"},
}

func TestACrossSitePageCannotWrite(t *testing.T) {
	writes := []struct{ target, body, ctype string }{
		{"/__tcbmock/clock", `{"advance":"3h"}`, "text/plain"},
		{"/__tcbmock/reauthorize", `{"component_appid":"wxd0c0ffee0000c001","authorizer_appid":"wxd0c0ffee00000002"}`, "text/plain"},
		{"/__tcbmock/reset", "x=1", "text/plain"},
		{"/__tcbmock/tokens", `{"appid":"` + demoAppID + `"}`, "application/x-www-form-urlencoded"},
	}
	for name, headers := range crossSite {
		for _, w := range writes {
			f := newFake(t)
			f.advance("1h")
			before := f.Now()
			rep := f.do("POST", w.target, w.body, append([]string{"Content-Type: " + w.ctype}, headers...)...)
			wantRefused(t, name+" POST "+w.target, rep, "--allow-origin")
			if !f.Now().Equal(before) {
				t.Errorf("%s POST %s: the clock is at %v; want %v", name, w.target, f.Now(), before)
			}
		}
	}
	f := newFake(t)
	wantRefused(t, "DELETE requests", f.do("DELETE", "/__tcbmock/requests", "", "Sec-Fetch-Site: cross-site"), "--allow-origin")
}

func TestACrossSitePageGetsNoAnswerItCanUse(t *testing.T) {
	// A GET changes nothing; a page of another site cannot read the
	// answer (no CORS header), so reads are not refused by origin.
	f := newFake(t)
	rep := f.do("GET", "/__tcbmock/clock", "", "Sec-Fetch-Site: cross-site", "Origin: https://evil.example")
	if rep.Status != 200 || rep.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("got HTTP %d, Access-Control-Allow-Origin %q; want 200 and none", rep.Status, rep.Header.Get("Access-Control-Allow-Origin"))
	}
}

func TestWritesOfTheFakesOwnPageAndOfClientsThatAreNotBrowsersWork(t *testing.T) {
	cases := map[string][]string{
		"no browser headers, no type":  nil,
		"no browser headers, text":     {"Content-Type: text/plain"},
		"no browser headers, form":     {"Content-Type: application/x-www-form-urlencoded"},
		"same-origin fetch":            {"Sec-Fetch-Site: same-origin", "Origin: null"},
		"the fake's own Origin":        {"Origin: http://127.0.0.1:8080"},
		"typed in the address bar":     {"Sec-Fetch-Site: none"},
		"an allowed origin":            {"Origin: https://tool.example:8443", "Sec-Fetch-Site: cross-site"},
		"an allowed origin, no fetch:": {"Origin: https://tool.example:8443"},
	}
	for name, headers := range cases {
		f := newFake(t, mock.WithAllowedOrigins("https://tool.example:8443"))
		if rep := f.do("POST", "/__tcbmock/clock", `{"advance":"1h"}`, headers...); rep.Status != 200 {
			t.Errorf("%s: got HTTP %d %s; want 200", name, rep.Status, rep.Body)
		}
	}
}

func TestNewRefusesAnOriginThatIsNotOne(t *testing.T) {
	_, err := mock.New(mock.WithAllowedOrigins("tool.example/page"))
	if err == nil || !strings.Contains(err.Error(), "tool.example/page") {
		t.Errorf("got %v; want a refusal naming the origin", err)
	}
}
