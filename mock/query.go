package mock

import (
	"net/url"
	"strings"
)

// query is a raw URL query. The hot path reads a parameter or two of
// every request: Get finds one without building url.Values.
type query string

// Get returns the first value of key, as url.ParseQuery(q).Get(key) would.
func (q query) Get(key string) string {
	raw := string(q)
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue // ParseQuery drops these
		}
		k, v, _ := strings.Cut(pair, "=")
		if strings.ContainsAny(k, "%+") {
			var err error
			if k, err = url.QueryUnescape(k); err != nil {
				continue
			}
		}
		if k != key {
			continue
		}
		if strings.ContainsAny(v, "%+") {
			var err error
			if v, err = url.QueryUnescape(v); err != nil {
				continue
			}
		}
		return v
	}
	return ""
}
