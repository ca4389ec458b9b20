package contract

import (
	"errors"

	"github.com/cucumber/godog"
)

// skipError skips the rest of a scenario: it could not check what it says
// on this target. It is a [godog.ErrSkip].
type skipError struct {
	reason string
	// excluded: the target's kind excludes the scenario (@fake, or not @live,
	// against production); check --strict does not count it.
	excluded bool
}

var _ error = (*skipError)(nil)

func (e *skipError) Error() string { return "skipped: " + e.reason }

// Unwrap makes the skip a godog.ErrSkip, which godog reports as skipped.
func (e *skipError) Unwrap() error { return godog.ErrSkip }

// skip returns the error that skips a scenario for reason.
func skip(reason string) error { return &skipError{reason: reason} }

// asSkip returns err's skip, if err skips: a skipError, or a bare godog.ErrSkip.
func asSkip(err error) (*skipError, bool) {
	var se *skipError
	if errors.As(err, &se) {
		return se, true
	}
	if errors.Is(err, godog.ErrSkip) {
		return &skipError{reason: "a step was skipped"}, true
	}
	return nil, false
}
