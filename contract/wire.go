package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

// ridSkew is how far a rid's time may be from the Date of its answer (or
// the suite's clock): the two clocks are not one.
const ridSkew = 5 * time.Minute

// wireHabits checks the habits every captured answer shows, where evidence
// says so: compact JSON, and on a target without the fake's clock, an
// errmsg's rid whose first group is the server's Unix time.
func (s *session) wireHabits(resp *http.Response, a *received) error {
	var compact bytes.Buffer
	if json.Compact(&compact, a.body) == nil && !bytes.Equal(compact.Bytes(), bytes.TrimRight(a.body, "\n")) {
		return fmt.Errorf("body: expected compact JSON (no space or line break between tokens, as every captured answer), received %s", s.excerpt(a.body))
	}
	if s.target.Admin || a.Errcode == 0 {
		return nil // a fake's rid follows its own clock, which the suite moves
	}
	at, ok := apispec.RIDTime(a.Errmsg)
	if !ok {
		return nil // the judge names a missing rid
	}
	now := time.Now()
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		now = d
	}
	if at.Before(now.Add(-ridSkew)) || at.After(now.Add(ridSkew)) {
		return fmt.Errorf("/errmsg: expected a rid whose first group is the server's Unix time in hex (about %x, %s), received %q", now.Unix(), now.UTC().Format(time.RFC3339), s.secret.text(a.Errmsg))
	}
	return nil
}
