// Command world measures tcbmock serving a large generated world: for each
// size, a world.yaml of that many apps, each with 3 envs (as
// BenchmarkLoadWorld in mock writes them), served with --scenarios; it
// prints the time from the start to the first healthy answer and the
// resident memory then (VmRSS), each also per app beyond the embedded
// world's (its own row),
// and the time and size of GET /__tcbmock/apps. Each figure is the median
// of -rounds starts. The server listens on 127.0.0.1 and nothing else is
// contacted.
//
//	go run ./bench/world [-apps 1000,10000] [-rounds 3] [-bin tcbmock]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock/internal/benchkit"
)

func main() {
	apps := flag.String("apps", "1000,10000", "the sizes of world to measure, in apps, comma-separated")
	rounds := flag.Int("rounds", 3, "starts of each size; the figures are the medians")
	bin := flag.String("bin", "", "the tcbmock binary to measure (default: build ./cmd/tcbmock)")
	flag.Parse()
	if err := run(*apps, *rounds, *bin); err != nil {
		fmt.Fprintln(os.Stderr, "world:", err)
		os.Exit(1)
	}
}

func run(sizes string, rounds int, bin string) error {
	dir, err := os.MkdirTemp("", "tcbmock-world")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if bin == "" {
		bin = filepath.Join(dir, "tcbmock")
		if out, err := exec.Command("go", "build", "-o", bin, "./cmd/tcbmock").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	empty, err := measure(bin, dir, 0, rounds)
	if err != nil {
		return err
	}
	fmt.Printf("%8s  %9s  %12s  %11s  %14s  %12s  %10s\n", "apps", "start s", "start µs/app", "resident MB", "resident B/app", "GET apps ms", "GET apps MB")
	fmt.Printf("%8s  %9.2f  %12s  %11.1f  %14s  %12.0f  %10.1f\n", "embedded", empty.start.Seconds(), "-", float64(empty.rss)/(1<<20), "-", float64(empty.list.Milliseconds()), float64(empty.listBytes)/(1<<20))
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return fmt.Errorf("-apps: %q is no count of apps", s)
		}
		m, err := measure(bin, dir, n, rounds)
		if err != nil {
			return fmt.Errorf("%d apps: %w", n, err)
		}
		fmt.Printf("%8d  %9.2f  %12.0f  %11.1f  %14.0f  %12.0f  %10.1f\n", n, m.start.Seconds(),
			float64((m.start-empty.start).Microseconds())/float64(n), float64(m.rss)/(1<<20),
			float64(m.rss-empty.rss)/float64(n), float64(m.list.Milliseconds()), float64(m.listBytes)/(1<<20))
	}
	return nil
}

// measured is what a start of tcbmock with a world showed: medians.
type measured struct {
	start, list time.Duration
	rss         int64
	listBytes   int
}

// measure serves a world of n apps (none: the embedded world alone) rounds
// times, and returns the medians.
func measure(bin, dir string, n, rounds int) (measured, error) {
	world := filepath.Join(dir, fmt.Sprintf("world-%d", n))
	if err := os.MkdirAll(world, 0o755); err != nil {
		return measured{}, err
	}
	if err := os.WriteFile(filepath.Join(world, "world.yaml"), benchkit.World(n), 0o644); err != nil {
		return measured{}, err
	}
	var all []measured
	for range rounds {
		m, err := serveOnce(bin, world)
		if err != nil {
			return measured{}, err
		}
		all = append(all, m)
	}
	mid := func(f func(measured) int64) int64 {
		v := make([]int64, len(all))
		for i, m := range all {
			v[i] = f(m)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return measured{
		start:     time.Duration(mid(func(m measured) int64 { return int64(m.start) })),
		list:      time.Duration(mid(func(m measured) int64 { return int64(m.list) })),
		rss:       mid(func(m measured) int64 { return m.rss }),
		listBytes: int(mid(func(m measured) int64 { return int64(m.listBytes) })),
	}, nil
}

var urlRe = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)

// serveOnce starts tcbmock on world, waits for its first healthy answer,
// reads its resident memory, lists its apps, and stops it.
func serveOnce(bin, world string) (measured, error) {
	var m measured
	t0 := time.Now()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--scenarios", world)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return m, err
	}
	if err := cmd.Start(); err != nil {
		return m, err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	base := ""
	lines := bufio.NewScanner(stderr)
	for base == "" && lines.Scan() {
		if u := urlRe.FindStringSubmatch(lines.Text()); u != nil {
			base = u[1]
		}
	}
	if base == "" {
		return m, fmt.Errorf("%s printed no URL", bin)
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()
	if _, _, err := get(base + "/__tcbmock/health"); err != nil {
		return m, err
	}
	m.start = time.Since(t0)
	m.rss = benchkit.Status(cmd.Process.Pid, "VmRSS")
	t1 := time.Now()
	_, size, err := get(base + "/__tcbmock/apps")
	m.list, m.listBytes = time.Since(t1), size
	return m, err
}

// get sends GET url, and returns the status and the body's size.
func get(url string) (int, int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	return resp.StatusCode, int(n), err
}
