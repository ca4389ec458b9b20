package proxy_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/proxy"
)

// An upstream that answers a path of no spec's with a body the overlay's
// schema refuses: with the overlay the proxy validates it, without it the
// path is not in the spec.
func TestTheProxyChecksTheOperationsOfAnOverlay(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; encoding=utf-8")
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`)) // no collections: the overlay's schema requires them
	}))
	t.Cleanup(upstream.Close)
	overlay := mock.File{FS: os.DirFS("../mock/testdata/newop"), Path: "operation.yaml"}
	for _, tc := range []struct {
		name                 string
		opts                 []proxy.Option
		violating, notInSpec int
	}{
		{"with the overlay", []proxy.Option{proxy.WithOverlays(overlay)}, 1, 0},
		{"without it", nil, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, srv := startProxy(t, upstream.URL, &syncBuffer{}, tc.opts...)
			do(t, srv.URL, "POST", "/tcb/databasecollectionget?access_token=97_abc", `{"env":"e"}`)
			if sum := p.Summary(); sum.Violating != tc.violating || sum.NotInSpec != tc.notInSpec {
				t.Errorf("summary %+v; want %d violating, %d not in the spec", sum, tc.violating, tc.notInSpec)
			}
		})
	}
}
