// Package redact replaces credentials with placeholders before a journal
// keeps them: the same value always gets the same placeholder, so that a
// journal still shows which calls used the same token.
package redact

import (
	"cmp"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Redactor replaces credentials with placeholders before anything is kept:
// the same value always gets the same placeholder, so that a journal still
// shows which calls used the same token.
//
// A credential is the value of a field the spec marks x-secret, by its
// name in any case: in the query, in a form body, in JSON whatever the
// escapes of its key, and the Authorization and Cookie headers. Each value
// found is remembered (up to maxRemembered), and replaced wherever it
// appears after: as a whole JSON string or query value, or in free text
// (an errmsg, a violation) where no character of a credential borders it.
// A credential inside another value, such as a short secret that an appid
// happens to contain, is left alone: replacing it would corrupt that value.
type Redactor struct {
	key [32]byte

	mu   sync.Mutex
	seen map[string]bool // credential values met so far
}

// maxRemembered bounds the credential values a Redactor remembers; it
// forgets them all when it reaches it, keeping those of the exchange at hand.
const maxRemembered = 4096

// New returns a redactor with a key of its own: its placeholders are not
// those of another.
func New() *Redactor {
	r := &Redactor{seen: map[string]bool{}}
	_, _ = rand.Read(r.key[:])
	return r
}

// placeholder names v without telling it: "redacted-" and 12 hex digits of
// a keyed hash of it.
func (r *Redactor) placeholder(v string) string {
	if v == "" {
		return ""
	}
	m := hmac.New(sha256.New, r.key[:])
	m.Write([]byte(v))
	return "redacted-" + hex.EncodeToString(m.Sum(nil)[:6])
}

// remember adds values to the credentials seen, and returns them all,
// longest first.
func (r *Redactor) remember(values []string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.seen)+len(values) > maxRemembered {
		clear(r.seen)
	}
	for _, v := range values {
		if v != "" {
			r.seen[v] = true
		}
	}
	all := make([]string, 0, len(r.seen))
	for v := range r.seen {
		all = append(all, v)
	}
	slices.SortFunc(all, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b)) })
	return all
}

// Secrets are the names of the fields the spec marks x-secret.
type Secrets struct {
	names map[string]bool // lower case
}

// NewSecrets returns the secret fields of names, matched in any case.
func NewSecrets(names []string) *Secrets {
	sf := &Secrets{names: map[string]bool{}}
	for _, n := range names {
		sf.names[strings.ToLower(n)] = true
	}
	return sf
}

// Is reports whether a field of name holds a credential, whatever its case.
func (sf *Secrets) Is(name string) bool { return sf.names[strings.ToLower(name)] }

// isForm reports whether h says its body is a form.
func isForm(h http.Header) bool {
	t, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return t == "application/x-www-form-urlencoded"
}

// credentialHeader reports whether a header field carries a credential whole.
func credentialHeader(name string) bool {
	switch strings.ToLower(name) {
	case "authorization", "cookie", "proxy-authorization":
		return true
	}
	return false
}

// Scrubber is the redaction of one exchange: the credentials to replace.
type Scrubber struct {
	r      *Redactor
	sf     *Secrets
	values []string // longest first
	set    map[string]bool
}

// Scrub finds the credentials of an exchange, in its query, header,
// body (a form or JSON, by h's Content-Type) and answer (JSON), and
// returns its redaction, which replaces those seen before too.
func (r *Redactor) Scrub(sf *Secrets, rawQuery string, h http.Header, body, answer []byte) *Scrubber {
	var found []string
	found = append(found, queryValues(sf, rawQuery)...)
	if isForm(h) {
		found = append(found, queryValues(sf, string(body))...)
	} else {
		found = append(found, jsonValues(sf, string(body))...)
	}
	found = append(found, jsonValues(sf, string(answer))...)
	for name, vs := range h {
		if credentialHeader(name) {
			found = append(found, vs...)
		}
	}
	sc := &Scrubber{r: r, sf: sf, values: r.remember(found), set: map[string]bool{}}
	for _, v := range sc.values {
		sc.set[v] = true
	}
	return sc
}

// queryValues returns the values of the fields sf names in a query or form.
func queryValues(sf *Secrets, raw string) []string {
	var out []string
	for p := range strings.SplitSeq(raw, "&") {
		k, v, _ := strings.Cut(p, "=")
		name, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if err1 == nil && err2 == nil && sf.Is(name) {
			out = append(out, value)
		}
	}
	return out
}

// jsonValues returns the string values of the fields sf names in text,
// JSON or not.
func jsonValues(sf *Secrets, text string) []string {
	var out []string
	rewriteJSON(text, func(key, value string) (string, bool) {
		if sf.Is(key) {
			out = append(out, value)
		}
		return "", false
	})
	return out
}

// Query returns a query or form with each credential value a placeholder:
// the value of a secret field, or a value that is a credential whole.
func (sc *Scrubber) Query(raw string) string {
	if raw == "" {
		return raw
	}
	pairs := strings.Split(raw, "&")
	for i, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		name, _ := url.QueryUnescape(k)
		value, err := url.QueryUnescape(v)
		if ok && (sc.sf.Is(name) || (err == nil && sc.set[value])) {
			pairs[i] = k + "=" + url.QueryEscape(sc.r.placeholder(value))
		}
	}
	return strings.Join(pairs, "&")
}

// Body returns a request's body without credentials, read by h's Content-Type.
func (sc *Scrubber) Body(h http.Header, body []byte) []byte {
	if isForm(h) {
		return []byte(sc.Query(string(body)))
	}
	return []byte(sc.JSON(string(body)))
}

// JSON returns text, JSON or not, with each string that is a secret
// field's value or a credential whole a placeholder, and credentials in
// other strings' free text too.
func (sc *Scrubber) JSON(text string) string {
	return rewriteJSON(text, func(key, value string) (string, bool) {
		if sc.sf.Is(key) || sc.set[value] {
			return sc.r.placeholder(value), true
		}
		if t := sc.Text(value); t != value {
			return t, true
		}
		return "", false
	})
}

// Header returns a header field's value without credentials.
func (sc *Scrubber) Header(name, value string) string {
	if credentialHeader(name) || sc.set[value] {
		return sc.r.placeholder(value)
	}
	return sc.Text(value)
}

// Text returns free text with each credential that no character of a
// credential borders a placeholder: "invalid credential TOKEN rid: …"
// loses the token, an appid that contains a short secret keeps it.
func (sc *Scrubber) Text(s string) string {
	for _, v := range sc.values {
		if !strings.Contains(s, v) {
			continue
		}
		var b strings.Builder
		rest := s
		for {
			i := strings.Index(rest, v)
			if i < 0 {
				break
			}
			end := i + len(v)
			alone := (i == 0 || !credentialByte(rest[i-1])) && (end == len(rest) || !credentialByte(rest[end]))
			b.WriteString(rest[:i])
			if alone {
				b.WriteString(sc.r.placeholder(v))
			} else {
				b.WriteString(v)
			}
			rest = rest[end:]
		}
		b.WriteString(rest)
		s = b.String()
	}
	return s
}

// credentialByte reports whether c may be part of a token, secret, ticket
// or cookie.
func credentialByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_-@.~+/=%", c) >= 0
}

// rewriteJSON reads text as JSON, tolerating text that is not (cut short,
// or broken), and calls f with each string value and the key of the
// member it is in (decoded as JSON decodes it, "\u0063" as "c"), or the
// array's member's key. Where f returns true, the string is replaced by
// its text, quoted.
func rewriteJSON(text string, f func(key, value string) (string, bool)) string {
	type frame struct {
		object, wantKey bool
		key             string
	}
	stack := []frame{{}}
	var b strings.Builder
	last := 0
	for i := 0; i < len(text); i++ {
		top := &stack[len(stack)-1]
		switch text[i] {
		case '{':
			stack = append(stack, frame{object: true, wantKey: true, key: top.key})
		case '[':
			stack = append(stack, frame{key: top.key})
		case '}', ']':
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			top.wantKey = top.object
		case ':':
			top.wantKey = false
		case '"':
			end, closed := stringEnd(text, i)
			value := decodeString(text[i:end], closed)
			switch {
			case top.wantKey:
				top.key = value
			default:
				if rep, ok := f(top.key, value); ok {
					b.WriteString(text[last:i])
					q, _ := json.Marshal(rep)
					if !closed {
						q = q[:len(q)-1]
					}
					b.Write(q)
					last = end
				}
			}
			i = end - 1
		}
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// stringEnd returns the end of the JSON string that starts at text[i], a
// quote, after its closing quote, and whether there is one.
func stringEnd(text string, i int) (int, bool) {
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return len(text), false
}

// decodeString returns a JSON string token's text, as JSON decodes it; a
// token cut short or broken gives what is between its quotes.
func decodeString(tok string, closed bool) string {
	if !closed {
		tok += `"`
	}
	var s string
	if json.Unmarshal([]byte(tok), &s) == nil {
		return s
	}
	return strings.TrimSuffix(tok[1:], `"`)
}
