package mock

import "net/http"

// recordRefusal journals a request that was refused before it reached the
// server (package bridge's Refusals).
func (s *Server) recordRefusal(r *http.Request, status int, cause string, body []byte) {
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
