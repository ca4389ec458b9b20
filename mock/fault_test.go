package mock_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock"
)

// serve runs the fake on a loopback port.
func (f *fake) serve() *httptest.Server {
	srv := httptest.NewServer(f)
	f.t.Cleanup(srv.Close)
	return srv
}

// rawExchange sends one getenvinfo request over a new connection with the
// scenario header, and returns all the client reads before the connection
// ends, and the read error.
func rawExchange(t *testing.T, srv *httptest.Server, token, scenario string) ([]byte, error) {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := "POST /tcb/getenvinfo?access_token=" + token + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n" +
		mock.ScenarioHeader + ": " + scenario + "\r\nConnection: close\r\n\r\n{}"
	if _, err := conn.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	return io.ReadAll(conn)
}

func TestFaultConnectionReset(t *testing.T) {
	f := newFake(t)
	srv := f.serve()
	got, err := rawExchange(t, srv, f.token(demoAppID, demoSecret), "connection-reset")
	if len(got) != 0 || !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("read %q, %v; want nothing and connection reset by peer", got, err)
	}
	if e := f.Journal(mock.Filter{}); e[len(e)-1].Fault != "reset" {
		t.Errorf("journal: %+v", e[len(e)-1])
	}
}

func TestFaultTruncatedBody(t *testing.T) {
	f := newFake(t)
	srv := f.serve()
	tok := f.token(demoAppID, demoSecret)
	full := f.envs(tok, "{}").Body
	got, err := rawExchange(t, srv, tok, "truncated-body")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(string(got))), nil)
	if err != nil {
		t.Fatalf("headers: %v in %q", err, got)
	}
	body, err := io.ReadAll(resp.Body)
	if resp.ContentLength != int64(len(full)) || string(body) != string(full[:len(full)/2]) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Content-Length %d, body %q, %v; want %d promised, the first half %q, and unexpected EOF", resp.ContentLength, body, err, len(full), full[:len(full)/2])
	}
}

func TestFaultNotJSONBody(t *testing.T) {
	f := newFake(t)
	_, resp := f.raw("POST", "/tcb/getenvinfo", "{}", mock.ScenarioHeader+": not-json-body")
	body, _ := io.ReadAll(resp.Body)
	want := "<html>\r\n<head><title>system busy</title></head>\r\n<body>system busy</body>\r\n</html>\r\n"
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" || string(body) != want {
		t.Errorf("got HTTP %d %s %q; want 200 text/html %q", resp.StatusCode, resp.Header.Get("Content-Type"), body, want)
	}
}

func TestFaultGatewayPages(t *testing.T) {
	f := newFake(t)
	for scenario, status := range map[string]int{"bad-gateway": 502, "service-unavailable": 503} {
		_, resp := f.raw("POST", "/tcb/getenvinfo", "{}", mock.ScenarioHeader+": "+scenario)
		body, _ := io.ReadAll(resp.Body)
		title := map[int]string{502: "502 Bad Gateway", 503: "503 Service Unavailable"}[status]
		want := "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
		if resp.StatusCode != status || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" || string(body) != want {
			t.Errorf("%s: got HTTP %d %s %q; want %d %q", scenario, resp.StatusCode, resp.Header.Get("Content-Type"), body, status, want)
		}
	}
}

func TestFaultGatewayTimeoutAfterItsDelay(t *testing.T) {
	f := newFake(t)
	start := time.Now()
	_, resp := f.raw("POST", "/tcb/getenvinfo", "{}", mock.ScenarioHeader+": gateway-timeout")
	if took := time.Since(start); resp.StatusCode != 504 || took < time.Second {
		t.Errorf("got HTTP %d after %v; want 504 after at least 1 s", resp.StatusCode, took)
	}
}

// faultConfig loads the default world with one extra scenario file.
func faultConfig(t *testing.T, yaml string) *mock.Config {
	t.Helper()
	c, err := loadScenarios(t, yaml)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const fastFaults = `apps:
  - appid: wx0123456789abcdef
    secret: 0123456789abcdef0123456789abcdef
    envs: []
scenarios:
  - name: delayed
    description: a fixed delay
    delay: 300ms
    errcode: -1
  - name: jitter
    description: a delay between 100 and 200 ms
    delay: 100ms..200ms
    natural: true
  - name: dribble
    description: a dribbled body
    fault: dribble
    dribble: 400ms
    errcode: -1
`

func TestFaultDelayWaitsBeforeAnswering(t *testing.T) {
	f := newFake(t, mock.WithConfig(faultConfig(t, fastFaults)))
	start := time.Now()
	rep := f.envs("", "{}", mock.ScenarioHeader+": delayed")
	if took := time.Since(start); took < 300*time.Millisecond || rep.Errcode != -1 {
		t.Errorf("answered errcode %d after %v; want -1 after at least 300 ms", rep.Errcode, took)
	}
	for range 5 {
		start := time.Now()
		f.envs("", "{}", mock.ScenarioHeader+": jitter")
		if took := time.Since(start); took < 100*time.Millisecond {
			t.Errorf("a jittered answer came after %v; want at least 100 ms", took)
		}
	}
}

func TestFaultDribbleSendsTheBodyAByteAtATime(t *testing.T) {
	f := newFake(t, mock.WithConfig(faultConfig(t, fastFaults)))
	srv := f.serve()
	req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL+"/tcb/getenvinfo", strings.NewReader("{}"))
	req.Header.Set(mock.ScenarioHeader, "dribble")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start := time.Now()
	var reads int
	var body []byte
	buf := make([]byte, 64)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			reads++
			body = append(body, buf[:n]...)
		}
		if err != nil {
			break
		}
	}
	took := time.Since(start)
	if !apispec.RIDPattern.Match([]byte(strings.TrimSuffix(string(body), `"}`))) || took < 300*time.Millisecond || reads < len(body)/2 {
		t.Errorf("read %q in %d reads over %v; want the whole answer, about a byte a read, over about 400 ms", body, reads, took)
	}
}

func TestFaultAbortsWhenTheClientGoesAway(t *testing.T) {
	f := newFake(t)
	arrived := make(chan struct{})
	var wrote atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		f.ServeHTTP(&writeSpy{ResponseWriter: w, wrote: &wrote}, r)
	}))
	ctx, cancel := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/tcb/getenvinfo", strings.NewReader("{}"))
	req.Header.Set(mock.ScenarioHeader, "slow-answer")
	go func() { <-arrived; cancel() }() // the client leaves while the answer waits its 3 s
	if _, err := srv.Client().Do(req); err == nil {
		t.Fatal("the answer came, though the client left before it was due")
	}
	srv.Close() // returns once the handler has returned
	if wrote.Load() {
		t.Error("the handler sat out its delay and answered a client that had gone")
	}
}

// writeSpy records whether a handler wrote anything.
type writeSpy struct {
	http.ResponseWriter
	wrote *atomic.Bool
}

func (w *writeSpy) WriteHeader(status int) { w.wrote.Store(true); w.ResponseWriter.WriteHeader(status) }
func (w *writeSpy) Write(p []byte) (int, error) {
	w.wrote.Store(true)
	return w.ResponseWriter.Write(p)
}

func TestResetThenOKRetries(t *testing.T) {
	f := newFake(t)
	srv := f.serve()
	tok := f.token(demoAppID, demoSecret)
	if _, err := rawExchange(t, srv, tok, "reset-then-ok; key=r"); !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("first call: %v; want a reset", err)
	}
	got, err := rawExchange(t, srv, tok, "reset-then-ok; key=r")
	if err != nil || !strings.Contains(string(got), `"errcode":0`) {
		t.Errorf("second call: %q, %v; want the real answer", got, err)
	}
}
