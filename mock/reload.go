package mock

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// ConfigStatus says which configuration a server is serving, and how the
// last reload went.
type ConfigStatus struct {
	Files    []string  `json:"files"`     // the spec and scenario files it was read from
	Digest   string    `json:"digest"`    // SHA-256 of their contents
	LoadedAt time.Time `json:"loaded_at"` // wall-clock time it was loaded
	Reloads  int       `json:"reloads"`   // configurations served since the server started
	// JournalOnly says the server journals exchanges answered elsewhere
	// (tcbmock proxy): it has no world, scenarios or clock to show.
	JournalOnly bool `json:"journal_only"`
	// Scenario is the server default scenario (serve --scenario), which
	// answers every request that chooses none; "" when there is none.
	Scenario string `json:"scenario,omitempty"`
	// Dropped are the items added or overridden at run time that the last
	// reload dropped, each with why: a file now defines its name (the
	// file's is served), or it no longer passes the checks.
	Dropped []string `json:"dropped,omitempty"`
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

// Reload serves c from the next request on. Tokens, clock, sequences and
// journal carry over, and so do the items added or overridden at run time,
// checked again on top of c: one whose name c now takes, or that c no
// longer accepts, is dropped, logged and listed in [ConfigStatus].Dropped. A c without the server default scenario is refused,
// and the current configuration stays.
func (s *Server) Reload(c *Config) error {
	if s.scenario != "" && c.Scenario(s.scenario) == nil {
		return fmt.Errorf("%w, the server's default scenario", c.unknownScenario(s.scenario))
	}
	s.steer.mu.Lock()
	kept, dropped := c.recheck(s.steer.items)
	s.steer.loaded, s.steer.items, s.steer.dropped, s.steer.bytes = c, kept, dropped, 0
	for _, it := range kept {
		s.steer.bytes += len(it.body)
	}
	s.live.Store(&live{cfg: c.with(kept), parses: &parses{}})
	s.steer.mu.Unlock()
	for _, p := range dropped {
		s.logger.Error("reload dropped an item added at run time", "problem", p)
	}
	s.reloads.mu.Lock()
	s.reloads.count++
	s.reloads.lastErr = nil
	s.reloads.mu.Unlock()
	return nil
}

// Status returns which configuration is being served.
func (s *Server) Status() ConfigStatus {
	c := s.Config()
	s.steer.mu.Lock()
	dropped := s.steer.dropped
	s.steer.mu.Unlock()
	s.reloads.mu.Lock()
	defer s.reloads.mu.Unlock()
	return ConfigStatus{Files: c.Files, Digest: c.Digest, LoadedAt: c.LoadedAt, Reloads: s.reloads.count, JournalOnly: s.journalOnly, Scenario: s.scenario, Dropped: dropped, LastError: s.reloads.lastErr}
}

// refused records a reload that failed.
func (s *Server) refused(err error) {
	var list yamlfile.List
	if !errors.As(err, &list) {
		list = yamlfile.List{err}
	}
	re := &ReloadError{At: time.Now()}
	for _, e := range list {
		re.Problems = append(re.Problems, e.Error())
	}
	s.reloads.mu.Lock()
	s.reloads.lastErr = re
	s.reloads.mu.Unlock()
	for _, p := range re.Problems { // after Status has them: whoever reads the log finds them there
		s.logger.Error("reload refused; serving the last good configuration", "problem", p)
	}
}

// settlePolls is how many polls in a row must read the same contents before
// Watch loads them: a file caught in the middle of being written reads
// differently from one poll to the next, and is never served.
const settlePolls = 4

// Watch reloads the server from files whenever their contents differ from
// the configuration it serves, looking every interval, until ctx ends. The
// contents are loaded once they have stayed the same for settlePolls looks
// in a row (a second with serve's interval), from the very bytes that were
// compared. A change that does not load is refused: the server goes on with
// the configuration it has, logs each problem as file:line, and Status
// reports them; the same contents are not tried again.
func (s *Server) Watch(ctx context.Context, files Files, interval time.Duration) {
	tried := s.Config().Digest
	var pending string
	same := 0
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		snap := files.read()
		if snap.digest != pending {
			pending, same = snap.digest, 0
		}
		if same++; same < settlePolls || snap.digest == tried {
			continue
		}
		tried = snap.digest
		c, err := load(ctx, snap)
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
