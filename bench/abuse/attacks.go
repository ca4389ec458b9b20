package main

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"time"
)

// The bounds the attacks must keep the server's resident memory under,
// above what it held before each: the live data each attack can make the
// server hold, times what Go's collector lets the heap grow to over its
// live data (serve sets GOGC=200: three times). The journal's live data is
// its byte bound (64 MiB by default), with room for the rest; the silent
// streams' is the 1000 fat entries they are sent (about 16 MiB) and an
// event of at most mock.MaxEventBytes (512 KiB) in flight on each of
// mock.MaxStreams (32) streams.
const (
	tokenFloodBound    = 32 << 20
	fullJournalBound   = 3*64<<20 + 32<<20
	silentStreamsBound = 3 * (16<<20 + 32*512<<10)
)

// attack is one attack on memory, run on a server of its own.
type attack struct {
	name  string
	args  []string
	bound int64
	run   func(s *server) (string, error)
}

// runAttacks runs each attack and prints its peak memory against its bound.
func runAttacks(bin string) error {
	for _, a := range []attack{
		{"100000 /cgi-bin/token calls on 8 clients", nil, tokenFloodBound, (*server).tokenCalls},
		{"a journal filled with 20000 maximal entries", []string{"--journal-size", "100000"}, fullJournalBound, (*server).fullJournal},
		{"300 journal streams that never read", nil, silentStreamsBound, (*server).silentStreams},
	} {
		s, err := start(bin, a.args...)
		if err != nil {
			return err
		}
		before := s.rss()
		peak := s.watchPeak()
		what, err := a.run(s)
		top := peak()
		s.stop()
		if err != nil {
			what = "FAILED: " + err.Error()
		}
		verdict := "within its bound"
		if top-before > a.bound {
			verdict = "OVER its bound"
		}
		fmt.Printf("%-52s RSS %4d MB, peak %4d MB: +%d MB, bound +%d MB, %s; %s\n", a.name, before>>20, top>>20, (top-before)>>20, a.bound>>20, verdict, what)
	}
	return nil
}

// watchPeak samples the server's resident memory every 20 ms until the
// returned function is called, which returns the largest sample.
func (s *server) watchPeak() func() int64 {
	var peak atomic.Int64
	peak.Store(s.rss())
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if r := s.rss(); r > peak.Load() {
					peak.Store(r)
				}
			}
		}
	}()
	return func() int64 { close(stop); <-done; return max(peak.Load(), s.rss()) }
}

func (s *server) tokenCalls() (string, error) {
	statuses, err := parallel(100_000, func(int) (int, error) {
		status, _, err := s.do("GET", "/cgi-bin/token?grant_type=client_credential&appid="+secondAppID+"&secret="+secondSecret, "")
		return status, err
	})
	if err != nil {
		return "", err
	}
	start := time.Now()
	_, body, err := s.do("GET", "/__tcbmock/tokens", "")
	total := "?"
	if i := strings.Index(string(body), `"total":`); i >= 0 {
		total = strings.TrimRight(strings.SplitN(string(body[i+8:]), ",", 2)[0], "}")
	}
	return fmt.Sprintf("answers %v; GET tokens lists %s live, in %v", statuses, total, time.Since(start).Round(time.Millisecond)), err
}

func (s *server) fullJournal() (string, error) {
	part := strings.Repeat("x", 5<<10) // 5 KB of query, header and body, as a request can carry
	statuses, err := parallel(20_000, func(int) (int, error) {
		status, _, err := s.do("POST", "/tcb/getenvinfo?access_token="+part, `{"env":"`+part+`"}`, "X-Fat", part)
		return status, err
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("answers %v", statuses), nil
}

// silentStreams fills the journal with 1000 fat entries, opens 300
// streams whose clients never read, then waits out a stream's lifetime
// (a minute, and its write timeout) and opens one more: it must be
// answered, so the silent ones have ended.
func (s *server) silentStreams() (string, error) {
	part := strings.Repeat("x", 5<<10)
	if _, err := parallel(1000, func(int) (int, error) {
		status, _, err := s.do("POST", "/tcb/getenvinfo?access_token="+part, `{"env":"`+part+`"}`, "X-Fat", part)
		return status, err
	}); err != nil {
		return "", err
	}
	host := strings.TrimPrefix(s.url, "http://")
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 300 {
		c, err := net.Dial("tcp", host)
		if err != nil {
			return "", err
		}
		conns = append(conns, c)
		if _, err := fmt.Fprintf(c, "GET /__tcbmock/requests/stream HTTP/1.1\r\nHost: %s\r\n\r\n", host); err != nil {
			return "", err
		}
	}
	// Read only each answer's status line, not its events.
	counts := map[string]int{}
	for _, c := range conns {
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		line, err := bufio.NewReaderSize(c, 64).ReadString('\n')
		if err != nil {
			line = "no status: " + err.Error()
		}
		counts[strings.TrimSpace(line)]++
	}
	time.Sleep(time.Minute + 15*time.Second) // a stream's lifetime, then its write timeout
	c, err := net.Dial("tcp", host)
	if err != nil {
		return "", err
	}
	defer c.Close()
	fmt.Fprintf(c, "GET /__tcbmock/requests/stream HTTP/1.1\r\nHost: %s\r\n\r\n", host)
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	after, _ := bufio.NewReader(c).ReadString('\n')
	return fmt.Sprintf("status lines %v; a stream after their lifetime: %s", counts, strings.TrimSpace(after)), nil
}
