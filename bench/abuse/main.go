// Command abuse measures how a tcbmock server holds under ordinary requests
// sent in abusive numbers: its resident memory after each kind, and how
// fast one client's getenvinfo goes while another app floods
// /cgi-bin/token. Then the attacks on memory, each with the peak of the
// server's resident memory (sampled every 20 ms) against the bound it must
// stay under: a token flood, a full journal of maximal entries, and 300
// journal streams that never read. Every loop is bounded in count and in
// time; the server listens on 127.0.0.1 and nothing else is contacted.
//
//	go run ./bench/abuse [-bin tcbmock] [-n 100000] [-d 5s] [-attacks]
//
// Without -bin it builds ./cmd/tcbmock. Run it against a binary of another
// commit to compare.
package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tcbmock/tcbmock/internal/benchkit"
)

const (
	demoAppID    = "wxd0c0ffee00000001"
	demoSecret   = "d0c0ffee0000000000000000000000a1"
	secondAppID  = "wxd0c0ffee00000002"
	secondSecret = "d0c0ffee0000000000000000000000a2"
)

func main() {
	bin := flag.String("bin", "", "the tcbmock binary to measure (default: build ./cmd/tcbmock)")
	n := flag.Int("n", 100_000, "requests of the sequence-key case")
	d := flag.Duration("d", 5*time.Second, "how long each rate is measured")
	attacksOnly := flag.Bool("attacks", false, "run only the attacks on memory, with their bounds")
	flag.Parse()
	if err := run(*bin, *n, *d, *attacksOnly); err != nil {
		fmt.Fprintln(os.Stderr, "abuse:", err)
		os.Exit(1)
	}
}

// run measures each case on a server of its own, and prints a line each.
func run(bin string, n int, d time.Duration, attacksOnly bool) error {
	if bin == "" {
		dir, err := os.MkdirTemp("", "tcbmock-abuse")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "tcbmock")
		if out, err := exec.Command("go", "build", "-o", bin, "./cmd/tcbmock").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	if attacksOnly {
		return runAttacks(bin)
	}
	for _, c := range []struct {
		name string
		run  func(s *server) (string, error)
	}{
		{fmt.Sprintf("%d sequence keys of 16 hex digits", n), func(s *server) (string, error) { return s.sequenceKeys(n, 16) }},
		{"600 sequence keys of 512 KiB", func(s *server) (string, error) { return s.sequenceKeys(600, 512<<10) }},
		{"1000 bodies of 1 MiB, then 1000 queries of 1 MB", func(s *server) (string, error) { return s.bigRequests() }},
		{"a /cgi-bin/token flood beside a getenvinfo client", func(s *server) (string, error) { return s.tokenFlood(d) }},
	} {
		s, err := start(bin)
		if err != nil {
			return err
		}
		before := s.rss()
		what, err := c.run(s)
		after := s.rss()
		s.stop()
		if err != nil {
			what = "FAILED: " + err.Error() // the server could not keep up: say so, and go on
		}
		fmt.Printf("%-52s RSS %4d MB -> %4d MB  %s\n", c.name, before>>20, after>>20, what)
	}
	return runAttacks(bin)
}

// server is a running tcbmock serve.
type server struct {
	cmd    *exec.Cmd
	url    string
	client *http.Client
}

var urlRe = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)

func start(bin string, args ...string) (*server, error) {
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		if m := urlRe.FindStringSubmatch(lines.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, stderr) }()
			return &server{cmd: cmd, url: m[1], client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}, nil
		}
	}
	_ = cmd.Process.Kill()
	return nil, fmt.Errorf("%s printed no URL", bin)
}

func (s *server) stop() { _ = s.cmd.Process.Kill(); _ = s.cmd.Wait() }

// rss returns the server's resident memory in bytes.
func (s *server) rss() int64 { return benchkit.Status(s.cmd.Process.Pid, "VmRSS") }

// do sends a request and returns the status and body.
func (s *server) do(method, path, body string, header ...string) (int, []byte, error) {
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

// token gets a /cgi-bin/token token for the app.
func (s *server) token(appid, secret string) (string, error) {
	_, body, err := s.do("GET", "/cgi-bin/token?grant_type=client_credential&appid="+appid+"&secret="+secret, "")
	if err != nil {
		return "", err
	}
	var t struct {
		AccessToken string `json:"access_token"`
	}
	if json.Unmarshal(body, &t) != nil || t.AccessToken == "" {
		return "", fmt.Errorf("no token: %s", body)
	}
	return t.AccessToken, nil
}

// parallel runs n calls of f on 8 goroutines, and counts the statuses.
func parallel(n int, f func(i int) (int, error)) (map[int]int, error) {
	var mu sync.Mutex
	statuses := map[int]int{}
	var next atomic.Int64
	var firstErr error
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				status, err := f(i)
				mu.Lock()
				statuses[status]++
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return statuses, firstErr
}

func (s *server) sequenceKeys(n, size int) (string, error) {
	tok, err := s.token(demoAppID, demoSecret)
	if err != nil {
		return "", err
	}
	statuses, err := parallel(n, func(int) (int, error) {
		key := make([]byte, (size+1)/2)
		_, _ = rand.Read(key)
		status, _, err := s.do("POST", "/tcb/getenvinfo?access_token="+tok, "{}", "X-Tcbmock-Scenario", "retry-then-ok; key="+hex.EncodeToString(key)[:size])
		return status, err
	})
	return fmt.Sprintf("answers by HTTP status %v", statuses), err
}

func (s *server) bigRequests() (string, error) {
	body := `{"env":"` + strings.Repeat("x", 1<<20-10) + `"}`
	query := "access_token=" + strings.Repeat("q", 1_000_000)
	statuses, err := parallel(1000, func(int) (int, error) {
		status, _, err := s.do("POST", "/tcb/getenvinfo", body)
		return status, err
	})
	if err != nil {
		return "", err
	}
	more, err := parallel(1000, func(int) (int, error) {
		status, _, err := s.do("POST", "/tcb/getenvinfo?"+query, "{}")
		return status, err
	})
	if err != nil {
		return "", err
	}
	// Read the journal while another client asks for a token.
	done := make(chan time.Duration, 1)
	go func() {
		time.Sleep(20 * time.Millisecond)
		start := time.Now()
		_, _ = s.token(demoAppID, demoSecret)
		done <- time.Since(start)
	}()
	start := time.Now()
	_, journal, err := s.do("GET", "/__tcbmock/requests", "")
	took := time.Since(start)
	return fmt.Sprintf("answers %v %v; GET requests (%d KB) took %v, a token call beside it %v",
		statuses, more, len(journal)>>10, took.Round(time.Millisecond), (<-done).Round(time.Millisecond)), err
}

func (s *server) tokenFlood(d time.Duration) (string, error) {
	tok, err := s.token(demoAppID, demoSecret)
	if err != nil {
		return "", err
	}
	victim := func() (float64, error) {
		n := 0
		start := time.Now()
		for time.Since(start) < d {
			status, body, err := s.do("POST", "/tcb/getenvinfo?access_token="+tok, "{}")
			if err != nil || status != http.StatusOK || !bytes.HasPrefix(body, []byte(`{"errcode":0,`)) {
				return 0, fmt.Errorf("getenvinfo: HTTP %d %.80s %v", status, body, err)
			}
			n++
		}
		return float64(n) / time.Since(start).Seconds(), nil
	}
	alone, err := victim()
	if err != nil {
		return "", err
	}
	stop := make(chan struct{})
	var issued atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() { // one flooding client, as one getenvinfo client
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.token(secondAppID, secondSecret); err == nil {
				issued.Add(1)
			}
		}
	})
	loaded, err := victim()
	close(stop)
	wg.Wait()
	return fmt.Sprintf("getenvinfo %.0f req/s alone, %.0f req/s beside %d tokens issued (%.2fx)",
		alone, loaded, issued.Load(), alone/max(loaded, 1)), err
}
