package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// The credentials the hostile tests give check: each must never be written.
const (
	hostileAdminToken = "adm1n-T0ken-never-to-be-printed"
	componentAppID    = mocktest.ComponentAppID
	componentSecret   = mocktest.ComponentSecret
	verifyTicket      = mocktest.VerifyTicket
	authorizerAppID   = mocktest.DemoAppID
	refreshToken      = mocktest.DemoRefreshToken
)

// seen gathers every credential that crosses a handler: the query's and the
// body's, the Authorization header, and the tokens in the answers.
type seen struct {
	mu  sync.Mutex
	all map[string]bool
}

func (s *seen) add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.all == nil {
		s.all = map[string]bool{}
	}
	for _, v := range values {
		if len(v) >= 6 {
			s.all[v] = true
		}
	}
}

// addJSON adds the credential fields of a JSON object.
func (s *seen) addJSON(data []byte) {
	var fields map[string]any
	_ = json.Unmarshal(data, &fields)
	for k, v := range fields {
		if str, ok := v.(string); ok && (strings.HasSuffix(k, "token") || strings.HasSuffix(k, "secret") || strings.HasSuffix(k, "ticket")) {
			s.add(str)
		}
	}
}

// wrap records the credentials of every request to h and of its answers.
func (s *seen) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		for k, v := range r.URL.Query() {
			if strings.HasSuffix(k, "token") || k == "secret" {
				s.add(v...)
			}
		}
		s.add(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		s.addJSON(body)
		tee := &teeWriter{ResponseWriter: w}
		h.ServeHTTP(tee, r)
		s.addJSON(tee.body.Bytes())
	})
}

// teeWriter keeps a copy of the answer it writes, and can be hijacked.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.body.Write(p)
	return t.ResponseWriter.Write(p)
}

func (t *teeWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return t.ResponseWriter.(http.Hijacker).Hijack()
}

// list returns the credentials seen, but for the wrong ones the suite
// makes up on purpose (a secret of zeros, tokens nobody issued), which are
// in its source and its feature files.
func (s *seen) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for v := range s.all {
		madeUp := strings.Trim(v, "0") == "" || v == "not-a-token" || strings.Contains(strings.ToLower(v), "tcbm0ck") || strings.Contains(v, "tcbmock-wrong")
		if !madeUp {
			out = append(out, v)
		}
	}
	return out
}

// echo answers every request with HTTP 200 JSON that repeats it: method,
// URL, headers and body, as an errcode -1 whose errmsg holds all of it.
func echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	all := fmt.Sprintf("%s %s %v %s", r.Method, r.URL, r.Header, body)
	w.Header().Set("Content-Type", "application/json; encoding=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"errcode": -1, "errmsg": all + " rid: 00000000-00000000-00000000", "echo": all})
}

// hostile is a target that misbehaves on purpose.
type hostile struct {
	name    string
	fake    bool // it has the admin API, guarded by hostileAdminToken
	handler func(t *testing.T, fake http.Handler) http.Handler
}

// carriesToken reports whether a request carries a token in its query.
func carriesToken(r *http.Request) bool {
	q := r.URL.Query()
	return q.Get("access_token") != "" || q.Get("component_access_token") != ""
}

func hostiles(t *testing.T) []hostile {
	elsewhere := &atomic.Int32{}
	other := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		echo(w, r)
	}))
	t.Cleanup(func() {
		if n := elsewhere.Load(); n != 0 {
			t.Errorf("%d requests followed a redirect to another host; want none", n)
		}
	})
	stalled := make(chan struct{})
	t.Cleanup(func() { close(stalled) })
	return []hostile{
		{"redirects every request", false, func(_ *testing.T, _ http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other+r.URL.RequestURI(), http.StatusTemporaryRedirect)
			})
		}},
		{"echoes every request", false, func(_ *testing.T, _ http.Handler) http.Handler { return http.HandlerFunc(echo) }},
		{"echoes every request, admin API too", true, func(_ *testing.T, _ http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.URL.Path == mock.AdminPrefix+"health":
					_, _ = io.WriteString(w, `{"status":"ok"}`)
				case strings.HasPrefix(r.URL.Path, mock.AdminPrefix):
					w.WriteHeader(http.StatusInternalServerError)
					_ = json.NewEncoder(w).Encode(map[string]string{"error": fmt.Sprint(r.Header)})
				default:
					echo(w, r)
				}
			})
		}},
		{"closes connections that carry a token", false, closing},
		{"closes connections that carry a token, a fake", true, closing},
		{"stalls requests that carry a token", false, stalling(stalled)},
		{"stalls requests that carry a token, a fake", true, stalling(stalled)},
	}
}

func closing(t *testing.T, fake http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !carriesToken(r) {
			fake.ServeHTTP(w, r)
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	})
}

func stalling(stalled chan struct{}) func(*testing.T, http.Handler) http.Handler {
	return func(_ *testing.T, fake http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !carriesToken(r) {
				fake.ServeHTTP(w, r)
				return
			}
			_, _ = io.Copy(io.Discard, r.Body) // so that the server sees the client go
			select {
			case <-r.Context().Done():
			case <-stalled:
			}
		})
	}
}

// appToken gets a token of the demo app from the fake, for --token.
func appToken(t *testing.T, fake http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/cgi-bin/token?grant_type=client_credential&appid="+demoAppID+"&secret="+demoSecret, nil))
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("no token: %s", rec.Body)
	}
	return tok.AccessToken
}

// TestCheckNeverWritesACredential runs check against hostile targets, in
// every format, with every kind of credential, and looks for each
// credential the run used (given, the fake's, or issued) in everything
// check wrote: standard output and error, and the report file. Each target
// meets every format and both kinds of credential, and each format both
// kinds (a run per target and format, the kind alternating): every pair of
// the three, in half the runs of every triple.
func TestCheckNeverWritesACredential(t *testing.T) {
	clearCredentials(t)
	for i, h := range hostiles(t) {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel() // a hostile target of its own
			var used seen
			used.add(demoSecret, componentSecret, verifyTicket, refreshToken, hostileAdminToken)
			opts := []mock.Option{}
			if h.fake {
				opts = append(opts, mock.WithAdminToken(hostileAdminToken))
			}
			m, err := mock.New(opts...)
			if err != nil {
				t.Fatal(err)
			}
			var fake http.Handler = m
			if !h.fake {
				fake = testkit.WithoutAdmin(m)
			}
			token := appToken(t, m)
			used.add(token)
			target := serve(t, used.wrap(h.handler(t, fake)))
			kinds := [][]string{
				{"--appid", demoAppID, "--secret", demoSecret, "--component-appid", componentAppID, "--component-secret", componentSecret,
					"--verify-ticket", verifyTicket, "--authorizer-appid", authorizerAppID, "--refresh-token", refreshToken},
				{"--token", token},
			}
			for f, format := range []string{"pretty", "progress", "junit", "cucumber"} {
				creds := kinds[(i+f)%len(kinds)]
				out := filepath.Join(t.TempDir(), "report")
				args := append([]string{"check", "--target", target, "--admin-token", hostileAdminToken, "--timeout", "500ms", "--format", format, "-v"}, creds...)
				if format != "pretty" {
					args = append(args, "--out", out)
				}
				stdout, stderr, code := runCLI(t, args...)
				report, _ := os.ReadFile(out)
				all := stdout + stderr + string(report)
				if code == 0 {
					t.Errorf("%s, %s: exit 0 from a hostile target", format, creds[0])
				}
				for _, secret := range used.list() {
					for _, form := range []string{secret, url.QueryEscape(secret)} {
						if i := strings.Index(all, form); i >= 0 {
							t.Errorf("%s, %s: the output holds a credential: …%s…", format, creds[0], all[max(0, i-80):min(len(all), i+len(form)+20)])
						}
					}
				}
			}
		})
	}
}
