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
	l, err := listen("tcbmock proxy", o.addr, &o.admin, "read the journal", logger)
	if err != nil {
		return err
	}
	l.handle(p, 5*time.Second, o.timeouts.Answer)
	attrs := []any{"url", l.url(), "upstream", p.Upstream()}
	if o.record != "" {
		attrs = append(attrs, "record", o.record)
	}
	flushed := make(chan struct{})
	go flushEvery(ctx, p, time.Second, logger, flushed)
	failed, stopped := l.run(ctx, "tcbmock proxy", attrs...)
	if failed != nil {
		return failed
	}
	<-flushed
	if stopped != nil {
		logger.Error("shutdown", "error", stopped)
	}
	return o.stop(p, logger, stderr)
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

// stop writes the recording, logs the summary, and fails if
// --fail-on-violation and an answer broke the spec, or if the recording
// did not write or load.
func (o *proxyOptions) stop(p *proxy.Proxy, logger *slog.Logger, stderr io.Writer) error {
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
