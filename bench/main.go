// Command bench measures tcbmock against a bare net/http server that
// answers the same bytes, in the same run: requests/s, the ratio to the bare
// server, p50/p99 latency, startup time to the first healthy answer and peak
// RSS. The server runs on one core and the load generator on the other.
//
//	go run ./bench [-d 5s] [-c 32] [-rounds 3] [-soak 1000000]
//
// Each case runs -rounds times, bare and tcbmock in turn, and the table
// shows the medians: a shared machine's speed drifts, and the ratio of
// neighbours drifts less. CPU µs/req is the server's CPU time over the
// requests it answered.
//
// Each case states the errcode it measures; a case with any answer that is
// not HTTP 2xx with that errcode, on either server, is an error, not a row.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tcbmock/tcbmock/internal/benchkit"
)

// benchCase is one kind of request.
type benchCase struct {
	name, method, path, body string
	header                   string // a request header, or ""
	token                    bool   // the path wants a minted token for TOKEN
	errcode                  int    // what every answer carries (0 when the body has none)
}

var cases = []benchCase{
	{name: "getenvinfo", method: "POST", path: "/tcb/getenvinfo?access_token=TOKEN", body: "{}", token: true, errcode: 0},
	{name: "errcode 40001", method: "POST", path: "/tcb/getenvinfo?access_token=97_" + strings.Repeat("x", 140), body: "{}", errcode: 40001},
	{name: "scenario header", method: "POST", path: "/tcb/getenvinfo?access_token=TOKEN", body: "{}", header: "X-Tcbmock-Scenario: system-busy", token: true, errcode: -1},
	{name: "stable_token", method: "POST", path: "/cgi-bin/stable_token", body: `{"grant_type":"client_credential","appid":"wxd0c0ffee00000001","secret":"d0c0ffee0000000000000000000000a1","force_refresh":false}`, errcode: 0},
}

// row is one measured line of the table.
type row struct {
	bench, server string
	load          loadResult
	ratio         float64
	startup       time.Duration
	rssKB         int
	cpuPerReq     time.Duration
}

// loadResult is what bench/load prints.
type loadResult struct {
	Requests int64            `json:"requests"`            // answers
	Good     int64            `json:"good"`                // HTTP 2xx answers with the errcode of -errcode
	Statuses map[int]int64    `json:"statuses,omitempty"`  // the answers that were not HTTP 2xx, by status
	Errcodes map[string]int64 `json:"errcodes,omitempty"`  // the HTTP 2xx answers with another errcode, by errcode
	FirstBad string           `json:"first_bad,omitempty"` // one answer that was not good
	Errors   int64            `json:"errors"`              // connections that failed
	RPS      float64          `json:"rps"`
	P50ms    float64          `json:"p50_ms"`
	P99ms    float64          `json:"p99_ms"`
}

func main() {
	dur := flag.Duration("d", 5*time.Second, "how long each case runs")
	conns := flag.Int("c", 32, "connections of the load generator")
	soak := flag.Int64("soak", 1_000_000, "requests of the soak run that measures peak RSS (0: no soak)")
	rounds := flag.Int("rounds", 3, "runs of each case; the table shows the medians")
	watch := flag.Bool("watch", false, "while tcbmock is measured, do what its admin page does when open: stream the journal, poll the clock, tokens, apps and configuration")
	flag.Parse()
	if err := run(*dur, *conns, *rounds, *soak, *watch); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(dur time.Duration, conns, rounds int, soak int64, watch bool) error {
	dir, err := os.MkdirTemp("", "tcbmock-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := func(name string) string { return filepath.Join(dir, name) }
	if err := build(dir, map[string]string{"tcbmock": "./cmd/tcbmock", "bare": "./bench/bare", "load": "./bench/load"}); err != nil {
		return err
	}
	pin := newPinning()
	fmt.Printf("server on CPU %s, load on CPU %s, %d connections, %v a case, %d rounds\n", pin.server, pin.load, conns, dur, rounds)
	if watch {
		fmt.Println("tcbmock measured with its admin page open: the journal streamed, the clock, tokens, apps and configuration polled")
	}
	fmt.Println()
	var rows []row
	for _, c := range cases {
		var bares, mocks []row
		for range rounds {
			mock, err := measure(pin, c, dir, conns, dur, 0, watch, bin("tcbmock"), "serve", "--addr", "127.0.0.1:0")
			if err != nil {
				return fmt.Errorf("%s on tcbmock: %w", c.name, err)
			}
			bare, err := measure(pin, c, dir, conns, dur, 0, false, bin("bare"), "-body", filepath.Join(dir, "answer"), "-content-type", mock.contentType)
			if err != nil {
				return fmt.Errorf("%s on bare: %w", c.name, err)
			}
			mock.row.ratio = mock.row.load.RPS / bare.row.load.RPS
			bare.row.ratio = 1
			bares, mocks = append(bares, bare.row), append(mocks, mock.row)
		}
		rows = append(rows, median(bares), median(mocks))
	}
	if soak > 0 {
		m, err := measure(pin, cases[0], dir, conns, 10*time.Minute, soak, watch, bin("tcbmock"), "serve", "--addr", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("soak: %w", err)
		}
		m.row.bench = fmt.Sprintf("getenvinfo, %d requests", m.row.load.Requests)
		rows = append(rows, m.row)
	}
	printTable(rows)
	return nil
}

// build builds each package of pkgs, by name, into dir.
func build(dir string, pkgs map[string]string) error {
	for name, pkg := range pkgs {
		if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, name), pkg).CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	return nil
}

// measured is a run of one case on one server.
type measured struct {
	row         row
	contentType string
}

// measure starts the server, waits for it, runs the case's load, and reads
// its peak RSS; it refuses answers that are not what the case measures.
// With watch, a page watches tcbmock while the load runs.
func measure(pin pinning, c benchCase, dir string, conns int, dur time.Duration, count int64, watch bool, server string, args ...string) (measured, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := pin.command(ctx, pin.server, server, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return measured{}, err
	}
	cmd.Stderr = cmd.Stdout
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return measured{}, err
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	base, err := waitForURL(out)
	if err != nil {
		return measured{}, err
	}
	healthy := base + "/__tcbmock/health"
	if filepath.Base(server) == "bare" {
		healthy = base + "/"
	}
	if err := waitHealthy(healthy); err != nil {
		return measured{}, err
	}
	m := measured{row: row{bench: c.name, server: filepath.Base(server), startup: time.Since(start)}}
	target := base + c.path
	if c.token && filepath.Base(server) == "tcbmock" {
		tok, err := mintToken(base)
		if err != nil {
			return measured{}, err
		}
		target = strings.Replace(target, "TOKEN", tok, 1)
	}
	target = strings.Replace(target, "TOKEN", "97_"+strings.Repeat("y", 140), 1)
	if filepath.Base(server) == "tcbmock" { // what the bare server will answer
		if m.contentType, err = sample(c, target, filepath.Join(dir, "answer")); err != nil {
			return measured{}, err
		}
	}
	loadArgs := []string{"-url", target, "-method", c.method, "-body", c.body, "-errcode", strconv.Itoa(c.errcode),
		"-c", strconv.Itoa(conns), "-d", dur.String(), "-n", strconv.FormatInt(count, 10)}
	if c.header != "" {
		loadArgs = append(loadArgs, "-H", c.header)
	}
	stopWatching := func() error { return nil }
	if watch && filepath.Base(server) == "tcbmock" {
		stopWatching = watchWhile(ctx, base)
	}
	cpu0 := cpuTime(cmd.Process.Pid)
	raw, err := pin.command(ctx, pin.load, filepath.Join(dir, "load"), loadArgs...).Output()
	if err != nil {
		return measured{}, fmt.Errorf("load: %v", err)
	}
	cpu := cpuTime(cmd.Process.Pid) - cpu0
	if err := stopWatching(); err != nil {
		return measured{}, err
	}
	if err := json.Unmarshal(raw, &m.row.load); err != nil {
		return measured{}, fmt.Errorf("load said %q: %v", raw, err)
	}
	if err := c.check(m.row.load); err != nil {
		return measured{}, err
	}
	if m.row.load.Requests > 0 {
		m.row.cpuPerReq = cpu / time.Duration(m.row.load.Requests)
	}
	m.row.rssKB = int(benchkit.Status(cmd.Process.Pid, "VmHWM") >> 10)
	return m, nil
}

// median returns, field by field, the median of rows.
func median(rows []row) row {
	mid := func(f func(row) float64) float64 {
		v := make([]float64, len(rows))
		for i, r := range rows {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	m := rows[0]
	m.load.RPS = mid(func(r row) float64 { return r.load.RPS })
	m.load.P50ms = mid(func(r row) float64 { return r.load.P50ms })
	m.load.P99ms = mid(func(r row) float64 { return r.load.P99ms })
	m.ratio = mid(func(r row) float64 { return r.ratio })
	m.startup = time.Duration(mid(func(r row) float64 { return float64(r.startup) }))
	m.cpuPerReq = time.Duration(mid(func(r row) float64 { return float64(r.cpuPerReq) }))
	m.rssKB = int(mid(func(r row) float64 { return float64(r.rssKB) }))
	for _, r := range rows {
		m.load.Errors += r.load.Errors
	}
	return m
}

// cpuTime reads a process's user and system CPU time so far.
func cpuTime(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command, which is in parentheses: utime and stime are the 12th and 13th.
	_, rest, _ := bytes.Cut(data, []byte(") "))
	f := strings.Fields(string(rest))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// clockTicks is the kernel's USER_HZ, 100 on Linux.
const clockTicks = 100

var listenRe = regexp.MustCompile(`(?:url=http://|listening on )(127\.0\.0\.1:\d+)`)

// waitForURL reads the server's output until it says where it listens.
func waitForURL(out io.Reader) (string, error) {
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := listenRe.FindStringSubmatch(sc.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			return "http://" + m[1], nil
		}
	}
	return "", fmt.Errorf("the server never said where it listens")
}

// waitHealthy polls url every millisecond until it answers 200, for at most 10 s.
func waitHealthy(url string) error {
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if resp, err := client.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("%s never answered 200", url)
}

// pinning puts the server and the load generator on different CPUs, when
// the machine has two and taskset.
type pinning struct{ server, load string }

func newPinning() pinning {
	if _, err := exec.LookPath("taskset"); err != nil || runtime.NumCPU() < 2 {
		fmt.Fprintln(os.Stderr, "bench: no taskset or one CPU: server and load share the CPUs")
		return pinning{server: "any", load: "any"}
	}
	return pinning{server: "1", load: "0"}
}

func (p pinning) command(ctx context.Context, cpu, name string, args ...string) *exec.Cmd {
	if cpu == "any" {
		return exec.CommandContext(ctx, name, args...)
	}
	return exec.CommandContext(ctx, "taskset", append([]string{"-c", cpu, name}, args...)...)
}

func printTable(rows []row) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "case\tserver\treq/s\tvs bare\tp50 ms\tp99 ms\tCPU µs/req\tstartup ms\tpeak RSS MB\terrors\t")
	for _, r := range rows {
		ratio := "-"
		if r.ratio > 0 {
			ratio = fmt.Sprintf("%.2f", r.ratio)
		}
		fmt.Fprintf(w, "%s\t%s\t%.0f\t%s\t%.2f\t%.2f\t%.1f\t%.1f\t%.1f\t%d\t\n", r.bench, r.server, r.load.RPS, ratio,
			r.load.P50ms, r.load.P99ms, float64(r.cpuPerReq.Nanoseconds())/1000, float64(r.startup.Microseconds())/1000, float64(r.rssKB)/1024, r.load.Errors)
	}
	_ = w.Flush()
}
