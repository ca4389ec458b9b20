package yamlfile

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a problem in a file, at a line: it prints as "file:line: what is wrong".
type Error struct {
	File string
	Line int
	Msg  string
}

var _ error = (*Error)(nil)

func (e *Error) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// List gathers the problems of one or more files. It prints one per line
// and unwraps to each, so errors.As finds the first [*Error].
type List []error

var _ error = List(nil)

func (l List) Error() string {
	lines := make([]string, len(l))
	for i, err := range l {
		lines[i] = err.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems.
func (l List) Unwrap() []error { return l }

// Err returns l as an error, or nil when l holds none.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Add appends err to l; a List is flattened, nil is dropped.
func (l *List) Add(err error) {
	var more List
	switch {
	case err == nil:
	case errors.As(err, &more):
		*l = append(*l, more...)
	default:
		*l = append(*l, err)
	}
}
