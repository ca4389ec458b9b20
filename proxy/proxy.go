package proxy

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"path"
	"strings"
	"sync"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
)

// Proxy forwards the WeChat API requests it gets to one upstream, hands
// each answer back unchanged, and checks it against the spec. It is an
// [http.Handler]: the admin API under [mock.AdminPrefix] is its own (the
// journal), and never forwarded.
type Proxy struct {
	upstream *url.URL
	spec     *apispec.Spec
	journal  *mock.Server // journals the exchanges; serves the admin API
	forward  *httputil.ReverseProxy
	logger   *slog.Logger
	timeouts Timeouts
	owners   *owners   // who each token seen issued belongs to
	stats    stats     // what the summary says
	rec      *recorder // nil unless recording
}

var _ http.Handler = (*Proxy)(nil)

// New returns a proxy to upstream: an https:// URL, or http:// on this
// machine (127.0.0.1, ::1, localhost), with no path.
func New(upstream string, opts ...Option) (*Proxy, error) {
	o := defaults()
	for _, opt := range opts {
		opt(&o)
	}
	u, err := parseUpstream(upstream)
	if err != nil {
		return nil, err
	}
	cfg, err := mock.Load(context.Background(), mock.Files{Spec: o.spec})
	if err != nil {
		return nil, err
	}
	journal, err := mock.New(mock.WithConfig(cfg), bridge.JournalOnly().(mock.Option), mock.WithRedaction(),
		mock.WithAdminToken(o.adminToken), mock.WithAllowedHosts(o.hosts...), mock.WithAllowedOrigins(o.origins...), mock.WithJournalSize(o.journalSize), mock.WithJournalBytes(o.journalBytes), mock.WithLogger(o.logger))
	if err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	p := &Proxy{upstream: u, spec: bridge.Spec(cfg), journal: journal, logger: o.logger, timeouts: o.timeouts, owners: newOwners(maxOwners)}
	if o.recordDir != "" {
		if p.rec, err = newRecorder(o.recordDir, o.spec, bridge.Spec(cfg), u.String(), o.logger); err != nil {
			return nil, err
		}
	}
	p.forward = &httputil.ReverseProxy{
		Rewrite:        p.rewrite,
		Transport:      newTransport(u, o.timeouts, o.roots),
		ModifyResponse: p.answered,
		ErrorHandler:   p.failed,
		ErrorLog:       slog.NewLogLogger(o.logger.Handler(), slog.LevelWarn),
		BufferPool:     &buffers{},
	}
	return p, nil
}

// Upstream returns the URL the proxy forwards to.
func (p *Proxy) Upstream() string { return p.upstream.String() }

// ServeHTTP forwards r to the upstream, or answers the admin API.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isAdmin(r.URL.Path) {
		admin := r.Clone(r.Context())
		admin.URL.Path = path.Clean("/" + r.URL.Path) // as an upstream would read it
		admin.URL.RawPath = ""
		p.journal.ServeHTTP(w, admin)
		return
	}
	p.serveAPI(w, r)
}

// isAdmin reports whether a path is the admin API's, as written or once
// cleaned (as an upstream may clean it): such a path is never forwarded.
func isAdmin(p string) bool {
	for _, q := range []string{p, path.Clean("/" + p)} {
		if strings.HasPrefix(q, mock.AdminPrefix) || q == strings.TrimSuffix(mock.AdminPrefix, "/") {
			return true
		}
	}
	return false
}

// Journal returns the exchanges f selects, oldest first, as the admin API
// lists them: credentials are placeholders.
func (p *Proxy) Journal(f mock.Filter) []mock.Entry { return p.journal.Journal(f) }

// Summary returns what the proxy has seen so far.
func (p *Proxy) Summary() Summary { return p.stats.summary() }

// Flush writes the recording, if the proxy records and something new was
// recorded since the last Flush, and checks what it wrote as lint does.
func (p *Proxy) Flush() error {
	if p.rec == nil {
		return nil
	}
	return p.rec.flush()
}

// buffers lends the buffers that copy answers to clients: without them,
// each answer would allocate one of 32 KiB.
type buffers struct{ pool sync.Pool }

func (b *buffers) Get() []byte {
	if buf, ok := b.pool.Get().(*[]byte); ok {
		return *buf
	}
	return make([]byte, 32<<10)
}

func (b *buffers) Put(buf []byte) { b.pool.Put(&buf) }
