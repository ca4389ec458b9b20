package mock

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"strings"
)

// redactor replaces credentials with placeholders before anything is kept:
// the same value always gets the same placeholder, so that a journal still
// shows which calls used the same token.
type redactor struct {
	key [32]byte
}

func newRedactor() *redactor {
	r := &redactor{}
	_, _ = rand.Read(r.key[:])
	return r
}

// placeholder names v without telling it: "redacted-" and 12 hex digits of
// a keyed hash of it.
func (r *redactor) placeholder(v string) string {
	if v == "" {
		return ""
	}
	m := hmac.New(sha256.New, r.key[:])
	m.Write([]byte(v))
	return "redacted-" + hex.EncodeToString(m.Sum(nil)[:6])
}

// secretFields finds the credentials the spec marks x-secret in a query,
// in JSON, and in a header.
type secretFields struct {
	names map[string]bool
	json  *regexp.Regexp // "name" : "value", for each secret name
}

func newSecretFields(names []string) *secretFields {
	sf := &secretFields{names: map[string]bool{}}
	quoted := make([]string, len(names))
	for i, n := range names {
		sf.names[n] = true
		quoted[i] = regexp.QuoteMeta(n)
	}
	if len(names) > 0 {
		sf.json = regexp.MustCompile(`("(?:` + strings.Join(quoted, "|") + `)"\s*:\s*")((?:[^"\\]|\\.)*)`)
	}
	return sf
}

// query redacts the values of secret parameters in a raw query.
func (r *redactor) query(sf *secretFields, raw string) string {
	if raw == "" {
		return raw
	}
	pairs := strings.Split(raw, "&")
	for i, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if ok && err == nil && sf.names[name] {
			pairs[i] = k + "=" + url.QueryEscape(r.placeholder(v))
		}
	}
	return strings.Join(pairs, "&")
}

// json redacts the string values of secret fields in JSON text, whole or
// not: a body that is not even JSON keeps no secret either.
func (r *redactor) json(sf *secretFields, text string) string {
	if sf.json == nil {
		return text
	}
	found := sf.json.FindAllStringSubmatchIndex(text, -1)
	if found == nil {
		return text
	}
	var b strings.Builder
	last := 0
	for _, m := range found { // m[4]:m[5] is the value
		b.WriteString(text[last:m[4]])
		b.WriteString(r.placeholder(text[m[4]:m[5]]))
		last = m[5]
	}
	b.WriteString(text[last:])
	return b.String()
}

// header redacts the header fields that carry credentials.
func (r *redactor) header(name, value string) string {
	switch strings.ToLower(name) {
	case "authorization", "cookie", "proxy-authorization":
		return r.placeholder(value)
	}
	return value
}
