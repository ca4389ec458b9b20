// Command load sends one request over and over on many keep-alive
// connections, for a bounded time or count, and prints requests/s and
// latency percentiles as JSON. It is tcbmock's benchmark load generator:
// lean enough to load a server on one core from one other core.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// result is what a run measured.
type result struct {
	Requests int64   `json:"requests"`
	Errors   int64   `json:"errors"`
	Seconds  float64 `json:"seconds"`
	RPS      float64 `json:"rps"`
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
}

type headerFlags []string

func (h *headerFlags) String() string     { return strings.Join(*h, ", ") }
func (h *headerFlags) Set(v string) error { *h = append(*h, v); return nil }

func main() {
	var headers headerFlags
	target := flag.String("url", "", "the `URL` to request")
	method := flag.String("method", "GET", "the request method")
	body := flag.String("body", "", "the request body")
	conns := flag.Int("c", 32, "connections")
	dur := flag.Duration("d", 5*time.Second, "how long to run (a bound even with -n)")
	count := flag.Int64("n", 0, "stop after this many requests (0: only -d bounds the run)")
	flag.Var(&headers, "H", "a request header, `Name: value` (repeatable)")
	flag.Parse()
	req, addr, err := buildRequest(*method, *target, *body, headers)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	res, err := run(addr, req, *conns, *dur, *count)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(res)
}

// buildRequest renders the request's bytes once.
func buildRequest(method, target, body string, headers []string) ([]byte, string, error) {
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, "", fmt.Errorf("-url %q: want http://HOST:PORT/PATH", target)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", method, u.RequestURI(), u.Host, len(body))
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n" + body)
	return b.Bytes(), u.Host, nil
}

// run drives conns connections until dur has passed or count requests were answered.
func run(addr string, req []byte, conns int, dur time.Duration, count int64) (result, error) {
	var sent, failed atomic.Int64
	stop := time.Now().Add(dur)
	lat := make([][]time.Duration, conns)
	var wg sync.WaitGroup
	errc := make(chan error, conns)
	start := time.Now()
	for i := range conns {
		wg.Go(func() {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				errc <- err
				return
			}
			defer conn.Close()
			r := bufio.NewReaderSize(conn, 16<<10)
			for time.Now().Before(stop) && (count == 0 || sent.Add(1) <= count) {
				t0 := time.Now()
				if _, err := conn.Write(req); err != nil {
					failed.Add(1)
					return
				}
				if err := readResponse(r); err != nil {
					failed.Add(1)
					return
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errc)
	if err := <-errc; err != nil {
		return result{}, err
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	res := result{Requests: int64(len(all)), Errors: failed.Load(), Seconds: elapsed.Seconds()}
	if len(all) == 0 {
		return res, errors.New("no request was answered")
	}
	res.RPS = float64(len(all)) / elapsed.Seconds()
	res.P50ms = ms(all[len(all)/2])
	res.P99ms = ms(all[len(all)*99/100])
	return res, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// readResponse reads one response with a Content-Length body.
func readResponse(r *bufio.Reader) error {
	length := -1
	for first := true; ; first = false {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return err
		}
		if first {
			continue // the status line: any status counts as an answer
		}
		if len(line) <= 2 {
			break
		}
		if k, v, ok := bytes.Cut(line, []byte(":")); ok && strings.EqualFold(string(k), "Content-Length") {
			length, err = strconv.Atoi(strings.TrimSpace(string(v)))
			if err != nil {
				return err
			}
		}
	}
	if length < 0 {
		return errors.New("an answer without Content-Length")
	}
	_, err := r.Discard(length)
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
