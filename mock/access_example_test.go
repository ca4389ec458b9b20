package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"regexp"

	"github.com/tcbmock/tcbmock/mock"
)

// An app of the world with an ip_whitelist gives its tokens only to the
// addresses it lists. Behind a proxy, or to play a caller from another
// address, the server takes the address from X-Forwarded-For.
func ExampleWithTrustedForwardedFor() {
	m, err := mock.New(mock.WithTrustedForwardedFor())
	if err != nil {
		panic(err)
	}
	rid := regexp.MustCompile(` rid: [0-9a-f-]+$`)
	const guarded = "/cgi-bin/token?grant_type=client_credential&appid=wxd0c0ffee00000004&secret=d0c0ffee0000000000000000000000a4"
	for _, from := range []string{"192.0.2.44", "203.0.113.7"} {
		r := httptest.NewRequest("GET", guarded, nil)
		r.Header.Set("X-Forwarded-For", from)
		w := httptest.NewRecorder()
		m.ServeHTTP(w, r)
		var a struct {
			Errcode     int    `json:"errcode"`
			Errmsg      string `json:"errmsg"`
			AccessToken string `json:"access_token"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &a)
		fmt.Printf("from %s: %d %q, a token: %t\n", from, a.Errcode, rid.ReplaceAllString(a.Errmsg, ""), a.AccessToken != "")
	}
	// Output:
	// from 192.0.2.44: 40164 "invalid ip 192.0.2.44 ipv6 ::ffff:192.0.2.44, not in whitelist", a token: false
	// from 203.0.113.7: 0 "", a token: true
}
