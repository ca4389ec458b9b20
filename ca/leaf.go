package ca

import (
	"crypto/tls"
	"fmt"
	"net"
	"slices"
	"strings"
)

// maxLeaves bounds the leaves a CA keeps; the names asked for are few.
const maxLeaves = 64

// Leaf returns a certificate for names (host names or IP addresses; the
// first is its subject), signed by the authority, which it loads if need
// be. The same names get the same certificate until the last
// [LeafRenewal] of its life.
func (c *CA) Leaf(names ...string) (*tls.Certificate, error) {
	names, err := canonical(names)
	if err != nil {
		return nil, err
	}
	key := strings.Join(names, " ")
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if leaf := c.leaves[key]; leaf != nil && now.Before(leaf.Leaf.NotAfter.Add(-LeafRenewal)) {
		return leaf, nil
	}
	if _, err := c.load(); err != nil {
		return nil, err
	}
	leaf, err := c.auth.issue(names, now)
	if err != nil {
		return nil, err
	}
	if len(c.leaves) >= maxLeaves {
		clear(c.leaves) // a leaf dropped is made again when asked for
	}
	c.leaves[key] = leaf
	return leaf, nil
}

// canonical returns names in lower case without a final dot, or an error
// naming the first that is not a host name or an IP address.
func canonical(names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: no name", ErrName)
	}
	out := make([]string, len(names))
	for i, name := range names {
		out[i] = strings.ToLower(strings.TrimSuffix(name, "."))
		if net.ParseIP(out[i]) == nil && !isHostName(out[i]) {
			return nil, fmt.Errorf("%w: %q is not a host name or an IP address", ErrName, name)
		}
	}
	return out, nil
}

// isHostName reports whether s is made of DNS labels: letters, digits and
// inner hyphens, 63 bytes at most each, 253 in all.
func isHostName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	return !slices.ContainsFunc(strings.Split(s, "."), func(label string) bool {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return true
		}
		return strings.ContainsFunc(label, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
		})
	})
}

// ServerConfig returns a TLS configuration that answers every handshake
// with the leaf for names, over HTTP/1.1 (which a CONNECT tunnel and a
// hijacked connection need).
func (c *CA) ServerConfig(names ...string) *tls.Config {
	return &tls.Config{
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return c.Leaf(names...) },
		NextProtos:     []string{"http/1.1"},
		MinVersion:     tls.VersionTLS12,
	}
}
