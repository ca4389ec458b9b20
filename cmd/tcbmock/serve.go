package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock/mock"
)

// serveSummary is serve's help.
const serveSummary = `Serve the fake api.weixin.qq.com: the WeChat API at its paths, answered
from the spec and the world, and the admin API under /__tcbmock/ (health,
apps, scenarios, requests, tokens, clock, reset, config, reauthorize; JSON
in and out; see the README's admin API table).

The admin API adds apps, components and scenarios at run time (POST apps,
components, scenarios; PUT and DELETE on apps/APPID, …), checked as lint
checks a file (see Bounds). POST reset keeps them, as a reload does; POST
reset with {"world":true} removes them.

With no flags it serves the embedded spec, world and scenarios, and logs the
demo app's appid and secret. Each --scenarios DIR adds its *.yaml files to
them: its apps join the world, its scenarios the others (a name defined
twice is an error naming both files); --replace-scenarios serves the
directories alone. A problem in a file is printed as file:line: what is
wrong, and serve exits 1.`

// serveOptions are serve's flags.
type serveOptions struct {
	files             filesFlags
	https             httpsFlags
	addr, scenario    string
	journalSize       int
	journalBytes      int
	readHeaderTimeout time.Duration
	readTimeout       time.Duration
	verbose, watch    bool
	pprof, redact     bool
	trustForwarded    bool
	admin             adminFlags
}

func serveFlags(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	var o serveOptions
	o.files.register(fs)
	o.https.register(fs)
	fs.StringVar(&o.addr, "addr", cmp.Or(os.Getenv("TCBMOCK_ADDR"), "127.0.0.1:8080"), "listen on `HOST:PORT` (port 0 picks a free one; or $TCBMOCK_ADDR)")
	fs.StringVar(&o.scenario, "scenario", "", "the server default scenario `NAME`, for requests that choose none")
	fs.IntVar(&o.journalSize, "journal-size", mock.DefaultJournalSize, fmt.Sprintf("keep the last `N` requests in the journal (at most %d)", mock.MaxJournalSize))
	fs.IntVar(&o.journalBytes, "journal-bytes", mock.DefaultJournalBytes, journalBytesUsage)
	fs.BoolVar(&o.redact, "redact", false, "keep credentials (tokens, secrets, tickets: the fields the spec marks x-secret) out of the journal, as placeholders")
	fs.DurationVar(&o.readHeaderTimeout, "read-header-timeout", 5*time.Second, "close a connection whose request headers take longer")
	fs.DurationVar(&o.readTimeout, "read-timeout", 30*time.Second, "close a connection whose request takes longer to read")
	fs.BoolVar(&o.trustForwarded, "trust-forwarded-for", false, "take a caller's address, which IP whitelists check, from the first address of X-Forwarded-For\n(behind a proxy, or to play callers from other addresses); by default the connection's")
	fs.BoolVar(&o.verbose, "v", false, "log every request")
	fs.BoolVar(&o.watch, "watch", false, "reload --spec and --scenarios when they change; a broken edit keeps the last good configuration")
	fs.BoolVar(&o.pprof, "pprof", false, "serve Go's profiler under /__tcbmock/debug/pprof/ (behind --admin-token)")
	o.admin.register(fs)
	return func(ctx context.Context, stdout, stderr io.Writer) error {
		o.admin.resolve(o.addr)
		return o.serve(ctx, stdout, stderr)
	}
}

func (o *serveOptions) serve(ctx context.Context, _, stderr io.Writer) error {
	logger := newLogger(stderr, o.verbose)
	tuneGC()
	if err := o.files.check("serve"); err != nil {
		return err
	}
	if o.watch && !o.files.changing() {
		return misused("tcbmock serve: --watch needs --spec or --scenarios: the embedded files never change")
	}
	files := o.files.files()
	cfg, err := mock.Load(ctx, files)
	if err != nil {
		printProblems(stderr, err)
		return errFailed
	}
	for _, w := range cfg.Warnings {
		logger.Warn(w)
	}
	m, err := mock.New(o.mockOptions(cfg, logger)...)
	if err != nil {
		return misused("tcbmock serve: " + err.Error())
	}
	debug.FreeOSMemory() // loading a large world leaves far more garbage than world: give it back before serving
	l, err := listen("tcbmock serve", o.addr, &o.admin, "move the clock and mint tokens", logger)
	if err != nil {
		return err
	}
	if o.watch {
		go m.Watch(ctx, files, watchInterval)
	}
	attrs, err := o.handle(l, m)
	if err != nil {
		return err
	}
	if apps := cfg.Apps(); len(apps) > 0 {
		attrs = append(attrs, "appid", apps[0].AppID, "secret", apps[0].Secret)
	}
	if o.watch {
		attrs = append(attrs, "watch", strings.Join(o.files.watched(), ","))
	}
	failed, stopped := l.run(ctx, "tcbmock serving", attrs...)
	if failed != nil {
		return failed
	}
	logger.Info("tcbmock stopped")
	if stopped != nil {
		return fmt.Errorf("tcbmock serve: shutdown: %w", stopped)
	}
	return nil
}

// mockOptions are the fake's options from the flags.
func (o *serveOptions) mockOptions(cfg *mock.Config, logger *slog.Logger) []mock.Option {
	opts := []mock.Option{mock.WithConfig(cfg), mock.WithLogger(logger), mock.WithScenario(o.scenario),
		mock.WithJournalSize(o.journalSize), mock.WithJournalBytes(o.journalBytes)}
	opts = append(opts, o.admin.mockOptions()...)
	if o.trustForwarded {
		opts = append(opts, mock.WithTrustedForwardedFor())
	}
	if o.redact {
		opts = append(opts, mock.WithRedaction())
	}
	return opts
}

// handle puts m on l behind the profiler (--pprof) and the intercepting
// proxy (and --tls), and returns the startup line's attributes.
func (o *serveOptions) handle(l *lifecycle, m *mock.Server) ([]any, error) {
	var h http.Handler = m
	if o.pprof {
		h = withProfiler(m)
	}
	s, err := o.https.https(h, m, l.ln, o, l.logger)
	if err != nil {
		l.ln.Close()
		return nil, err
	}
	url := l.url()
	l.ln, l.stops = s.ln, append(l.stops, s.proxy.Shutdown)
	srv := l.handle(s.handler, o.readHeaderTimeout, o.readTimeout)
	srv.RegisterOnShutdown(m.CloseStreams) // an open admin page would hold Shutdown up
	return append([]any{"url", url, "ui", url + mock.AdminPrefix + "ui/"}, s.attrs...), nil
}

// watchInterval is how often serve --watch looks at its files.
const watchInterval = 250 * time.Millisecond

// tuneGC collects garbage half as often as Go's default, unless $GOGC says
// otherwise: the fake keeps a live heap of a few MiB, so the default
// collects after every MiB or so of garbage, and each collection shows in
// the tail latency of its answers. The cost is about 3 MiB more memory.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
}
