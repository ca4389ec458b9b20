package mock

import (
	"strconv"
	"unicode/utf8"
)

// The hot answers are rendered by hand into compact JSON, the same bytes
// encoding/json writes for them (with HTML characters left as they are).

// shortEscape are the control characters encoding/json writes as \n and the like.
var shortEscape = [0x20]byte{'\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't'}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
			i++
		case c < 0x20 && shortEscape[c] != 0:
			b = append(b, '\\', shortEscape[c])
			i++
		case c < 0x20:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xf])
			i++
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b = append(b, `\ufffd`...)
			case r == 0x2028 || r == 0x2029:
				b = append(b, `\u202`...)
				b = append(b, "0123456789abcdef"[r&0xf])
			default:
				b = append(b, s[i:i+size]...)
			}
			i += size
		}
	}
	return append(b, '"')
}

// renderErrcode renders {"errcode":code,"errmsg":"errmsg rid: rid"}.
func renderErrcode(code int, errmsg, rid string) []byte {
	b := make([]byte, 0, 48+len(errmsg)+len(rid))
	b = append(b, `{"errcode":`...)
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, `,"errmsg":`...)
	if code != 0 {
		errmsg += " rid: " + rid
	}
	b = appendString(b, errmsg)
	return append(b, '}')
}

// renderToken renders {"access_token":token,"expires_in":expiresIn}.
func renderToken(token string, expiresIn int) []byte {
	b := make([]byte, 0, 40+len(token))
	b = append(b, `{"access_token":`...)
	b = appendString(b, token)
	b = append(b, `,"expires_in":`...)
	b = strconv.AppendInt(b, int64(expiresIn), 10)
	return append(b, '}')
}
