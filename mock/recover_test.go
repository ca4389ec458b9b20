package mock_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestPanicIsAnsweredAsSystemError(t *testing.T) {
	f := newFake(t)
	r := httptest.NewRequestWithContext(t.Context(), "POST", "/tcb/getenvinfo", nil)
	w := httptest.NewRecorder()
	f.PanicHandler("boom").ServeHTTP(w, r)
	rep := f.check(r, w.Result())
	wantErrcode(t, rep, -1)
}

func TestAbortHandlerPanicStillAborts(t *testing.T) {
	f := newFake(t)
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("got panic %v; want http.ErrAbortHandler to go through", v)
		}
	}()
	f.PanicHandler(http.ErrAbortHandler).ServeHTTP(httptest.NewRecorder(), httptest.NewRequestWithContext(t.Context(), "GET", "/", nil))
}
