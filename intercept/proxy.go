package intercept

import (
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/tcbmock/tcbmock/ca"
)

// The causes a [Proxy] gives the requests it refuses.
const (
	// CauseOtherHost is a CONNECT or an absolute URL for a host the proxy
	// does not serve, or a port other than the scheme's.
	CauseOtherHost = "proxy request for another host"
	// CauseBadTarget is a CONNECT whose target is not host:port, or an
	// absolute URL of a scheme other than http and https.
	CauseBadTarget = "malformed proxy request"
	// CauseNoCA is a CONNECT the proxy cannot terminate: its certificate
	// authority does not load.
	CauseNoCA = "no certificate authority"
)

// Proxy serves a handler to the clients that reach it as their HTTPS
// proxy; see the package documentation. It is an [http.Handler].
type Proxy struct {
	next      http.Handler
	authority *ca.CA
	refused   func(r *http.Request, status int, cause string, body []byte)
	logger    *slog.Logger

	// The tunnels' requests are served by an HTTP server of their own,
	// started at the first CONNECT.
	inner   *http.Server
	tunnels *tunnels
	start   sync.Once
}

var _ http.Handler = (*Proxy)(nil)

// Option configures a [Proxy].
type Option func(*Proxy)

// WithRefusals calls refused for each request the proxy refuses, with the
// status, cause and body it answered; the proxy of mocktest's
// Fake.HTTPSProxy journals them in the fake.
func WithRefusals(refused func(r *http.Request, status int, cause string, body []byte)) Option {
	return func(p *Proxy) { p.refused = refused }
}

// WithLogger logs to l; the default discards.
func WithLogger(l *slog.Logger) Option { return func(p *Proxy) { p.logger = l } }

// WithTimeouts bounds the requests in a tunnel as [http.Server]'s fields
// of the same names do; the defaults are 5 s, 30 s and 2 minutes.
func WithTimeouts(readHeader, read, idle time.Duration) Option {
	return func(p *Proxy) {
		p.inner.ReadHeaderTimeout, p.inner.ReadTimeout, p.inner.IdleTimeout = readHeader, read, idle
	}
}

// New returns a proxy that serves next, and the tunnels of [Hosts] with
// leaves of authority; with a nil authority it answers every CONNECT of
// theirs with HTTP 500.
func New(next http.Handler, authority *ca.CA, opts ...Option) *Proxy {
	p := &Proxy{
		next:      next,
		authority: authority,
		refused:   func(*http.Request, int, string, []byte) {},
		logger:    slog.New(slog.DiscardHandler),
		tunnels:   newTunnels(),
	}
	p.inner = &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	for _, opt := range opts {
		opt(p)
	}
	p.inner.ErrorLog = slog.NewLogLogger(p.logger.Handler(), slog.LevelWarn) // such as a client that does not trust the CA
	return p
}

// ServeHTTP serves a CONNECT or an absolute URL as a proxy, and any other
// request as the handler.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodConnect:
		p.connect(w, r)
	case r.URL.Scheme != "" || r.URL.Host != "":
		p.absolute(w, r)
	default:
		p.next.ServeHTTP(w, r)
	}
}

// absolute serves a request for an absolute URL of a served host, or of
// the proxy itself, as the handler would the same request in origin form.
func (p *Proxy) absolute(w http.ResponseWriter, r *http.Request) {
	defaultPort := map[string]string{"http": "80", "https": "443"}[r.URL.Scheme]
	if defaultPort == "" {
		p.refuse(w, r, http.StatusBadRequest, CauseBadTarget, "a proxy request for "+target(r)+": want an http or https URL")
		return
	}
	host, port := r.URL.Hostname(), r.URL.Port()
	if port == "" {
		port = defaultPort
	}
	if _, ok := served(host); !(ok && port == defaultPort) && !isSelf(r, host, port) {
		p.refuse(w, r, http.StatusForbidden, CauseOtherHost, "refused "+r.Method+" "+target(r)+": tcbmock serves only "+hostList()+" (and its own address), and never connects anywhere")
		return
	}
	origin := r.WithContext(r.Context())
	u := *r.URL
	u.Scheme, u.Host, u.User = "", "", nil
	origin.URL, origin.RequestURI = &u, u.RequestURI()
	origin.Header = r.Header.Clone()
	origin.Header.Del("Proxy-Connection") // said to the proxy, not to the server
	origin.Header.Del("Proxy-Authorization")
	p.next.ServeHTTP(w, origin)
}

// refuse answers HTTP status with the one line "tcbmock: reason", and
// reports the refusal.
func (p *Proxy) refuse(w http.ResponseWriter, r *http.Request, status int, cause, reason string) {
	body := []byte("tcbmock: " + reason + "\n")
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
	p.refused(r, status, cause, body)
	p.logger.Debug("refused a proxy request", "method", r.Method, "target", target(r), "status", status, "cause", cause)
}

// target is what a proxy request asks for, as it may be said in a log:
// host:port of a CONNECT, the URL without user or query of any other.
func target(r *http.Request) string {
	if r.Method == http.MethodConnect {
		return r.Host
	}
	u := *r.URL
	u.User, u.RawQuery, u.ForceQuery = nil, "", false
	return u.String()
}
