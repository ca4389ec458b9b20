package mock

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"sync"
	"time"

	"github.com/tcbmock/tcbmock"
)

// ConfigStatus says which configuration a server is serving, and how the
// last reload went.
type ConfigStatus struct {
	Files    []string  `json:"files"`     // the spec and scenario files it was read from
	Digest   string    `json:"digest"`    // SHA-256 of their contents
	LoadedAt time.Time `json:"loaded_at"` // wall-clock time it was loaded
	Reloads  int       `json:"reloads"`   // configurations served since the server started
	// LastError is the last reload that was refused, when it came after
	// the configuration being served.
	LastError *ReloadError `json:"last_error,omitempty"`
}

// ReloadError is a reload that was refused: the server kept its configuration.
type ReloadError struct {
	At       time.Time `json:"at"`
	Problems []string  `json:"problems"` // file:line: what is wrong
}

// reloads keeps a server's reload history.
type reloads struct {
	mu      sync.Mutex
	count   int
	lastErr *ReloadError
}

// Status returns which configuration is being served.
func (s *Server) Status() ConfigStatus {
	c := s.Config()
	s.reloads.mu.Lock()
	defer s.reloads.mu.Unlock()
	return ConfigStatus{Files: c.Files, Digest: c.Digest, LoadedAt: c.LoadedAt, Reloads: s.reloads.count, LastError: s.reloads.lastErr}
}

// refused records a reload that failed.
func (s *Server) refused(err error) {
	var list tcbmock.FileErrors
	if !errors.As(err, &list) {
		list = tcbmock.FileErrors{err}
	}
	re := &ReloadError{At: time.Now()}
	for _, e := range list {
		re.Problems = append(re.Problems, e.Error())
		s.logger.Error("reload refused; serving the last good configuration", "problem", e.Error())
	}
	s.reloads.mu.Lock()
	s.reloads.lastErr = re
	s.reloads.mu.Unlock()
}

// Watch reloads the server from files whenever their contents differ from
// the configuration it serves, looking every interval, until ctx ends. A
// change that does not load is refused: the server goes on with the
// configuration it has, logs each problem as file:line, and Status reports
// them; the same contents are not tried again.
func (s *Server) Watch(ctx context.Context, files Files, interval time.Duration) {
	last := s.Config().Digest
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		d := files.digest()
		if d == last {
			continue
		}
		last = d
		c, err := Load(ctx, files)
		if err == nil {
			err = s.Reload(c)
		}
		if err != nil {
			s.refused(err)
			continue
		}
		s.logger.Info("reloaded", "files", len(c.Files), "digest", c.Digest[:12])
	}
}

// digest hashes the contents of the spec and every scenario file, and what
// could not be read.
func (f Files) digest() string {
	h := sha256.New()
	add := func(fsys fs.FS, name string) {
		data, err := fs.ReadFile(fsys, name)
		h.Write([]byte(name + "\x00"))
		h.Write(data)
		if err != nil {
			h.Write([]byte(err.Error()))
		}
		h.Write([]byte{0})
	}
	add(f.SpecFS, f.SpecPath)
	names, err := scenarioFiles(f.ScenarioFS)
	if err != nil {
		h.Write([]byte(err.Error()))
	}
	for _, name := range names {
		add(f.ScenarioFS, name)
	}
	return hex.EncodeToString(h.Sum(nil))
}
