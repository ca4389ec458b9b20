package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/proxy"
)

// proxyOptions are proxy's flags.
type proxyOptions struct {
	upstream, addr, spec, record string
	admin                        adminFlags
	journalSize, journalBytes    int
	timeouts                     proxy.Timeouts
	failOnViolation, verbose     bool
}

func proxyFlags(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	var o proxyOptions
	fs.StringVar(&o.upstream, "upstream", "", "forward to `URL`: https://api.weixin.qq.com, or http:// on this machine (a fake)")
	fs.StringVar(&o.addr, "addr", cmp.Or(os.Getenv("TCBMOCK_ADDR"), "127.0.0.1:8080"), "listen on `HOST:PORT` (port 0 picks a free one; or $TCBMOCK_ADDR)")
	fs.StringVar(&o.spec, "spec", "", "check answers against the OpenAPI spec `FILE` (default: the embedded openapi.yaml)")
	fs.StringVar(&o.record, "record", "", "record what the answers reveal into `DIR`/"+proxy.RecordFile+", which tcbmock serve --scenarios DIR replays")
	o.admin.register(fs)
	fs.BoolVar(&o.failOnViolation, "fail-on-violation", false, "exit 1 on shutdown if any answer broke the spec")
	fs.IntVar(&o.journalSize, "journal-size", mock.DefaultJournalSize, fmt.Sprintf("keep the last `N` exchanges in the journal (at most %d)", mock.MaxJournalSize))
	fs.IntVar(&o.journalBytes, "journal-bytes", mock.DefaultJournalBytes, journalBytesUsage)
	fs.DurationVar(&o.timeouts.Connect, "connect-timeout", proxy.DefaultConnectTimeout, "give up connecting to the upstream after `D`, TLS handshake included")
	fs.DurationVar(&o.timeouts.Header, "header-timeout", proxy.DefaultHeaderTimeout, "give up on an answer whose headers take longer than `D`")
	fs.DurationVar(&o.timeouts.Answer, "timeout", proxy.DefaultAnswerTimeout, "give up on an exchange that takes longer than `D` in all")
	fs.BoolVar(&o.verbose, "v", false, "log every exchange")
	return func(ctx context.Context, stdout, stderr io.Writer) error {
		o.admin.resolve(o.addr)
		return o.run(ctx, stderr)
	}
}

func (o *proxyOptions) run(ctx context.Context, stderr io.Writer) error {
	logger := newLogger(stderr, o.verbose)
	if o.upstream == "" {
		return misused("tcbmock proxy: --upstream is required, such as --upstream https://api.weixin.qq.com")
	}
	p, err := proxy.New(o.upstream, o.options(logger)...)
	switch {
	case errors.Is(err, proxy.ErrUpstream):
		return misused("tcbmock " + err.Error())
	case errors.As(err, new(*yamlfile.Error)) || errors.As(err, new(yamlfile.List)):
		printProblems(stderr, err)
		return errFailed
	case err != nil:
		return misused("tcbmock " + err.Error())
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("tcbmock proxy: %w", err)
	}
	if o.admin.token == "" && !isLoopback(ln.Addr()) {
		logger.Warn("the admin API is open to the network: whoever reaches it can read the journal; set --admin-token", "addr", ln.Addr().String())
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: o.timeouts.Answer, IdleTimeout: idleTimeout,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	attrs := []any{"url", "http://" + shownAddr(o.addr, ln), "upstream", p.Upstream()}
	if o.record != "" {
		attrs = append(attrs, "record", o.record)
	}
	logger.Info("tcbmock proxy", attrs...)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	flushed := make(chan struct{})
	go flushEvery(ctx, p, time.Second, logger, flushed)
	select {
	case err := <-errc:
		return fmt.Errorf("tcbmock proxy: %w", err)
	case <-ctx.Done():
	}
	return o.stop(srv, errc, p, logger, flushed, stderr)
}

// options are the proxy's options from the flags.
func (o *proxyOptions) options(logger *slog.Logger) []proxy.Option {
	opts := []proxy.Option{proxy.WithLogger(logger), proxy.WithJournalSize(o.journalSize), proxy.WithJournalBytes(o.journalBytes), proxy.WithTimeouts(o.timeouts)}
	opts = append(opts, o.admin.proxyOptions()...)
	if o.spec != "" {
		opts = append(opts, proxy.WithSpec(specFile(o.spec)))
	}
	if o.record != "" {
		opts = append(opts, proxy.WithRecording(o.record))
	}
	return opts
}

// stop shuts the server down, writes the recording, logs the summary, and
// fails if --fail-on-violation and an answer broke the spec, or if the
// recording did not write or load.
func (o *proxyOptions) stop(srv *http.Server, errc chan error, p *proxy.Proxy, logger *slog.Logger, flushed chan struct{}, stderr io.Writer) error {
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdown)
	<-errc
	<-flushed
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Error("shutdown", "error", err)
	}
	ferr := p.Flush()
	s := p.Summary()
	logSummary(logger, s)
	switch {
	case ferr != nil:
		printProblems(stderr, ferr)
		return fmt.Errorf("tcbmock proxy: the recording failed")
	case o.failOnViolation && s.Violating > 0:
		return fmt.Errorf("tcbmock proxy: %d of %d answers broke the spec (--fail-on-violation)", s.Violating, s.Exchanges)
	}
	return nil
}

// flushEvery writes the recording every interval until ctx ends, logging
// a failure each time it changes, then closes done.
func flushEvery(ctx context.Context, p *proxy.Proxy, interval time.Duration, logger *slog.Logger, done chan struct{}) {
	defer close(done)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		msg := ""
		if err := p.Flush(); err != nil {
			msg = err.Error()
		}
		if msg != "" && msg != last {
			logger.Error("recording", "error", msg)
		}
		last = msg
	}
}

// logSummary logs what the proxy saw: a line of counts, then a line per
// operation whose answers broke the spec, with a count per kind.
func logSummary(logger *slog.Logger, s proxy.Summary) {
	logger.Info("tcbmock proxy stopped", "exchanges", s.Exchanges, "violating", s.Violating,
		"not_in_spec", s.NotInSpec, "upstream_failures", s.UpstreamFailures, "unvalidated", s.Unvalidated)
	for _, op := range slices.Sorted(maps.Keys(s.Violations)) {
		attrs := []any{"operation", op}
		for _, k := range slices.Sorted(maps.Keys(s.Violations[op])) {
			attrs = append(attrs, k, s.Violations[op][k])
		}
		logger.Warn("violations", attrs...)
	}
}
