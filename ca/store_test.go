package ca_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/ca"
)

// keyFile returns the key file of a new authority in a new directory.
func keyFile(t *testing.T) (dir string, data string) {
	t.Helper()
	dir = t.TempDir()
	load(t, dir)
	b, err := os.ReadFile(filepath.Join(dir, ca.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	return dir, string(b)
}

// otherKey returns a PRIVATE KEY block of a key no certificate has.
func otherKey(t *testing.T) string {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func TestABrokenKeyFileIsReportedWithItsLine(t *testing.T) {
	_, good := keyFile(t)
	keyBlock, certBlock, _ := strings.Cut(good, "-----END PRIVATE KEY-----\n")
	keyBlock += "-----END PRIVATE KEY-----\n"
	keyLines := strings.Count(keyBlock, "\n")
	for _, tc := range []struct {
		name, data string
		line       int // 0: the problem has no line
		msg        string
	}{
		{"empty", "", 0, "no PRIVATE KEY block"},
		{"no certificate", keyBlock, 0, "no CERTIFICATE block"},
		{"a foreign block", "# a comment\n" + strings.Replace(keyBlock, "PRIVATE KEY", "RSA PRIVATE KEY", 2) + certBlock, 2, "unexpected RSA PRIVATE KEY block"},
		{"another key", otherKey(t) + certBlock, keyLines + 1, "the certificate is not the private key's"},
		{"a bad certificate", keyBlock + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", keyLines + 1, "bad certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, ca.KeyFile)
			if err := os.WriteFile(path, []byte(tc.data), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := ca.New(dir).Load()
			want := path + ": " + tc.msg
			if tc.line > 0 {
				want = path + ":" + strconv.Itoa(tc.line) + ": " + tc.msg
			}
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("got %v; want %s…", err, want)
			}
		})
	}
}

func TestAKeyFileOthersCanReadIsRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix file modes")
	}
	dir, _ := keyFile(t)
	path := filepath.Join(dir, ca.KeyFile)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ca.New(dir).Load()
	if want := path + ": readable by others (mode 0644)"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v; want %s…", err, want)
	}
}

func TestAnExpiredAuthorityIsRefused(t *testing.T) {
	dir, _ := keyFile(t)
	later := time.Now().Add(ca.Lifetime + 24*time.Hour)
	_, err := ca.New(dir, ca.WithClock(func() time.Time { return later })).Load()
	if err == nil || !strings.Contains(err.Error(), "the CA expired on") || !strings.Contains(err.Error(), "delete "+dir) {
		t.Errorf("got %v; want the CA expired on …: delete %s …", err, dir)
	}
}

func TestAStaleCertFileIsRewritten(t *testing.T) {
	dir, _ := keyFile(t)
	certPath := filepath.Join(dir, ca.CertFile)
	if err := os.WriteFile(certPath, []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, cert := load(t, dir)
	data, _ := os.ReadFile(certPath)
	if want := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}); string(data) != string(want) {
		t.Errorf("ca.pem: got %q; want the authority's certificate", data)
	}
}

func TestACADirectoryOthersCanWriteIsRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix file modes")
	}
	for _, mode := range []fs.FileMode{0o777, 0o777 | fs.ModeSticky, 0o720} {
		dir, _ := keyFile(t)
		if err := os.Chmod(dir, mode); err != nil {
			t.Fatal(err)
		}
		_, err := ca.New(dir).Load()
		if err == nil || !strings.HasPrefix(err.Error(), dir+": writable by group or others") || !strings.Contains(err.Error(), "chmod 700") {
			t.Errorf("mode %v: got %v; want %s: writable by group or others…, saying how to fix it", mode, err, dir)
		}
	}
}

func TestACADirectoryOthersCanWriteIsRefusedBeforeAKeyIsMade(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix file modes")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777|fs.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.New(dir).Load(); err == nil || !strings.Contains(err.Error(), "(mode 1777)") {
		t.Errorf("got %v; want the directory refused, its mode named", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ca.KeyFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a key was made in it: %v", err)
	}
}

func TestAKeyFileOfAnotherUserIsRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file to another user; TestCheckOwner covers the check")
	}
	dir, _ := keyFile(t)
	path := filepath.Join(dir, ca.KeyFile)
	if err := os.Chown(path, 12345, 12345); err != nil {
		t.Fatal(err)
	}
	_, err := ca.New(dir).Load()
	if want := path + ": owned by user 12345, not by you (0)"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v; want %s…", err, want)
	}
}
