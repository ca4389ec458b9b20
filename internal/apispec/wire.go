package apispec

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ContentType is the Content-Type of every answer of the real server: note
// encoding=, not charset=.
const ContentType = "application/json; encoding=utf-8"

// RIDPattern matches the request id suffix the real server puts at the end
// of every errmsg other than "ok".
var RIDPattern = regexp.MustCompile(` rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$`)

// RID formats a request id: the Unix time of t in hex, then n's two halves.
func RID(t time.Time, n uint64) string {
	b := make([]byte, 0, 26)
	b = appendHex8(b, uint32(t.Unix()))
	b = appendHex8(append(b, '-'), uint32(n>>32))
	b = appendHex8(append(b, '-'), uint32(n))
	return string(b)
}

// appendHex8 appends v as eight lowercase hex digits.
func appendHex8(b []byte, v uint32) []byte {
	const digits = "0123456789abcdef"
	for shift := 28; shift >= 0; shift -= 4 {
		b = append(b, digits[v>>uint(shift)&0xf])
	}
	return b
}

// RIDTime returns the time the rid at the end of errmsg names: its first
// group, the server's Unix time in hex (seen in every dated capture).
func RIDTime(errmsg string) (time.Time, bool) {
	rid := RIDPattern.FindString(errmsg)
	if rid == "" {
		return time.Time{}, false
	}
	secs, err := strconv.ParseUint(strings.TrimPrefix(rid, " rid: ")[:8], 16, 32)
	return time.Unix(int64(secs), 0), err == nil
}
