package contract

import (
	"bytes"
	"io"
)

// textFormat reports whether a format is text for a reader (pretty,
// progress), which godog colours unless told not to; junit and cucumber
// print no colours.
func textFormat(format string) bool { return format == "pretty" || format == "progress" }

// lineWriter passes to w what it is given, a line at a time: godog's
// colour remover writes each character on its own, and a report that goes
// to a file would otherwise cost a system call per character. Flush writes
// the last line when it has no end.
type lineWriter struct {
	w   io.Writer
	buf []byte
	err error
}

func (l *lineWriter) Write(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	l.buf = append(l.buf, p...)
	if i := bytes.LastIndexByte(l.buf, '\n'); i >= 0 {
		_, l.err = l.w.Write(l.buf[:i+1])
		l.buf = append(l.buf[:0], l.buf[i+1:]...)
	}
	return len(p), l.err
}

// Flush writes what is left, and returns the first error of a write.
func (l *lineWriter) Flush() error {
	if l.err == nil && len(l.buf) > 0 {
		_, l.err = l.w.Write(l.buf)
		l.buf = l.buf[:0]
	}
	return l.err
}
