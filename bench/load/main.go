// Command load sends one request over and over on many keep-alive
// connections, for a bounded time or count, and prints requests/s, latency
// percentiles and what the answers were as JSON. It is tcbmock's benchmark
// load generator: lean enough to load a server on one core from one other
// core.
//
// An answer is good when it is HTTP 2xx and carries the errcode -errcode
// (0 when its body has none, as WeChat's token answers); the others are
// counted apart, by status or by errcode.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"
)

// result is what a run measured.
type result struct {
	Requests int64            `json:"requests"`            // answers received
	Good     int64            `json:"good"`                // HTTP 2xx answers with the errcode wanted
	Statuses map[int]int64    `json:"statuses,omitempty"`  // the answers that were not HTTP 2xx, by status
	Errcodes map[string]int64 `json:"errcodes,omitempty"`  // the HTTP 2xx answers with another errcode, by errcode
	FirstBad string           `json:"first_bad,omitempty"` // an answer that was not good, for messages
	Errors   int64            `json:"errors"`              // connections that failed
	Seconds  float64          `json:"seconds"`
	RPS      float64          `json:"rps"`
	P50ms    float64          `json:"p50_ms"`
	P99ms    float64          `json:"p99_ms"`
}

type headerFlags []string

func (h *headerFlags) String() string     { return strings.Join(*h, ", ") }
func (h *headerFlags) Set(v string) error { *h = append(*h, v); return nil }

func main() {
	var headers headerFlags
	var cfg config
	target := flag.String("url", "", "the `URL` to request")
	method := flag.String("method", "GET", "the request method")
	body := flag.String("body", "", "the request body")
	flag.IntVar(&cfg.errcode, "errcode", 0, "the errcode of a good answer")
	flag.IntVar(&cfg.conns, "c", 32, "connections")
	flag.DurationVar(&cfg.dur, "d", 5*time.Second, "how long to run (a bound even with -n)")
	flag.Int64Var(&cfg.count, "n", 0, "stop after this many requests (0: only -d bounds the run)")
	flag.Var(&headers, "H", "a request header, `Name: value` (repeatable)")
	flag.Parse()
	var err error
	if cfg.req, cfg.addr, err = buildRequest(*method, *target, *body, headers); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	res, err := run(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	if bad := res.Requests - res.Good; bad > 0 {
		fmt.Fprintf(os.Stderr, "load: %d of %d answers were not HTTP 2xx with errcode %d, such as %s\n", bad, res.Requests, cfg.errcode, res.FirstBad)
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
