package mock

import "net/http"

// RecordRefusal journals a request that was refused before it reached the
// server, such as a proxy request for a host the fake does not serve
// (package intercept does so): its method, its target as the path (the
// host and port of a CONNECT, the URL without its query of any other), its
// query and headers, the status and body sent, and cause. The entry has no
// operation, errcode or rid.
func (s *Server) RecordRefusal(r *http.Request, status int, cause string, body []byte) {
	target := *r.URL
	if r.Method == http.MethodConnect {
		target.Path = r.Host
	} else {
		target.RawQuery = ""
		target.Path = target.String()
		target.RawQuery = r.URL.RawQuery
	}
	c := &call{r: r.WithContext(r.Context()), cfg: s.Config(), now: s.Now()}
	c.r.URL = &target
	s.record(c, outcome{answer: answer{status: status, body: body}, cause: cause})
}
