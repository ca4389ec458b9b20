package contract

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// redacted stands for a credential in whatever the suite writes.
const redacted = "[redacted]"

// minSecret is the length under which a value is not taken for a
// credential: redacting shorter ones would garble ordinary text.
const minSecret = 6

// minPrefix is the length of a credential's beginning that still counts as
// the credential when a message cut it short ("…").
const minPrefix = 4

// redactor removes every credential the suite knows of (the ones it was
// given, the fake's, and every token it received) from the text it writes:
// step errors, skip reasons, answer excerpts and Run's errors.
type redactor struct {
	mu       sync.Mutex
	secrets  []string          // longest first, so that a secret holding another goes first
	replacer *strings.Replacer // every form of every secret, by redacted; nil before the first
}

// add learns credentials.
func (r *redactor) add(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	secrets := slices.Clone(r.secrets) // text reads the old one unlocked
	for _, v := range values {
		if len(v) >= minSecret && !slices.Contains(secrets, v) {
			secrets = append(secrets, v)
		}
	}
	if len(secrets) == len(r.secrets) {
		return
	}
	slices.SortStableFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	r.secrets = secrets
	var pairs []string
	for _, secret := range secrets {
		for _, form := range forms(secret) {
			pairs = append(pairs, form, redacted)
		}
	}
	r.replacer = strings.NewReplacer(pairs...)
}

// text returns s without any credential, in any of the forms a message can
// carry it: as it is, escaped for a URL, a JSON string or a Go string, or
// cut short by an ellipsis.
func (r *redactor) text(s string) string {
	r.mu.Lock()
	secrets, replacer := r.secrets, r.replacer
	r.mu.Unlock()
	if replacer == nil {
		return s
	}
	return cutShort(replacer.Replace(s), secrets)
}

// forms lists how a credential can be written in a message.
func forms(secret string) []string {
	js, _ := json.Marshal(secret)
	out := []string{secret, url.QueryEscape(secret), url.PathEscape(secret), string(js[1 : len(js)-1]), strconv.Quote(secret)[1 : len(strconv.Quote(secret))-1]}
	slices.Sort(out)
	return slices.Compact(out)
}

// cutShort redacts the beginning of a credential that stands just before
// an ellipsis: what is left of it once a message was cut short.
func cutShort(s string, secrets []string) string {
	const ellipsis = "…"
	var b strings.Builder
	for {
		i := strings.Index(s, ellipsis)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		head := s[:i]
		for _, secret := range secrets {
			if n := sharedTail(head, secret); n >= minPrefix {
				head = head[:len(head)-n] + redacted
				break
			}
		}
		b.WriteString(head + ellipsis)
		s = s[i+len(ellipsis):]
	}
}

// sharedTail returns the length of the longest beginning of secret that head ends with.
func sharedTail(head, secret string) int {
	for n := min(len(head), len(secret)); n > 0; n-- {
		if strings.HasSuffix(head, secret[:n]) {
			return n
		}
	}
	return 0
}

// err returns err with its message redacted; a skip stays a skip, and the
// original stays in the chain for errors.Is and errors.As.
func (r *redactor) err(err error) error {
	if err == nil {
		return nil
	}
	if se, ok := err.(*skipError); ok {
		return &skipError{reason: r.text(se.reason), excluded: se.excluded}
	}
	msg := r.text(err.Error())
	if msg == err.Error() {
		return err
	}
	if se, ok := asSkip(err); ok {
		return &skipError{reason: r.text(se.reason), excluded: se.excluded}
	}
	return &redactedError{msg: msg, err: err}
}

// redactedError is an error whose message had a credential taken out.
type redactedError struct {
	msg string
	err error
}

var _ error = (*redactedError)(nil)

func (e *redactedError) Error() string { return e.msg }

// Unwrap returns the original error, for errors.Is and errors.As; its
// message still holds the credential.
func (e *redactedError) Unwrap() error { return e.err }
