package ca

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// loadOrCreate reads the authority in dir, or makes one if there is none,
// and keeps dir's certificate file the authority's.
func loadOrCreate(dir string, now time.Time) (*authority, bool, error) {
	if err := checkDir(dir); err != nil {
		return nil, false, err
	}
	keyPath := filepath.Join(dir, KeyFile)
	a, err := readAuthority(keyPath, now)
	created := false
	if errors.Is(err, fs.ErrNotExist) {
		if a, err = newAuthority(now); err != nil {
			return nil, false, err
		}
		switch err = create(dir, a); {
		case err == nil:
			created = true
		case errors.Is(err, fs.ErrExist): // another process made one first: use it
			a, err = readAuthority(keyPath, now)
		}
	}
	if err != nil {
		return nil, false, err
	}
	if err := writeCert(filepath.Join(dir, CertFile), a.cert); err != nil {
		return nil, false, err
	}
	return a, created, nil
}

// checkDir refuses a directory that group or others can write, if there
// is one: whoever can write it can put a key of theirs in it.
func checkDir(dir string) error {
	info, err := os.Stat(dir)
	if err != nil || runtime.GOOS == "windows" {
		return nil // made when need be, or unreadable: the key's reading says why
	}
	if perm := info.Mode().Perm(); perm&0o022 != 0 {
		return &yamlfile.Error{File: dir, Msg: fmt.Sprintf("writable by group or others (mode %04o): whoever can write it can put a key there that signs certificates clients trust; chmod 700 it, or choose another --ca-dir", unixMode(info.Mode()))}
	}
	return checkOwner(dir, info, currentUser())
}

// unixMode returns m's permission bits and sticky bit as chmod writes them.
func unixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	return u
}

// checkOwner refuses a file of the CA that another user owns: that user
// could have made the key.
func checkOwner(path string, info fs.FileInfo, uid int) error {
	if got, ok := owner(info); ok && got != uid {
		return &yamlfile.Error{File: path, Msg: fmt.Sprintf("owned by user %d, not by you (%d): that user could have made the key that signs certificates clients trust; remove the directory to make a new CA, or chown it to yourself if you trust it", got, uid)}
	}
	return nil
}

// readAuthority reads a key file: a PKCS #8 private key and the
// certificate of its public key, a CA's, valid now.
func readAuthority(path string, now time.Time) (*authority, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("ca: %w", err) // fs.ErrNotExist: there is none yet
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, &yamlfile.Error{File: path, Msg: fmt.Sprintf("readable by others (mode %04o): it signs certificates that clients trust; chmod 600 it", perm)}
	}
	if err := checkOwner(path, info, currentUser()); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ca: %w", err)
	}
	a := &authority{}
	certLine := 0
	for block, line := range pemBlocks(data) {
		bad := func(format string, args ...any) error {
			return &yamlfile.Error{File: path, Line: line, Msg: fmt.Sprintf(format, args...)}
		}
		switch {
		case block.Type == "PRIVATE KEY" && a.key == nil:
			key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, bad("bad private key: %v", err)
			}
			signer, ok := key.(crypto.Signer)
			if !ok {
				return nil, bad("a %T private key cannot sign", key)
			}
			a.key = signer
		case block.Type == "CERTIFICATE" && a.cert == nil:
			if a.cert, err = x509.ParseCertificate(block.Bytes); err != nil {
				return nil, bad("bad certificate: %v", err)
			}
			certLine = line
		default:
			return nil, bad("unexpected %s block: want one PRIVATE KEY (PKCS #8) and one CERTIFICATE", block.Type)
		}
	}
	return a, a.check(path, certLine, now)
}

// check reports what keeps a from signing certificates a client accepts now.
func (a *authority) check(path string, line int, now time.Time) error {
	bad := func(format string, args ...any) error {
		return &yamlfile.Error{File: path, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case a.key == nil:
		return &yamlfile.Error{File: path, Msg: "no PRIVATE KEY block"}
	case a.cert == nil:
		return &yamlfile.Error{File: path, Msg: "no CERTIFICATE block"}
	case !a.cert.IsCA || a.cert.KeyUsage&x509.KeyUsageCertSign == 0:
		return bad("the certificate is not a CA's")
	case !publicKeysEqual(a.cert.PublicKey, a.key.Public()):
		return bad("the certificate is not the private key's")
	case now.After(a.cert.NotAfter):
		return bad("the CA expired on %s: delete %s to make a new one", a.cert.NotAfter.Format("2006-01-02"), filepath.Dir(path))
	}
	return nil
}

// publicKeysEqual reports whether a and b are the same public key.
func publicKeysEqual(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// pemBlocks yields the PEM blocks of data, each with the line it starts on.
func pemBlocks(data []byte) func(yield func(*pem.Block, int) bool) {
	return func(yield func(*pem.Block, int) bool) {
		rest := data
		for {
			start := bytes.Index(rest, []byte("-----BEGIN"))
			block, next := pem.Decode(rest)
			if block == nil {
				return
			}
			line := 1 + bytes.Count(data[:len(data)-len(rest)+start], []byte("\n"))
			if !yield(block, line) {
				return
			}
			rest = next
		}
	}
}

// create writes a's key file in dir, unless there is one: then it returns
// an error that is fs.ErrExist. The file appears whole or not at all.
func create(dir string, a *authority) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("ca: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(a.key)
	if err != nil {
		return fmt.Errorf("ca: %w", err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	data = append(data, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.cert.Raw})...)
	tmp, err := writeTemp(dir, data, 0o600)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	// A link, unlike a rename, never replaces a file another process made.
	if err := os.Link(tmp, filepath.Join(dir, KeyFile)); err != nil {
		return fmt.Errorf("ca: %w", err)
	}
	return nil
}

// writeCert writes cert to path, unless path holds it already.
func writeCert(path string, cert *x509.Certificate) error {
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	tmp, err := writeTemp(filepath.Dir(path), data, 0o644)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("ca: %w", err)
	}
	return nil
}

// writeTemp writes data to a new file in dir with mode perm, and returns its name.
func writeTemp(dir string, data []byte, perm fs.FileMode) (string, error) {
	f, err := os.CreateTemp(dir, ".tmp-*.pem")
	if err != nil {
		return "", fmt.Errorf("ca: %w", err)
	}
	_, err = f.Write(data)
	err = errors.Join(err, f.Chmod(perm), f.Sync(), f.Close())
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("ca: %w", err)
	}
	return f.Name(), nil
}
