package mocktest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// exampleT stands in for the *testing.T of a real test.
type exampleT struct{ cleanups []func() }

func (t *exampleT) Helper()                           {}
func (t *exampleT) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }
func (t *exampleT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *exampleT) Cleanup(f func())                  { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) end() {
	for _, f := range t.cleanups {
		f()
	}
}

// getEnvInfo is the client under test: it lists the environments at base.
func getEnvInfo(base, token string) string {
	resp, err := http.Post(base+"/tcb/getenvinfo?access_token="+token, "application/json", strings.NewReader("{}"))
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

func ExampleNew() {
	t := &exampleT{} // in a test: func TestX(t *testing.T)
	defer t.end()

	fake := mocktest.New(t)
	token, _ := fake.Admin.MintToken(context.Background(), mocktest.DemoAppID, "", 0)
	fmt.Println(getEnvInfo(fake.URL, token))
	fake.Expect(t, 1, mock.Filter{Operation: "getEnvInfo", Errcode: mock.Code(0)})
	// Output:
	// {"errcode":0,"errmsg":"ok","info_list":[{"env":"test2-4a89da","alias":"test2","create_time":"2019-04-04 14:10:28","update_time":"2019-04-04 14:10:36","status":"NORMAL","package_id":"basic","package_name":"基础版 1"}]}
}

func ExampleFake_Advance() {
	t := &exampleT{}
	defer t.end()

	fake := mocktest.New(t)
	token, _ := fake.Admin.MintToken(context.Background(), mocktest.DemoAppID, "", 0)
	fake.Advance(2 * time.Hour)
	answer := getEnvInfo(fake.URL, token)
	fmt.Println(strings.Contains(answer, `"errcode":42001`))
	fmt.Println(fake.Count(mock.Filter{Cause: tcbmock.CauseExpiredToken}))
	// Output:
	// true
	// 1
}

func ExampleFake_Expect() {
	t := &exampleT{}
	defer t.end()

	tenAM := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	fake := mocktest.New(t, mock.WithScenario("retry-then-ok"), mock.WithClock(func() time.Time { return tenAM }))
	token, _ := fake.Admin.MintToken(context.Background(), mocktest.DemoAppID, "", 0)
	for range 3 { // a client that retries
		getEnvInfo(fake.URL, token)
	}
	fake.Expect(t, 2, mock.Filter{Errcode: mock.Code(-1)})
	fake.Expect(t, 1, mock.Filter{Errcode: mock.Code(0)})
	fake.Expect(t, 4, mock.Filter{Errcode: mock.Code(0)}) // fails, and says why
	// Output:
	// mocktest: 1 requests match; want 4. The fake answered:
	//   10:00:00.000 POST /tcb/getenvinfo errcode -1 appid=wxd0c0ffee00000001 scenario=retry-then-ok
	//   10:00:00.000 POST /tcb/getenvinfo errcode -1 appid=wxd0c0ffee00000001 scenario=retry-then-ok
	//   10:00:00.000 POST /tcb/getenvinfo errcode 0 appid=wxd0c0ffee00000001 scenario=retry-then-ok
}
