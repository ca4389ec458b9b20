package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/mocktest"
)

// trustingClient returns a client that trusts the CA of dir's ca.pem
// alone, as a user configures one, through proxy unless it is "".
func trustingClient(t *testing.T, dir, proxy string) *http.Client {
	t.Helper()
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: trusted(t, dir)}}
	if proxy != "" {
		u, _ := url.Parse(proxy)
		tr.Proxy = http.ProxyURL(u)
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// trusted returns a pool of the certificate in dir's ca.pem.
func trusted(t *testing.T, dir string) *x509.CertPool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		t.Fatalf("ca.pem holds no certificate: %q", data)
	}
	return pool
}

// fetch GETs or POSTs target with c and returns the body.
func fetch(t *testing.T, c *http.Client, method, target, body string) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), method, target, strings.NewReader(body))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// The requests of the issue: a token, then the envs, at the real URLs.
const (
	tokenURL      = "https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=" + mocktest.DemoAppID + "&secret=" + mocktest.DemoSecret
	getEnvInfoURL = "https://api.weixin.qq.com/tcb/getenvinfo?access_token="
)

// tokenAndEnvs gets a token and the envs with do, which sends a request
// and returns the body, and checks what they say.
func tokenAndEnvs(t *testing.T, do func(method, target, body string) string) {
	t.Helper()
	var token struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if body := do("GET", tokenURL, ""); json.Unmarshal([]byte(body), &token) != nil || token.AccessToken == "" || token.ExpiresIn != 7200 {
		t.Fatalf("token: got %s; want an access_token for 7200 s", body)
	}
	var envs struct {
		Errcode  int `json:"errcode"`
		InfoList []struct {
			Env string `json:"env"`
		} `json:"info_list"`
	}
	body := do("POST", getEnvInfoURL+token.AccessToken, "{}")
	if json.Unmarshal([]byte(body), &envs) != nil || envs.Errcode != 0 || len(envs.InfoList) != 1 || envs.InfoList[0].Env != "test2-4a89da" {
		t.Errorf("getenvinfo: got %s; want errcode 0 and the env test2-4a89da", body)
	}
}

func TestServeProxiesAGoClientToTheFake(t *testing.T) {
	dir := t.TempDir()
	base, _ := serveInProcess(t, "--ca-dir", dir)
	if _, err := os.Stat(filepath.Join(dir, "ca.pem")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("ca.pem before the first need: %v; want none yet", err)
	}
	fetch(t, http.DefaultClient, "GET", base+caCertPath, "") // the first need
	c := trustingClient(t, dir, base)
	tokenAndEnvs(t, func(method, target, body string) string { return fetch(t, c, method, target, body) })
	requests := fetch(t, http.DefaultClient, "GET", base+"/__tcbmock/requests?operation=getEnvInfo", "")
	if !strings.Contains(requests, `"path":"/tcb/getenvinfo"`) {
		t.Errorf("journal: got %s; want the tunnelled getenvinfo", requests)
	}
}

func TestServeNamesTheCAFileOnlyOnceItExists(t *testing.T) {
	dir := t.TempDir()
	_, log := serveInProcess(t, "--ca-dir", dir)
	if line := log.String(); strings.Contains(line, "ca.pem") || !strings.Contains(line, "made at the first CONNECT") {
		t.Errorf("startup before the CA exists: got %q; want when it will be made, not a path with no file", line)
	}
	if _, _, code := runCLI(t, "ca", "--ca-dir", dir); code != 0 {
		t.Fatalf("tcbmock ca: exit %d", code)
	}
	_, log = serveInProcess(t, "--ca-dir", dir)
	if want := "ca=" + filepath.Join(dir, "ca.pem"); !strings.Contains(log.String(), want) {
		t.Errorf("startup once the CA exists: got %q; want %s", log.String(), want)
	}
}

func TestServeProxiesCurlToTheFake(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed (apt-get install curl; .ci/run installs it): the Go client's test covers the proxy")
	}
	dir := t.TempDir()
	base, _ := serveInProcess(t, "--ca-dir", dir)
	if _, _, code := runCLI(t, "ca", "--ca-dir", dir); code != 0 { // as a user would, before pointing curl at ca.pem
		t.Fatalf("tcbmock ca: exit %d", code)
	}
	tokenAndEnvs(t, func(method, target, body string) string {
		args := []string{"-q", "-sS", "--max-time", "10", "--proxy", base, "--cacert", filepath.Join(dir, "ca.pem")}
		if method == "POST" {
			args = append(args, "-d", body)
		}
		cmd := exec.CommandContext(t.Context(), curl, append(args, target)...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")} // no proxy variables, no .curlrc
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("curl %s: %v", strings.Join(args, " "), err)
		}
		return string(out)
	})
}

func TestServeRefusesAndJournalsAConnectToAnotherHost(t *testing.T) {
	other, err := net.Listen("tcp", "127.0.0.1:0") // must never be contacted
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	contacted := make(chan struct{}, 1)
	go func() {
		if conn, err := other.Accept(); err == nil {
			contacted <- struct{}{}
			conn.Close()
		}
	}()
	dir := t.TempDir()
	base, _ := serveInProcess(t, "--ca-dir", dir)
	_, err = proxyClient(base).Get("https://" + other.Addr().String() + "/")
	if err == nil || !strings.Contains(err.Error(), "Forbidden") {
		t.Errorf("got %v; want the proxy's 403 Forbidden", err)
	}
	requests := fetch(t, http.DefaultClient, "GET", base+"/__tcbmock/requests?status=403", "")
	if !strings.Contains(requests, `"method":"CONNECT","path":"`+other.Addr().String()+`"`) || !strings.Contains(requests, `"cause":"proxy request for another host"`) {
		t.Errorf("journal: got %s; want the CONNECT, its path and cause", requests)
	}
	select {
	case <-contacted:
		t.Error("the other host was contacted")
	default:
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the CA directory holds %d files; want none: a refusal needs no CA", len(entries))
	}
}

// proxyClient is a client of the proxy that trusts the system's CAs.
func proxyClient(proxy string) *http.Client {
	u, _ := url.Parse(proxy)
	return &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(u)}, Timeout: 10 * time.Second}
}

func TestServeTLSServesHTTPSAndHTTPOnItsPort(t *testing.T) {
	dir := t.TempDir()
	base, log := serveInProcess(t, "--ca-dir", dir, "--tls")
	if want := "ca=" + filepath.Join(dir, "ca.pem"); !strings.Contains(log.String(), want) {
		t.Errorf("--tls makes the CA at startup: got %q; want %s", log.String(), want)
	}
	c := trustingClient(t, dir, "")
	port := strings.TrimPrefix(base, "http://127.0.0.1:")
	for _, tc := range []struct{ name, url string }{
		{"https by address", "https://127.0.0.1:" + port},
		{"https by name", "https://localhost:" + port},
		{"http", base},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fetch(t, c, "GET", tc.url+"/__tcbmock/health", ""); got != `{"status":"ok"}` {
				t.Errorf("health: got %q", got)
			}
		})
	}
	resp, err := c.Get("https://127.0.0.1:" + port + "/__tcbmock/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	leaf := resp.TLS.PeerCertificates[0]
	names := strings.Join(leaf.DNSNames, " ")
	if !strings.Contains(names, "localhost") || !strings.Contains(names, "api.weixin.qq.com") || len(leaf.IPAddresses) == 0 || !leaf.IPAddresses[0].Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("leaf names: got %v %v; want localhost, 127.0.0.1 and api.weixin.qq.com", leaf.DNSNames, leaf.IPAddresses)
	}
	// A client that reaches the fake over TLS reaches the proxy's tunnels too.
	tokenAndEnvs(t, func(method, target, body string) string {
		return fetch(t, trustingClient(t, dir, "https://127.0.0.1:"+port), method, target, body)
	})
}

func TestServeTLSRefusesABrokenCA(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ca-key.pem"), []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second) // a serve that starts stops then
	defer cancel()
	var errOut bytes.Buffer
	err := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--ca-dir", dir, "--tls"}, io.Discard, &errOut)
	if want := filepath.Join(dir, "ca-key.pem") + ":1: bad private key"; err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v (stderr %q); want exit 1 and %s", err, errOut.String(), want)
	}
}

func TestServeServesTheCACertificateWithoutAdminToken(t *testing.T) {
	dir := t.TempDir()
	base, _ := serveInProcess(t, "--ca-dir", dir, "--admin-token", "s3cret")
	resp, err := http.Get(base + caCertPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	file, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil || resp.StatusCode != 200 || !bytes.Equal(got, file) {
		t.Errorf("got HTTP %d %q, file %q (%v); want 200 and the file", resp.StatusCode, got, file, err)
	}
}

func TestCAPrintsItsPathAndFingerprint(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := runCLI(t, "ca", "--ca-dir", dir)
	if code != 0 || !strings.Contains(errOut, "made a new certificate authority in "+dir) {
		t.Fatalf("exit %d, stderr %q; want 0 and the news of a new CA", code, errOut)
	}
	data, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	sum := sha256.Sum256(block.Bytes)
	hexSum := strings.ToUpper(hex.EncodeToString(sum[:]))
	var pairs []string
	for i := 0; i < len(hexSum); i += 2 {
		pairs = append(pairs, hexSum[i:i+2])
	}
	want := filepath.Join(dir, "ca.pem") + "\nsha256 Fingerprint=" + strings.Join(pairs, ":") + "\n"
	if out != want {
		t.Errorf("got %q; want %q", out, want)
	}
	again, errOut, code := runCLI(t, "ca", "--ca-dir", dir) // a restart keeps the CA
	if code != 0 || again != want || errOut != "" {
		t.Errorf("again: exit %d, %q, stderr %q; want 0, %q and silence", code, again, errOut, want)
	}
}

func TestCAReportsADirectoryItCannotUse(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "ca", "--ca-dir", file)
	if code != 1 || !strings.Contains(errOut, "tcbmock ca: ") || !strings.Contains(errOut, file) {
		t.Errorf("exit %d, %q; want 1 and the directory named", code, errOut)
	}
}

func TestServeClosesItsTunnelsWhenItStops(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--ca-dir", dir}, io.Discard, &stderr)
	}()
	base := waitForURL(t, stderr.String)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = io.WriteString(conn, "CONNECT api.weixin.qq.com:443 HTTP/1.1\r\nHost: api.weixin.qq.com:443\r\n\r\n")
	br := bufio.NewReader(conn)
	if resp, err := http.ReadResponse(br, &http.Request{Method: "CONNECT"}); err != nil || resp.StatusCode != 200 {
		t.Fatalf("CONNECT: %v, %v", resp, err)
	}
	tunnel := tls.Client(conn, &tls.Config{ServerName: "api.weixin.qq.com", RootCAs: trusted(t, dir)})
	_, _ = io.WriteString(tunnel, "GET /__tcbmock/health HTTP/1.1\r\nHost: api.weixin.qq.com\r\n\r\n")
	tr := bufio.NewReader(tunnel)
	resp, err := http.ReadResponse(tr, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health in the tunnel: %v, %v", resp, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body) // the tunnel is idle now, kept alive
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if _, err := tr.ReadByte(); !errors.Is(err, io.EOF) {
		t.Errorf("the idle tunnel after serve stopped: got %v; want EOF, closed", err)
	}
}

func TestCAAndServeRefuseADirectoryOthersCanWrite(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777|fs.ModeSticky); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"ca", "--ca-dir", dir}, {"serve", "--addr", "127.0.0.1:0", "--ca-dir", dir}} {
		_, errOut, code := runCLI(t, args...)
		if code != 1 || !strings.Contains(errOut, dir+": writable by group or others (mode 1777)") || !strings.Contains(errOut, "chmod 700") {
			t.Errorf("%s: exit %d, %q; want 1, the directory refused and how to fix it", args[0], code, errOut)
		}
	}
}
