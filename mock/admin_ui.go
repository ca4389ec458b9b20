package mock

import (
	"bytes"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/tcbmock/tcbmock/mock/ui"
)

// uiPrefix is where the admin page is served.
const uiPrefix = AdminPrefix + "ui/"

// uiPolicy lets the page load its own files and call its own server, and
// nothing else: no inline script, no other origin, no frame around it. A
// journal holds whatever clients sent; the page shows it as text, and the
// policy stops what a slip would let through.
const uiPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// isUIFile reports whether r asks for a file of the admin page.
func isUIFile(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
		(strings.HasPrefix(r.URL.Path, uiPrefix) || r.URL.Path+"/" == uiPrefix)
}

// serveUI serves a file of the admin page, index.html for the page itself.
func serveUI(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, uiPrefix)
	if name == "" {
		name = "index.html"
	}
	data, err := fs.ReadFile(ui.FS(), name)
	if err != nil || !fs.ValidPath(name) {
		writeJSON(w, http.StatusNotFound, adminError{"the admin page has no file " + r.URL.Path})
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", uiPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}
