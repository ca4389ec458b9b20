package proxy

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrUpstream is returned by [New] for an upstream it will not forward to.
var ErrUpstream = errors.New("proxy: bad upstream")

// Timeouts bound each call to the upstream.
type Timeouts struct {
	Connect time.Duration // to connect, TLS handshake included
	Header  time.Duration // from the request sent to the answer's headers
	Answer  time.Duration // for the whole exchange, the answer's body included
}

// The timeouts unless [WithTimeouts] says otherwise.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultHeaderTimeout  = 30 * time.Second
	DefaultAnswerTimeout  = 60 * time.Second
)

// parseUpstream checks raw as an upstream: https:// anywhere, http:// only
// on this machine; a scheme and a host, no path, query or credentials.
func parseUpstream(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w %q: %v", ErrUpstream, raw, err)
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("%w %q: want an https:// URL (or http:// on this machine)", ErrUpstream, raw)
	case u.Host == "" || u.Opaque != "":
		return nil, fmt.Errorf("%w %q: no host", ErrUpstream, raw)
	case u.User != nil:
		return nil, fmt.Errorf("%w %q: credentials in the URL are not sent anywhere", ErrUpstream, raw)
	case strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("%w %q: want only a scheme and a host, such as https://api.weixin.qq.com", ErrUpstream, raw)
	case u.Scheme == "http" && !loopbackHost(u.Hostname()):
		return nil, fmt.Errorf("%w %q: http:// is only for this machine (127.0.0.1, ::1, localhost); use https://", ErrUpstream, raw)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// loopbackHost reports whether host names this machine.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newTransport returns the transport that calls u, and nothing else: no
// proxy from the environment, answers passed as they come (no
// decompression), certificates verified with roots (nil: the system's),
// and for http:// a dialer that refuses any address but a loopback one,
// whatever a name resolves to.
func newTransport(u *url.URL, t Timeouts, roots *x509.CertPool) *http.Transport {
	d := &net.Dialer{Timeout: t.Connect, KeepAlive: 30 * time.Second}
	if u.Scheme == "http" {
		d.Control = loopbackOnly
	}
	return &http.Transport{
		DialContext:           d.DialContext,
		TLSClientConfig:       &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   t.Connect,
		ResponseHeaderTimeout: t.Header,
		DisableCompression:    true,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
	}
}

// loopbackOnly refuses to connect to an address off this machine.
func loopbackOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("proxy: %s is not on this machine: an http:// upstream must be", address)
	}
	return nil
}
