package mock_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock"
)

func TestAdminErrcodesAreTheSpecsTables(t *testing.T) {
	f := newFake(t)
	type table struct {
		Operation, Method, Path string
		Token                   *apispec.TokenRule
		Errcodes                []apispec.Errcode
	}
	all := decode[struct{ Operations []table }](t, f.do("GET", "/__tcbmock/errcodes", "")).Operations
	ops := f.Config().Spec().Operations()
	if len(all) != len(ops) {
		t.Fatalf("got %d operations; want the spec's %d", len(all), len(ops))
	}
	for i, o := range ops {
		want := table{o.ID, o.Method, o.Path, o.Token, o.Errcodes}
		if !reflect.DeepEqual(all[i], want) {
			t.Errorf("operation %d: got %+v; want %+v", i, all[i], want)
		}
	}
	one := decode[struct{ Operations []table }](t, f.do("GET", "/__tcbmock/errcodes?operation=getEnvInfo", "")).Operations
	if len(one) != 1 || one[0].Operation != "getEnvInfo" || one[0].Token.Params[0] != "access_token" {
		t.Errorf("?operation=getEnvInfo: got %+v; want getEnvInfo's table alone", one)
	}
	for query, want := range map[string]int{"?operation=nope": http.StatusNotFound, "?op=getEnvInfo": http.StatusBadRequest} {
		if rep := f.do("GET", "/__tcbmock/errcodes"+query, ""); rep.Status != want || !strings.HasPrefix(string(rep.Body), `{"error":`) {
			t.Errorf("errcodes%s: got HTTP %d %s; want %d and a JSON error", query, rep.Status, rep.Body, want)
		}
	}
}

func TestAdminPageIsServedWithItsPolicy(t *testing.T) {
	f := newFake(t)
	for _, tc := range []struct {
		method, path string
		status       int
		contentType  string
	}{
		{"GET", "/__tcbmock/ui/", 200, "text/html; charset=utf-8"},
		{"HEAD", "/__tcbmock/ui/", 200, "text/html; charset=utf-8"},
		{"GET", "/__tcbmock/ui/style.css", 200, "text/css; charset=utf-8"},
		{"GET", "/__tcbmock/ui/js/main.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/__tcbmock/ui/favicon.svg", 200, "image/svg+xml"},
		{"GET", "/__tcbmock/ui/nope.js", 404, "application/json"},
		{"GET", "/__tcbmock/ui/js", 404, "application/json"},
		{"POST", "/__tcbmock/ui/", 405, "application/json"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			rep := f.do(tc.method, tc.path, "")
			if rep.Status != tc.status || rep.Header.Get("Content-Type") != tc.contentType {
				t.Errorf("got HTTP %d %s; want %d %s", rep.Status, rep.Header.Get("Content-Type"), tc.status, tc.contentType)
			}
			if rep.Status == 200 && !strings.HasPrefix(rep.Header.Get("Content-Security-Policy"), "default-src 'none'; script-src 'self';") {
				t.Errorf("got Content-Security-Policy %q; want the page's own files only", rep.Header.Get("Content-Security-Policy"))
			}
		})
	}
	if rep := f.do("GET", "/__tcbmock/ui", ""); rep.Status != http.StatusMovedPermanently || rep.Header.Get("Location") != "/__tcbmock/ui/" {
		t.Errorf("GET /__tcbmock/ui: got HTTP %d to %q; want 301 to /__tcbmock/ui/", rep.Status, rep.Header.Get("Location"))
	}
}

func TestAdminPageIsOpenButItsDataNeedTheToken(t *testing.T) {
	f := newFake(t, mock.WithAdminToken("s3cret"))
	for _, tc := range []struct {
		method, path, auth string
		status             int
	}{
		{"GET", "/__tcbmock/ui/", "", 200},
		{"GET", "/__tcbmock/ui/js/api.js", "", 200},
		{"GET", "/__tcbmock/ui", "", http.StatusMovedPermanently},
		{"GET", "/__tcbmock/tokens", "", 401},
		{"GET", "/__tcbmock/errcodes", "", 401},
		{"GET", "/__tcbmock/requests/stream", "", 401},
		{"GET", "/__tcbmock/tokens", "Authorization: Bearer s3cret", 200},
		{"GET", "/__tcbmock/errcodes", "Authorization: Bearer s3cret", 200},
	} {
		t.Run(tc.method+" "+tc.path+" "+tc.auth, func(t *testing.T) {
			var header []string
			if tc.auth != "" {
				header = append(header, tc.auth)
			}
			if rep := f.do(tc.method, tc.path, "", header...); rep.Status != tc.status {
				t.Errorf("got HTTP %d %s; want %d", rep.Status, rep.Body, tc.status)
			}
		})
	}
}
