package tcbmock

import (
	"fmt"
	"regexp"
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
	return fmt.Sprintf("%08x-%08x-%08x", uint32(t.Unix()), uint32(n>>32), uint32(n))
}
