package mock_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing/fstest"
	"time"

	"github.com/tcbmock/tcbmock/mock"
)

// The fake is an http.Handler: httptest serves it on a free loopback port.
func ExampleNew() {
	m, err := mock.New() // the embedded spec, world and scenarios
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(m)
	defer srv.Close()

	token, _ := m.MintToken("wxd0c0ffee00000001", "", time.Hour)
	resp, err := http.Post(srv.URL+"/tcb/getenvinfo?access_token="+token, "application/json", strings.NewReader(`{"env":"test2-4a89da"}`))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	fmt.Println(string(body))
	// Output:
	// 200 application/json; encoding=utf-8
	// {"errcode":0,"errmsg":"ok","info_list":[{"env":"test2-4a89da","alias":"test2","create_time":"2019-04-04 14:10:28","update_time":"2019-04-04 14:10:36","status":"NORMAL","package_id":"basic","package_name":"基础版 1"}]}
}

// A scenario directory adds its apps and scenarios to the embedded ones.
func ExampleLoad() {
	files := mock.Embedded()
	files.Scenarios = append(files.Scenarios, mock.File{FS: fstest.MapFS{"mine.yaml": {Data: []byte(`
scenarios:
  - name: quota-twice
    description: getenvinfo answers 45009 twice, then the real answer.
    operations: [getEnvInfo]
    sequence:
      - errcode: 45009
      - errcode: 45009
      - natural: true
`)}}, Path: ".", Name: "my-scenarios"})
	c, err := mock.Load(context.Background(), files)
	if err != nil {
		fmt.Println(err) // file:line: what is wrong, for each problem
		return
	}
	m, _ := mock.New(mock.WithConfig(c))
	token, _ := m.MintToken("wxd0c0ffee00000001", "", time.Hour)
	for range 3 {
		r := httptest.NewRequest("POST", "/tcb/getenvinfo?access_token="+token, strings.NewReader("{}"))
		r.Header.Set(mock.ScenarioHeader, "quota-twice")
		w := httptest.NewRecorder()
		m.ServeHTTP(w, r)
		fmt.Println(w.Body.String()[:15])
	}
	fmt.Println(c.Scenario("quota-twice").File)
	// Output:
	// {"errcode":4500
	// {"errcode":4500
	// {"errcode":0,"e
	// my-scenarios/mine.yaml:3
}

// The journal says what the fake answered, and why.
func ExampleServer_Journal() {
	m, _ := mock.New()
	token, _ := m.MintToken("wxd0c0ffee00000001", "", time.Minute)
	_, _ = m.Advance(2 * time.Minute)
	m.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/tcb/getenvinfo?access_token="+token, strings.NewReader("{}")))
	for _, e := range m.Journal(mock.Filter{Operation: "getEnvInfo"}) {
		fmt.Println(e.Status, *e.Errcode, e.Cause, e.AppID)
	}
	// Output:
	// 200 42001 expired token wxd0c0ffee00000001
}
