package mock

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// adminGuard is who may use the admin API and its page: the holder of the
// admin token, if there is one; without the token, a request whose Host
// the fake knows as its own (a rebinding page's is not) and, for a write,
// that no browser marks as sent by another site.
type adminGuard struct {
	token   string              // "" when none
	hosts   map[string]struct{} // names and addresses allowed besides loopback ones, lower case
	origins []string            // allowed besides the fake's own, as given
	csrf    *http.CrossOriginProtection
}

func newAdminGuard() *adminGuard {
	return &adminGuard{hosts: map[string]struct{}{}, csrf: http.NewCrossOriginProtection()}
}

// allowOrigins trusts origins such as "https://tool.example:8443" to write.
func (g *adminGuard) allowOrigins(origins []string) error {
	for _, o := range origins {
		if err := g.csrf.AddTrustedOrigin(o); err != nil {
			return fmt.Errorf("mock: allowed origin %q: %w", o, err)
		}
		g.origins = append(g.origins, o)
	}
	return nil
}

// allowHosts allows Host names (or addresses) such as "tcbmock"; a name
// with a port, such as --addr's, counts for its host.
func (g *adminGuard) allowHosts(names []string) {
	for _, n := range names {
		if n = hostOnly(n); n != "" && !isUnspecified(n) {
			g.hosts[n] = struct{}{}
		}
	}
}

// hostOnly returns the name or address of a Host, without port, brackets
// or final dot, in lower case.
func hostOnly(h string) string {
	if name, _, err := net.SplitHostPort(h); err == nil {
		h = name
	}
	h = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"), ".")
	return strings.ToLower(h)
}

// isUnspecified reports whether h is 0.0.0.0 or ::, an address to listen
// on that no request names.
func isUnspecified(h string) bool {
	ip := net.ParseIP(h)
	return ip != nil && ip.IsUnspecified()
}

// hostAllowed reports whether a request for Host h may use the admin API
// without the token: h is a loopback name or address, or one allowed.
func (g *adminGuard) hostAllowed(h string) bool {
	name := hostOnly(h)
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true // RFC 6761: such names resolve to loopback only
	}
	if ip := net.ParseIP(name); ip != nil && ip.IsLoopback() {
		return true
	}
	_, ok := g.hosts[name]
	return ok
}

// hasToken reports whether r carries the admin token.
func (g *adminGuard) hasToken(r *http.Request) bool {
	got, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return g.token != "" && bearer && subtle.ConstantTimeCompare([]byte(got), []byte(g.token)) == 1
}

// refusal returns the status and message that refuse r, or 0.
//
// GET health answers anyone: a CI job waits for it by a service name. So
// do the admin page's files when there is a token, as they hold no data
// and the page asks for the token; without one, the page is guarded as the
// API it calls is.
func (g *adminGuard) refusal(r *http.Request) (int, string) {
	if r.URL.Path == AdminPrefix+"health" || g.hasToken(r) {
		return 0, ""
	}
	if g.token != "" && isUIFile(r) {
		return 0, ""
	}
	if !g.hostAllowed(r.Host) {
		return http.StatusForbidden, fmt.Sprintf("the admin API answers Host %q only with its token: it answers loopback names and addresses, the host of --addr, and the names of --allow-host NAME (or serve --admin-token, and send it)", r.Host)
	}
	if err := g.csrf.Check(r); err != nil {
		return http.StatusForbidden, fmt.Sprintf("the admin API takes no %s from a page of another site (Origin %q, Sec-Fetch-Site %q): allow the page's origin with --allow-origin ORIGIN", r.Method, r.Header.Get("Origin"), r.Header.Get("Sec-Fetch-Site"))
	}
	if g.token != "" {
		return http.StatusUnauthorized, "the admin API needs Authorization: Bearer TOKEN (serve --admin-token)"
	}
	return 0, ""
}

// guard serves next to the requests the admin guard lets through.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, msg := s.adminGuard.refusal(r)
		switch status {
		case 0:
			next.ServeHTTP(w, r)
			return
		case http.StatusUnauthorized:
			w.Header().Set("WWW-Authenticate", `Bearer realm="tcbmock admin"`)
		}
		writeJSON(w, status, adminError{msg})
	})
}
