package mock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// TestATokenlessComputingOperationActsForTheAppItsAppidNames: an operation
// that takes no token (jscode2session, added by an overlay) computes for the
// app its appid names, once that app's secret is the request's; an appid of
// no app and a secret of another app get their rows.
func TestATokenlessComputingOperationActsForTheAppItsAppidNames(t *testing.T) {
	files := mock.Embedded()
	files.Overlays = []mock.File{{FS: os.DirFS("testdata/login"), Path: "jscode2session.yaml"}}
	files.Scenarios = append(files.Scenarios, mock.File{FS: os.DirFS("testdata/login"), Path: "world"})
	c, err := mock.Load(t.Context(), files)
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, mock.WithConfig(c))
	const app, secret = "wx0123456789abcd02", "0123456789abcdef0123456789abcd02"
	for _, tc := range []struct{ name, appid, secret, want string }{
		{"the app's secret", app, secret, `{"openid":"oUser1","session_key":"sk-0a1b2c3d4e-` + app + `"}`},
		{"another app's secret", app, demoSecret, "40125"},
		{"an appid of no app", "wx0123456789abcd99", secret, "40013"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, resp := f.raw(http.MethodGet, "/sns/jscode2session?grant_type=authorization_code&js_code=0a1b2c3d4e&appid="+tc.appid+"&secret="+tc.secret, "")
			body, _ := io.ReadAll(resp.Body)
			var a struct{ Errcode int }
			_ = json.Unmarshal(body, &a)
			if got := string(body); got != tc.want && strconv.Itoa(a.Errcode) != tc.want {
				t.Errorf("answer %s; want %s", got, tc.want)
			}
		})
	}
}
