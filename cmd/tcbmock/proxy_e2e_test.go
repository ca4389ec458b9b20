package main

import (
	"errors"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/drift"
	"github.com/tcbmock/tcbmock/mocktest"
	"github.com/tcbmock/tcbmock/proxy"
)

func TestProxyBinaryExits1OnSIGTERMAfterAViolationWithFailOnViolation(t *testing.T) {
	bin := buildBinary(t)
	stderr := &syncBuffer{}
	cmd := exec.Command(bin, "proxy", "--addr", "127.0.0.1:0", "--fail-on-violation", "--upstream", serve(t, drift.Handler(newFake(t))))
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := waitForURL(t, stderr.String)
	tok := stableToken(t, url, mocktest.DemoSecret)
	req, _ := http.NewRequestWithContext(t.Context(), "POST", url+"/tcb/getenvinfo?access_token="+tok, strings.NewReader("{}"))
	req.Header.Set(drift.Header, "missing-field")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get(proxy.ViolationsHeader) == "" {
		t.Fatalf("no %s on a drifting answer", proxy.ViolationsHeader)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the proxy did not stop on SIGTERM")
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("exit %v; want status 1\n%s", err, stderr.String())
	}
	for _, want := range []string{"exchanges=2 violating=1", "msg=violations operation=getEnvInfo schema=1", "1 of 2 answers broke the spec (--fail-on-violation)"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}
