package contract

import (
	"errors"
	"net/http"
	"net/http/httptest"
)

// handlerTransport answers requests with an http.Handler in-process.
type handlerTransport struct{ h http.Handler }

func (ht handlerTransport) RoundTrip(r *http.Request) (resp *http.Response, err error) {
	defer func() {
		if v := recover(); v == http.ErrAbortHandler {
			resp, err = nil, errors.New("contract: the handler aborted the connection")
		} else if v != nil {
			panic(v)
		}
	}()
	in := r.Clone(r.Context())
	if in.Body == nil {
		in.Body = http.NoBody // as a server gives it
	}
	in.RequestURI = r.URL.RequestURI()
	w := httptest.NewRecorder()
	ht.h.ServeHTTP(w, in)
	resp = w.Result()
	resp.Request = r
	return resp, nil
}
