package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock/internal/tokens"
	"github.com/tcbmock/tcbmock/mock/ui"
)

// adminError is the body of every admin API error.
type adminError struct {
	Error string `json:"error"`
}

func (s *Server) adminRouter() http.Handler {
	r := mux.NewRouter()
	a := r.PathPrefix(AdminPrefix).Subrouter()
	a.HandleFunc("/health", s.adminHealth).Methods(http.MethodGet)
	a.HandleFunc("/requests", s.adminRequests).Methods(http.MethodGet)
	a.HandleFunc("/requests", s.adminClearRequests).Methods(http.MethodDelete)
	a.HandleFunc("/config", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, s.Status()) }).Methods(http.MethodGet)
	a.HandleFunc("/requests/stream", s.adminStream).Methods(http.MethodGet)
	a.HandleFunc("/errcodes", s.adminErrcodes).Methods(http.MethodGet)
	if !s.journalOnly {
		a.HandleFunc("/apps", s.adminApps).Methods(http.MethodGet)
		a.HandleFunc("/scenarios", s.adminScenarios).Methods(http.MethodGet)
		a.HandleFunc("/tokens", s.adminLiveTokens).Methods(http.MethodGet)
		a.HandleFunc("/tokens", s.adminMintToken).Methods(http.MethodPost)
		a.HandleFunc("/clock", s.adminClock).Methods(http.MethodGet)
		a.HandleFunc("/clock", s.adminAdvance).Methods(http.MethodPost)
		a.HandleFunc("/reset", s.adminReset).Methods(http.MethodPost)
		a.HandleFunc("/reauthorize", s.adminReauthorize).Methods(http.MethodPost)
		s.steerRoutes(a)
	}
	a.Handle("/ui", http.RedirectHandler(AdminPrefix+"ui/", http.StatusMovedPermanently)).Methods(http.MethodGet, http.MethodHead)
	a.PathPrefix("/ui/").HandlerFunc(serveUI).Methods(http.MethodGet, http.MethodHead)
	r.Use(s.guard)
	notAllowed := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		allowed := allowedMethods(r, req.URL.Path)
		msg := fmt.Sprintf("%s is not allowed on %s", req.Method, req.URL.Path)
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			msg += ": use " + strings.Join(allowed, " or ")
		}
		writeJSON(w, http.StatusMethodNotAllowed, adminError{msg})
	})
	r.MethodNotAllowedHandler = notAllowed
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if len(allowedMethods(r, req.URL.Path)) > 0 { // gorilla/mux says 404 to a known path's other method
			notAllowed(w, req)
			return
		}
		msg := fmt.Sprintf("no admin API at %s %s", req.Method, req.URL.Path)
		if s.journalOnly {
			msg += ": this server journals exchanges answered elsewhere, and has only health, config, requests, requests/stream, errcodes and ui"
		}
		writeJSON(w, http.StatusNotFound, adminError{msg})
	})
	return r
}

// allowedMethods are the methods r routes for path, for a 405's Allow header.
func allowedMethods(r *mux.Router, path string) []string {
	var allowed []string
	r.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		if tpl, err := route.GetPathTemplate(); err == nil && tpl == path {
			methods, _ := route.GetMethods()
			allowed = append(allowed, methods...)
		}
		return nil
	})
	slices.Sort(allowed)
	return slices.Compact(allowed)
}

// writeJSON answers an admin request.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body := marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// readJSON decodes an admin request's body strictly into v.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodySize))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, adminError{"bad JSON body: " + err.Error()})
		return false
	}
	return true
}

func (s *Server) adminHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) adminApps(w http.ResponseWriter, r *http.Request) {
	apps, next, err := pageApps(s.Config(), r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
		return
	}
	out := map[string]any{"apps": apps, "components": s.components()}
	if next != "" {
		out["next"] = next
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminScenarios(w http.ResponseWriter, _ *http.Request) {
	list := s.Config().Scenarios()
	if list == nil {
		list = []*Scenario{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"scenarios": list})
}

func (s *Server) adminRequests(w http.ResponseWriter, r *http.Request) {
	keep, err := journalFilter(r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": s.Journal(keep)})
}

func (s *Server) adminClearRequests(w http.ResponseWriter, _ *http.Request) {
	s.journal.Clear()
	writeJSON(w, http.StatusOK, map[string]any{"requests": []Entry{}})
}

// mintAnswer is a minted token, shaped as /cgi-bin/token answers.
type mintAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

type mintRequest struct {
	AppID     string `json:"appid"`
	Scenario  string `json:"scenario"`
	ExpiresIn *int   `json:"expires_in"`
}

func (s *Server) adminMintToken(w http.ResponseWriter, r *http.Request) {
	var req mintRequest
	if !readJSON(w, r, &req) {
		return
	}
	expiresIn := int(s.Config().appTokenLifetime() / time.Second)
	if req.ExpiresIn != nil {
		expiresIn = *req.ExpiresIn
	}
	if expiresIn <= 0 || expiresIn > int(MaxAdvance/time.Second) {
		writeJSON(w, http.StatusBadRequest, adminError{fmt.Sprintf("expires_in %d: want 1 to %d seconds", expiresIn, int(MaxAdvance/time.Second))})
		return
	}
	value, err := s.MintToken(req.AppID, req.Scenario, time.Duration(expiresIn)*time.Second)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, mintAnswer{value, expiresIn})
}

type clockAnswer struct {
	Now string `json:"now"`
}

func (s *Server) adminClock(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, clockAnswer{s.Now().Format(time.RFC3339)})
}

func (s *Server) adminAdvance(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Advance string `json:"advance"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	d, err := time.ParseDuration(req.Advance)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, adminError{fmt.Sprintf("advance %q: %v (want a Go duration such as \"90s\" or \"2h\")", req.Advance, err)})
		return
	}
	now, err := s.Advance(d)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, adminError{fmt.Sprintf("advance %q: %v", req.Advance, strings.TrimPrefix(err.Error(), "mock: "))})
		return
	}
	writeJSON(w, http.StatusOK, clockAnswer{now.Format(time.RFC3339)})
}

// resetAnswer is the answer to POST reset.
type resetAnswer struct {
	Now     string `json:"now"`
	Removed *int   `json:"removed,omitempty"` // with "world": the items added or overridden at run time, removed
}

// adminReset puts tokens, clock, sequences and journal back to their
// start; with {"world":true}, it also removes what was added or
// overridden at run time. A reset with no body keeps the world.
func (s *Server) adminReset(w http.ResponseWriter, r *http.Request) {
	var req struct {
		World bool `json:"world"`
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodySize))
	if len(bytes.TrimSpace(body)) > 0 || err != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		if !readJSON(w, r, &req) {
			return
		}
	}
	var answer resetAnswer
	if req.World {
		n := s.ResetWorld()
		answer.Removed = &n
	} else {
		s.Reset()
	}
	answer.Now = s.Now().Format(time.RFC3339)
	writeJSON(w, http.StatusOK, answer)
}

func (s *Server) adminReauthorize(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ComponentAppID  string `json:"component_appid"`
		AuthorizerAppID string `json:"authorizer_appid"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	refresh, err := s.reauthorize(req.ComponentAppID, req.AuthorizerAppID)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"authorizer_refresh_token": refresh})
}

// operationErrcodes is an operation's errcode table, as GET errcodes lists it.
type operationErrcodes struct {
	Operation string             `json:"operation"`
	Method    string             `json:"method"`
	Path      string             `json:"path"`
	Token     *apispec.TokenRule `json:"token"` // the query parameters that carry its token, or null
	Errcodes  []apispec.Errcode  `json:"errcodes"`
}

// adminErrcodes lists the spec's x-errcodes tables, every operation's or,
// with ?operation=ID, one's.
func (s *Server) adminErrcodes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for key := range q {
		if key != "operation" {
			writeJSON(w, http.StatusBadRequest, adminError{fmt.Sprintf("unknown parameter %q: want operation", key)})
			return
		}
	}
	want, ops := q.Get("operation"), s.Config().spec.Operations()
	out := []operationErrcodes{}
	for _, o := range ops {
		if want == "" || o.ID == want {
			out = append(out, operationErrcodes{o.ID, o.Method, o.Path, o.Token, o.Errcodes})
		}
	}
	if len(out) == 0 && want != "" {
		ids := make([]string, len(ops))
		for i, o := range ops {
			ids[i] = o.ID
		}
		writeJSON(w, http.StatusNotFound, adminError{fmt.Sprintf("no operation %q in the spec: want one of %s", want, quoteList(ids))})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"operations": out})
}

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

// maxLiveTokens bounds the tokens GET tokens lists: the ones that work
// longest; total says how many work.
const maxLiveTokens = 1000

// liveTokens returns the tokens that work at now, those that work longest
// first, up to limit of them, and how many there are.
func (s *Server) liveTokens(now time.Time, limit int) ([]tokens.Live, int) {
	live := s.tokens.Live(now)
	slices.SortFunc(live, func(a, b tokens.Live) int { return b.ExpiresAt.Compare(a.ExpiresAt) })
	return live[:min(limit, len(live))], len(live)
}

// liveTokensAnswer is the answer of GET tokens.
type liveTokensAnswer struct {
	Now    string        `json:"now"` // the fake's time, RFC 3339
	Tokens []tokens.Live `json:"tokens"`
	Total  int           `json:"total"` // how many work; the list holds maxLiveTokens at most
}

func (s *Server) adminLiveTokens(w http.ResponseWriter, _ *http.Request) {
	now := s.Now()
	list, total := s.liveTokens(now, maxLiveTokens)
	writeJSON(w, http.StatusOK, liveTokensAnswer{Now: now.Format(time.RFC3339), Tokens: list, Total: total})
}

// TokensPerOwner is how many tokens of the rotating endpoints
// (/cgi-bin/token, the component and authorizer tokens) the fake keeps of
// one account or authorization: the current one and the one it replaced.
const TokensPerOwner = tokens.PerOwner
