package ca

import (
	"crypto"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The files of an authority's directory.
const (
	// CertFile holds the authority's certificate: the file a client trusts.
	CertFile = "ca.pem"
	// KeyFile holds the authority's private key (PKCS #8) and its
	// certificate; it is readable by its owner only.
	KeyFile = "ca-key.pem"
)

// The lifetimes of the certificates.
const (
	// Lifetime is how long a new authority is valid.
	Lifetime = 10 * 365 * 24 * time.Hour
	// LeafLifetime is how long a leaf certificate is valid.
	LeafLifetime = 24 * time.Hour
	// LeafRenewal is how long before its end a leaf is replaced by a new one.
	LeafRenewal = time.Hour
)

// ErrNoDir is returned by [CA.Load] when no directory was given and the
// user has no cache directory.
var ErrNoDir = errors.New("ca: no directory for the certificate authority")

// CA is a certificate authority kept in a directory. Its methods are safe
// for concurrent use.
type CA struct {
	dir    string
	dirErr error // why there is no dir
	now    func() time.Time

	mu     sync.Mutex
	auth   *authority // nil until loaded
	leaves map[string]*tls.Certificate
}

// authority is a loaded certificate and its key.
type authority struct {
	cert *x509.Certificate
	key  crypto.Signer
}

// Option configures a [CA].
type Option func(*CA)

// WithClock takes the time from now, for the validity of the certificates;
// the default is time.Now.
func WithClock(now func() time.Time) Option { return func(c *CA) { c.now = now } }

// New returns the authority kept in dir; "" is [DefaultDir]. It reads
// nothing: [CA.Load], or the first leaf, reads or makes it.
func New(dir string, opts ...Option) *CA {
	c := &CA{dir: dir, now: time.Now, leaves: map[string]*tls.Certificate{}}
	if dir == "" {
		c.dir, c.dirErr = DefaultDir()
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// DefaultDir returns the directory of the user's authority: tcbmock in the
// user's cache directory ($XDG_CACHE_HOME, ~/.cache, ~/Library/Caches or
// %LocalAppData%).
func DefaultDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("%w: %v; name one", ErrNoDir, err)
	}
	return filepath.Join(dir, "tcbmock"), nil
}

// Dir returns the authority's directory, or "" if there is none.
func (c *CA) Dir() string { return c.dir }

// CheckDir returns an error if the CA's directory exists and group or
// others can write it, or another user owns it: a program can refuse it
// at start rather than at the first certificate.
func (c *CA) CheckDir() error {
	if c.dir == "" {
		return nil
	}
	return checkDir(c.dir)
}

// CertPath returns the file of the certificate a client trusts, or "" if
// there is no directory.
func (c *CA) CertPath() string {
	if c.dir == "" {
		return ""
	}
	return filepath.Join(c.dir, CertFile)
}

// Load reads the authority in its directory, or makes one there if there
// is none, and reports whether it made it. Once loaded it stays loaded; a
// failure is tried again on the next call.
func (c *CA) Load() (created bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.load()
}

// load is Load with c.mu held.
func (c *CA) load() (bool, error) {
	if c.auth != nil {
		return false, nil
	}
	if c.dirErr != nil {
		return false, c.dirErr
	}
	a, created, err := loadOrCreate(c.dir, c.now())
	if err != nil {
		return false, err
	}
	c.auth = a
	return created, nil
}

// Certificate returns the authority's certificate, loading it if need be.
func (c *CA) Certificate() (*x509.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.load(); err != nil {
		return nil, err
	}
	return c.auth.cert, nil
}

// Pool returns a pool holding the authority's certificate alone: the
// RootCAs of a client that trusts it.
func (c *CA) Pool() (*x509.CertPool, error) {
	cert, err := c.Certificate()
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool, nil
}

// Fingerprint returns the SHA-256 fingerprint of cert as OpenSSL prints
// it: pairs of upper-case hex digits joined by colons.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	pairs := make([]string, len(sum))
	for i, b := range sum {
		pairs[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(pairs, ":")
}
