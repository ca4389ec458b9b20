package mock

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The faults a scenario step can inject, besides a delay.
const (
	faultReset              = "reset"               // the connection is reset, nothing answered
	faultTruncate           = "truncate"            // the answer's headers, then half its body, then the connection closes
	faultDribble            = "dribble"             // the answer, a byte at a time, over the step's dribble
	faultNotJSON            = "not-json"            // HTTP 200 with an HTML body
	faultBadGateway         = "bad-gateway"         // HTTP 502, as a gateway in front of the server answers
	faultServiceUnavailable = "service-unavailable" // HTTP 503
	faultGatewayTimeout     = "gateway-timeout"     // HTTP 504
)

// replacing faults answer in place of the server; the others change how
// its answer is delivered.
var replacing = map[string]int{
	faultReset: 0, faultNotJSON: http.StatusOK, faultBadGateway: http.StatusBadGateway,
	faultServiceUnavailable: http.StatusServiceUnavailable, faultGatewayTimeout: http.StatusGatewayTimeout,
}

var faults = []string{faultReset, faultTruncate, faultDribble, faultNotJSON, faultBadGateway, faultServiceUnavailable, faultGatewayTimeout}

// defaultDribble is how long a dribbled body takes unless the step says.
const defaultDribble = 2 * time.Second

// maxDelay bounds a step's delay and dribble.
const maxDelay = 5 * time.Minute

// delay is a step's latency: Min, or a random time between Min and Max.
type delay struct {
	Min, Max time.Duration
}

// parseDelay reads "200ms", or "100ms..500ms" for a range with jitter.
func parseDelay(s string) (delay, error) {
	lo, hi, isRange := strings.Cut(s, "..")
	min, err := time.ParseDuration(strings.TrimSpace(lo))
	if err != nil {
		return delay{}, fmt.Errorf("delay %q: want a duration such as 200ms, or a range such as 100ms..500ms", s)
	}
	max := min
	if isRange {
		if max, err = time.ParseDuration(strings.TrimSpace(hi)); err != nil {
			return delay{}, fmt.Errorf("delay %q: want a duration such as 200ms, or a range such as 100ms..500ms", s)
		}
	}
	if min < 0 || max < min || max > maxDelay {
		return delay{}, fmt.Errorf("delay %q: want 0 <= min <= max <= %v", s, maxDelay)
	}
	return delay{min, max}, nil
}

func (d delay) String() string {
	if d.Max == d.Min {
		return d.Min.String()
	}
	return d.Min.String() + ".." + d.Max.String()
}

// pick returns the delay of one answer.
func (d delay) pick() time.Duration {
	if d.Max == d.Min {
		return d.Min
	}
	return d.Min + rand.N(d.Max-d.Min+1)
}

// faultAnswer is what a replacing fault answers.
func faultAnswer(fault string) answer {
	status := replacing[fault]
	a := answer{status: status, contentType: "text/html; charset=utf-8", fault: fault}
	switch fault {
	case faultNotJSON:
		a.body = []byte("<html>\r\n<head><title>system busy</title></head>\r\n<body>system busy</body>\r\n</html>\r\n")
	case faultReset:
	default:
		title := strconv.Itoa(status) + " " + http.StatusText(status)
		a.body = []byte("<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
			"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
	}
	return a
}

// deliver sends a to the client, with its delay and fault.
func deliver(w http.ResponseWriter, r *http.Request, a answer) {
	if !sleep(r.Context(), a.delay) {
		return
	}
	switch a.fault {
	case faultReset:
		reset(w)
	case faultTruncate:
		writeHead(w, a)
		_, _ = w.Write(a.body[:len(a.body)/2])
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler) // net/http closes the connection mid-body
	case faultDribble:
		dribble(w, r, a)
	default:
		writeHead(w, a)
		_, _ = w.Write(a.body)
	}
}

// sleep waits d, or less if ctx ends first; it reports whether it waited all of d.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// reset closes the connection with a TCP RST: the client reads "connection reset by peer".
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // not hijackable (HTTP/2, a recorder): abort as near as can be
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// dribble writes the body a byte at a time, spread over a.dribble.
func dribble(w http.ResponseWriter, r *http.Request, a answer) {
	writeHead(w, a)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	gap := a.dribble / time.Duration(max(len(a.body), 1))
	for i := range a.body {
		if _, err := w.Write(a.body[i : i+1]); err != nil {
			return
		}
		_ = rc.Flush()
		if !sleep(r.Context(), gap) {
			return
		}
	}
}
