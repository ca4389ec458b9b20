package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mocktest"
)

// getAs sends GET url with Host host, and returns the status and body.
func getAs(t *testing.T, url, host string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// service is how a CI job reaches a service container: by its name.
const service = "tcbmock:8080"

func TestServeAnswersAServiceNameOnHealthTheCAAndTheWeChatAPI(t *testing.T) {
	base, _ := serveInProcess(t, "--ca-dir", t.TempDir())
	for _, path := range []string{"/__tcbmock/health", caCertPath, "/cgi-bin/token?grant_type=client_credential&appid=" + mocktest.DemoAppID + "&secret=" + mocktest.DemoSecret} {
		if code, body := getAs(t, base+path, service); code != 200 || strings.Contains(body, "--allow-host") {
			t.Errorf("GET %s as %s: got HTTP %d %s; want 200", path, service, code, body)
		}
	}
	if code, body := getAs(t, base+"/__tcbmock/requests", service); code != 403 || !strings.Contains(body, "--allow-host") {
		t.Errorf("GET requests as %s: got HTTP %d %s; want 403 naming --allow-host", service, code, body)
	}
}

func TestServeAllowHostOpensTheAdminAPIToAServiceName(t *testing.T) {
	base, _ := serveInProcess(t, "--allow-host", "tcbmock")
	if code, body := getAs(t, base+"/__tcbmock/requests", service); code != 200 {
		t.Errorf("GET requests as %s: got HTTP %d %s; want 200", service, code, body)
	}
}

func TestProxyTakesTheAdminFlags(t *testing.T) {
	upstream := serve(t, newFake(t))
	closed := startProxyCLI(t, "--upstream", upstream)
	if code, body := getAs(t, closed.url+"/__tcbmock/requests", service); code != 403 || !strings.Contains(body, "--allow-host") {
		t.Errorf("GET requests as %s: got HTTP %d %s; want 403 naming --allow-host", service, code, body)
	}
	if code, body := getAs(t, closed.url+"/__tcbmock/health", service); code != 200 {
		t.Errorf("GET health as %s: got HTTP %d %s; want 200", service, code, body)
	}
	open := startProxyCLI(t, "--upstream", upstream, "--allow-host", "tcbmock", "--allow-origin", "https://tool.example")
	if code, body := getAs(t, open.url+"/__tcbmock/requests", service); code != 200 {
		t.Errorf("with --allow-host tcbmock, GET requests as %s: got HTTP %d %s; want 200", service, code, body)
	}
}

func TestABadAllowOriginIsAMisuse(t *testing.T) {
	var stderr strings.Builder
	err := run(t.Context(), []string{"serve", "--addr", "127.0.0.1:0", "--allow-origin", "tool.example/x"}, &strings.Builder{}, &stderr)
	if err == nil || !strings.Contains(err.Error(), "tool.example/x") {
		t.Errorf("got %v; want an error naming the origin", err)
	}
}

func TestServeAndProxyHelpStateEveryBound(t *testing.T) {
	for cmd, want := range map[string][]string{
		"serve": {"--journal-bytes (default 64 MiB)", "at most 32 journal streams", "an event holds at\n              most 512 KiB", "2 per app", "--allow-host NAME", "--allow-origin",
			"at most 1000 apps, components and scenarios added or overridden\n              at run time, 8 MiB of JSON in all, 256 KiB each",
			"expressions 2000 nodes each; per evaluation 1 MiB of the VM's memory\n              budget, 1 MiB of result and 100ms"},
		"proxy": {"--journal-bytes (default 64 MiB)", "at most 32 journal streams", "--allow-host NAME", "--allow-origin"},
	} {
		out, errOut, _ := runCLI(t, cmd, "-h")
		for _, w := range want {
			if !strings.Contains(out+errOut, w) {
				t.Errorf("%s -h does not say %q", cmd, w)
			}
		}
	}
}
