package mock

import (
	"net/url"
	"testing"
)

// FuzzQueryGet holds query.Get to url.ParseQuery's answers.
func FuzzQueryGet(f *testing.F) {
	for _, raw := range []string{"", "a=1", "a=1&a=2", "b=1&a=%41", "a%3D=x&a==y", "a;b=1&a=2", "a=%zz&a=3", "+a=1&%20a=2&a=+", "a", "&&a=&a=1", "x=%41%", "access_token=97_abc&env=1"} {
		f.Add(raw, "a")
	}
	f.Fuzz(func(t *testing.T, raw, key string) {
		want := ""
		if q, _ := url.ParseQuery(raw); q != nil {
			want = q.Get(key)
		}
		if got := query(raw).Get(key); got != want {
			t.Errorf("query(%q).Get(%q) = %q; url.ParseQuery says %q", raw, key, got, want)
		}
	})
}
