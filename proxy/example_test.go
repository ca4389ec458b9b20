package proxy_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/proxy"
)

// A proxy in front of the fake: its answers pass unchanged, and break nothing.
func Example() {
	fake, _ := mock.New()
	upstream := httptest.NewServer(fake) // in production: https://api.weixin.qq.com
	defer upstream.Close()
	p, err := proxy.New(upstream.URL)
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(p) // point the app here
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/tcb/getenvinfo") // GET: 43002, as the real server answers
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, len(resp.Header.Values(proxy.ViolationsHeader)))
	fmt.Printf("%+v\n", p.Summary())
	// Output:
	// 200 0
	// {Exchanges:1 Violating:0 NotInSpec:0 UpstreamFailures:0 Unvalidated:0 Violations:map[]}
}

// An upstream that drifts: each way its answer breaks the spec is a line.
func Example_drift() {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, `{"errcode":-1,"errmsg":"system error"}`)
	}))
	defer upstream.Close()
	p, _ := proxy.New(upstream.URL)
	srv := httptest.NewServer(p)
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/tcb/getenvinfo?access_token=97_abc", "application/json", strings.NewReader("{}"))
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	for _, v := range resp.Header.Values(proxy.ViolationsHeader) {
		fmt.Println(v)
	}
	fmt.Println(p.Summary().Violations)
	// Output:
	// Content-Type: expected application/json; encoding=utf-8, received "text/plain"
	// /errmsg: expected a suffix " rid: xxxxxxxx-xxxxxxxx-xxxxxxxx", received "system error"
	// map[getEnvInfo:map[content-type:1 rid:1]]
}
