package silenceper_test

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/silenceper/wechat/v2/util"

	"github.com/tcbmock/tcbmock/ca"
	"github.com/tcbmock/tcbmock/examples/silenceper"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// proxiedFake starts a fake behind tcbmock's HTTPS proxy, with a CA in a
// new directory, and returns the proxy's URL: the SDK keeps its
// https://api.weixin.qq.com and no URI modifier is set.
func proxiedFake(t *testing.T) (fake *mocktest.Fake, authority *ca.CA, proxyURL string) {
	t.Helper()
	util.SetURIModifier(nil)
	fake = mocktest.New(t)
	authority = ca.New(t.TempDir())
	return fake, authority, fake.HTTPSProxy(authority)
}

func TestTheSDKReachesTheFakeThroughItsTransportsProxy(t *testing.T) {
	fake, authority, proxyURL := proxiedFake(t)
	pool, err := authority.Pool()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(proxyURL)
	old := util.DefaultHTTPClient // the SDK's client: its transport is all that changes
	util.DefaultHTTPClient = &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(u), TLSClientConfig: &tls.Config{RootCAs: pool}}}
	t.Cleanup(func() { util.DefaultHTTPClient = old })

	for _, stable := range []bool{false, true} {
		c := silenceper.New(secondAppID, secondSecret, stable)
		envs, err := c.Envs(t.Context(), "")
		if err != nil || len(envs) != 2 || envs[1].Status != "HALTED" {
			t.Fatalf("stable %v: envs %+v, %v; want prod and the HALTED staging", stable, envs, err)
		}
	}
	fake.Expect(t, 1, mock.Filter{Operation: "getAccessToken"})
	fake.Expect(t, 1, mock.Filter{Operation: "getStableAccessToken"})
	fake.Expect(t, 2, mock.Filter{Operation: "getEnvInfo", Errcode: mock.Code(0)})
}

// childEnv names the environment variable that makes
// TestChildSDKWithTheEnvironmentsProxy run: in a process of its own.
const childEnv = "TCBMOCK_EXAMPLE_CHILD"

func TestTheSDKReachesTheFakeThroughHTTPSProxyAndSSLCertFile(t *testing.T) {
	switch runtime.GOOS {
	case "darwin", "ios", "windows", "android":
		t.Skipf("Go on %s verifies with the platform's roots and ignores SSL_CERT_FILE", runtime.GOOS)
	}
	fake, authority, proxyURL := proxiedFake(t)
	if _, err := authority.Load(); err != nil { // writes DIR/ca.pem
		t.Fatal(err)
	}
	// A process of its own, whose SDK and http.DefaultClient are untouched:
	// only its environment says where the proxy is and what to trust.
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestChildSDKWithTheEnvironmentsProxy$", "-test.count=1", "-test.v")
	cmd.Env = append(withoutProxyVariables(os.Environ()), childEnv+"=1", "HTTPS_PROXY="+proxyURL, "SSL_CERT_FILE="+authority.CertPath())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "envs: prod-7g3h5j NORMAL, staging-2k4m6n HALTED\n") {
		t.Errorf("the child said %s; want the second app's envs", out)
	}
	fake.Expect(t, 1, mock.Filter{Operation: "getStableAccessToken", AppID: secondAppID})
	fake.Expect(t, 1, mock.Filter{Operation: "getEnvInfo", Errcode: mock.Code(0)})
}

// TestChildSDKWithTheEnvironmentsProxy is the child of the test above.
func TestChildSDKWithTheEnvironmentsProxy(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("run by TestTheSDKReachesTheFakeThroughHTTPSProxyAndSSLCertFile")
	}
	if p := os.Getenv("HTTPS_PROXY"); !strings.HasPrefix(p, "http://127.0.0.1:") {
		t.Fatalf("HTTPS_PROXY is %q: the SDK would reach the real api.weixin.qq.com", p)
	}
	envs, err := silenceper.New(secondAppID, secondSecret, true).Envs(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	for _, e := range envs {
		list = append(list, e.Env+" "+e.Status)
	}
	fmt.Printf("envs: %s\n", strings.Join(list, ", "))
}

// withoutProxyVariables returns env without the variables that choose a
// proxy or the trusted certificates.
func withoutProxyVariables(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(name) {
		case "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "REQUEST_METHOD", "SSL_CERT_FILE", "SSL_CERT_DIR", childEnv:
			continue
		}
		out = append(out, kv)
	}
	return out
}
