package ca_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/ca"
)

// load loads the authority in dir, failing the test if it cannot.
func load(t *testing.T, dir string, opts ...ca.Option) (*ca.CA, *x509.Certificate) {
	t.Helper()
	c := ca.New(dir, opts...)
	cert, err := c.Certificate()
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	return c, cert
}

func TestLoadMakesAnAuthorityOnceAndReusesIt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "tcbmock")
	created, err := ca.New(dir).Load()
	if err != nil || !created {
		t.Fatalf("first load: created %v, %v; want true, nil", created, err)
	}
	_, first := load(t, dir)
	created, err = ca.New(dir).Load() // a restart
	if err != nil || created {
		t.Fatalf("second load: created %v, %v; want false, nil", created, err)
	}
	_, again := load(t, dir)
	if got, want := ca.Fingerprint(again), ca.Fingerprint(first); got != want {
		t.Errorf("fingerprint after a restart: got %s; want %s", got, want)
	}
}

func TestTheKeyFileIsTheOwnersAlone(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix file modes")
	}
	dir := t.TempDir()
	load(t, dir)
	for _, f := range []struct {
		name string
		want os.FileMode
	}{{ca.KeyFile, 0o600}, {ca.CertFile, 0o644}} {
		info, err := os.Stat(filepath.Join(dir, f.name))
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != f.want {
			t.Errorf("%s: mode %04o; want %04o", f.name, got, f.want)
		}
	}
}

func TestTheCertFileIsTheAuthoritysCertificate(t *testing.T) {
	dir := t.TempDir()
	c, cert := load(t, dir)
	if got, want := c.CertPath(), filepath.Join(dir, "ca.pem"); got != want {
		t.Errorf("CertPath: got %s; want %s", got, want)
	}
	data, err := os.ReadFile(c.CertPath())
	if err != nil {
		t.Fatal(err)
	}
	block, rest := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" || len(rest) != 0 {
		t.Fatalf("ca.pem: got %q; want one CERTIFICATE block", data)
	}
	sum := sha256.Sum256(block.Bytes)
	want := strings.ToUpper(hex.EncodeToString(sum[:]))
	if got := strings.ReplaceAll(ca.Fingerprint(cert), ":", ""); got != want {
		t.Errorf("fingerprint: got %s; want the SHA-256 of ca.pem, %s", got, want)
	}
}

func TestTheAuthorityIsP256ForTenYearsAndConstrained(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	_, cert := load(t, t.TempDir(), ca.WithClock(func() time.Time { return now }))
	key, ok := cert.PublicKey.(*ecdsa.PublicKey)
	switch {
	case !ok || key.Curve != elliptic.P256():
		t.Errorf("key: got %T; want ECDSA P-256", cert.PublicKey)
	case !cert.IsCA || cert.KeyUsage&x509.KeyUsageCertSign == 0:
		t.Errorf("IsCA %v, key usage %b; want a CA that signs certificates", cert.IsCA, cert.KeyUsage)
	case !cert.NotAfter.Equal(now.Add(ca.Lifetime)):
		t.Errorf("NotAfter: got %s; want ten years on, %s", cert.NotAfter, now.Add(ca.Lifetime))
	case strings.Join(cert.PermittedDNSDomains, ",") != "weixin.qq.com,localhost" || len(cert.PermittedIPRanges) != 2:
		t.Errorf("constraints: got %v %v; want weixin.qq.com, localhost and the loopback", cert.PermittedDNSDomains, cert.PermittedIPRanges)
	}
}

func TestConcurrentMakersAgreeOnOneAuthority(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	prints := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			cert, err := ca.New(dir).Certificate()
			if err != nil {
				t.Error(err)
				return
			}
			prints[i] = ca.Fingerprint(cert)
		})
	}
	wg.Wait()
	_, onDisk := load(t, dir)
	for i, p := range prints {
		if p != ca.Fingerprint(onDisk) {
			t.Errorf("maker %d: got %s; want the one on disk, %s", i, p, ca.Fingerprint(onDisk))
		}
	}
}

func TestNoDirectoryIsAnError(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	if runtime.GOOS != "linux" {
		t.Skip("the cache directory comes from $HOME on Linux")
	}
	_, err := ca.New("").Load()
	if !errors.Is(err, ca.ErrNoDir) {
		t.Errorf("got %v; want ErrNoDir", err)
	}
}

func TestDefaultDirIsInTheUsersCache(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the cache directory comes from $XDG_CACHE_HOME on Linux")
	}
	t.Setenv("XDG_CACHE_HOME", "/somewhere/cache")
	if got, want := ca.New("").Dir(), "/somewhere/cache/tcbmock"; got != want {
		t.Errorf("got %s; want %s", got, want)
	}
}
