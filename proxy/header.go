package proxy

import (
	"fmt"
	"strings"

	"github.com/tcbmock/tcbmock/mock"
)

// maxHeaderLines bounds the values of the violations header; the journal
// has them all.
const maxHeaderLines = 16

// headerValues writes violation lines as header values: printable ASCII,
// anything else escaped as \uXXXX, at most maxHeaderLines of them.
func headerValues(lines []string) []string {
	var out []string
	for i, l := range lines {
		if i == maxHeaderLines-1 && len(lines) > maxHeaderLines {
			out = append(out, fmt.Sprintf("... and %d more: GET %srequests?violations=1", len(lines)-i, mock.AdminPrefix))
			break
		}
		out = append(out, asciiOnly(l))
	}
	return out
}

// asciiOnly escapes what a header value should not hold: control
// characters and anything past ASCII, as JSON would.
func asciiOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			r1, r2 := surrogates(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// surrogates splits a rune past the basic plane into its UTF-16 pair.
func surrogates(r rune) (rune, rune) {
	r -= 0x10000
	return 0xd800 + (r>>10)&0x3ff, 0xdc00 + r&0x3ff
}
