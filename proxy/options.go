package proxy

import (
	"crypto/x509"
	"log/slog"

	"github.com/tcbmock/tcbmock/mock"
)

// Option configures a [Proxy].
type Option func(*options)

type options struct {
	spec         mock.File
	overlays     []mock.File
	logger       *slog.Logger
	recordDir    string
	adminToken   string
	hosts        []string
	origins      []string
	journalSize  int
	journalBytes int
	timeouts     Timeouts
	roots        *x509.CertPool
}

func defaults() options {
	return options{
		spec:         mock.Embedded().Spec,
		logger:       slog.New(slog.DiscardHandler),
		journalSize:  mock.DefaultJournalSize,
		journalBytes: mock.DefaultJournalBytes,
		timeouts:     Timeouts{Connect: DefaultConnectTimeout, Header: DefaultHeaderTimeout, Answer: DefaultAnswerTimeout},
	}
}

// WithSpec validates answers against the spec in f instead of the embedded openapi.yaml.
func WithSpec(f mock.File) Option { return func(o *options) { o.spec = f } }

// WithOverlays adds the operations and schemas of the overlay files fs to
// the spec (see [tcbmock.Overlay]).
func WithOverlays(fs ...mock.File) Option {
	return func(o *options) { o.overlays = append(o.overlays, fs...) }
}

// WithLogger logs to l: a line for each answer that breaks the spec and
// each upstream failure; the default discards.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithRecording records what the answers reveal into dir, as files that
// tcbmock serve --scenarios dir replays ([Proxy.Flush] writes them).
func WithRecording(dir string) Option { return func(o *options) { o.recordDir = dir } }

// WithAdminToken requires "Authorization: Bearer token" on the admin API,
// but for GET health.
func WithAdminToken(token string) Option { return func(o *options) { o.adminToken = token } }

// WithAllowedHosts lets requests for the Host names hosts use the admin
// API without the token, besides loopback ones, as [mock.WithAllowedHosts].
func WithAllowedHosts(hosts ...string) Option {
	return func(o *options) { o.hosts = append(o.hosts, hosts...) }
}

// WithAllowedOrigins lets web pages of origins write to the admin API
// without the token, as [mock.WithAllowedOrigins].
func WithAllowedOrigins(origins ...string) Option {
	return func(o *options) { o.origins = append(o.origins, origins...) }
}

// WithJournalSize keeps the last n exchanges in the journal (default
// [mock.DefaultJournalSize], at most [mock.MaxJournalSize]).
func WithJournalSize(n int) Option { return func(o *options) { o.journalSize = n } }

// WithJournalBytes keeps at most n bytes of exchanges in the journal
// (default [mock.DefaultJournalBytes], at least [mock.MinJournalBytes]),
// as [mock.WithJournalBytes] counts them.
func WithJournalBytes(n int) Option { return func(o *options) { o.journalBytes = n } }

// WithTimeouts bounds each call to the upstream; a zero field keeps its default.
func WithTimeouts(t Timeouts) Option {
	return func(o *options) {
		if t.Connect > 0 {
			o.timeouts.Connect = t.Connect
		}
		if t.Header > 0 {
			o.timeouts.Header = t.Header
		}
		if t.Answer > 0 {
			o.timeouts.Answer = t.Answer
		}
	}
}

// WithRootCAs verifies an https:// upstream's certificate with roots
// instead of the system's: for an upstream with a private CA, such as a
// test's.
func WithRootCAs(roots *x509.CertPool) Option { return func(o *options) { o.roots = roots } }
