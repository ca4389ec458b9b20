package mock_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

func TestARefusalIsJournaled(t *testing.T) {
	for _, tc := range []struct {
		name, method, target, wantPath string
		wantQuery                      map[string]string
	}{
		{"a CONNECT", http.MethodConnect, "example.com:443", "example.com:443", map[string]string{}},
		{"an absolute URL", http.MethodGet, "http://example.com/cgi-bin/token?appid=a", "http://example.com/cgi-bin/token", map[string]string{"appid": "a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := mock.New()
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(tc.method, tc.target, nil)
			before := *r.URL
			m.RecordRefusal(r, http.StatusForbidden, "proxy request for another host", []byte("refused\n"))
			got := m.Journal(mock.Filter{Status: http.StatusForbidden, Cause: "proxy request for another host"})
			if len(got) != 1 {
				t.Fatalf("got %d entries; want 1", len(got))
			}
			e := got[0]
			if e.Method != tc.method || e.Path != tc.wantPath || e.Answer != "refused\n" || e.Errcode != nil || e.Operation != "" {
				t.Errorf("got %s %s answer %q errcode %v operation %q; want %s %s answer %q, no errcode, no operation",
					e.Method, e.Path, e.Answer, e.Errcode, e.Operation, tc.method, tc.wantPath, "refused\n")
			}
			if len(e.Query) != len(tc.wantQuery) || e.Query["appid"] != tc.wantQuery["appid"] {
				t.Errorf("query: got %v; want %v", e.Query, tc.wantQuery)
			}
			if *r.URL != before {
				t.Errorf("the request's URL: got %+v; want it unchanged, %+v", *r.URL, before)
			}
		})
	}
}

func TestARefusalKeepsNoSecretWithRedaction(t *testing.T) {
	m, err := mock.New(mock.WithRedaction())
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "http://example.com/cgi-bin/token?secret=s3cr3t", nil)
	r.Header.Set("Proxy-Authorization", "Basic czNjcjN0")
	m.RecordRefusal(r, http.StatusForbidden, "proxy request for another host", nil)
	e := m.Journal(mock.Filter{})[0]
	if e.Query["secret"] == "s3cr3t" || e.Header["Proxy-Authorization"] == "Basic czNjcjN0" {
		t.Errorf("query %v, header %v; want no secret in clear", e.Query, e.Header)
	}
}
