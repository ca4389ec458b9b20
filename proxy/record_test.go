package proxy_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
	"github.com/tcbmock/tcbmock/proxy"
)

// replay serves the recording in dir as tcbmock serve --scenarios dir
// --replace-scenarios does (the recording of the fake has the embedded
// world's apps, which the embedded files would define twice).
func replay(t *testing.T, dir string) *httptest.Server {
	t.Helper()
	files := mock.Files{Spec: mock.Embedded().Spec, Scenarios: []mock.File{{FS: os.DirFS(dir), Path: ".", Name: dir}}}
	cfg, err := mock.Load(t.Context(), files)
	if err != nil {
		t.Fatalf("the recording does not load: %v", err)
	}
	m, err := mock.New(mock.WithConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return srv
}

// standIns are the credentials the replay's world holds instead of c's.
func standIns(t *testing.T, base string, c creds) creds {
	t.Helper()
	var world struct {
		Apps       []*mock.App      `json:"apps"`
		Components []mock.Component `json:"components"`
	}
	if err := json.Unmarshal(do(t, base, "GET", "/__tcbmock/apps", "").Body, &world); err != nil || len(world.Components) != 1 {
		t.Fatalf("the replay's world: %+v (%v); want apps and one platform", world, err)
	}
	secret := func(appid string) string {
		for _, a := range world.Apps {
			if a.AppID == appid {
				return a.Secret
			}
		}
		t.Fatalf("the recorded world has no app %s", appid)
		return ""
	}
	comp := world.Components[0]
	c.demoSecret, c.secondSecret = secret(c.demoAppID), secret(c.secondAppID)
	c.componentSecret, c.verifyTicket = comp.Secret, comp.VerifyTicket
	c.demoRefresh, c.secondRefresh = comp.Authorization(c.demoAppID).RefreshToken, comp.Authorization(c.secondAppID).RefreshToken
	return c
}

func TestARecordingReplaysTheSessionTheSameWay(t *testing.T) {
	dir := t.TempDir()
	s := newSetup(t, nil, proxy.WithRecording(dir))
	var tokens []string
	recorded := session(t, s.srv.URL, realCreds(), &tokens)
	if err := s.proxy.Flush(); err != nil {
		t.Fatal(err)
	}
	r := replay(t, dir)
	var more []string
	replayed := session(t, r.URL, standIns(t, r.URL, realCreds()), &more)
	if len(replayed) != len(recorded) {
		t.Fatalf("got %d answers; want %d", len(replayed), len(recorded))
	}
	for i := range recorded {
		if replayed[i] != recorded[i] {
			t.Errorf("answer %d: the replay's\n\t%s\nwant the upstream's\n\t%s", i+1, replayed[i], recorded[i])
		}
	}
}

// errmsgHeader asks withErrmsg for an errmsg of the request's text.
const errmsgHeader = "X-Test-Errmsg"

// withErrmsg answers as h, but with the errmsg text the request asks for
// in errmsgHeader, before the rid: an upstream whose texts differ from
// the spec's.
func withErrmsg(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		text := r.Header.Get(errmsgHeader)
		if text == "" {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var answer map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &answer)
		errmsg, _ := answer["errmsg"].(string)
		answer["errmsg"] = text + errmsg[strings.Index(errmsg, " rid: "):]
		body, _ := json.Marshal(answer)
		w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

func TestARecordingHasAScenarioForEachErrcodeWithTheUpstreamsErrmsg(t *testing.T) {
	dir := t.TempDir()
	s := newSetup(t, withErrmsg, proxy.WithRecording(dir))
	var tokens []string
	session(t, s.srv.URL, realCreds(), &tokens)
	tok := token(t, s.srv.URL, demoAppID, demoSecret)
	do(t, s.srv.URL, "POST", "/tcb/getenvinfo?access_token="+tok, "{}", mock.ScenarioHeader+": daily-quota-reached", errmsgHeader+": reach max api daily quota limit hint: [Xy12]")
	if err := s.proxy.Flush(); err != nil {
		t.Fatal(err)
	}
	r := replay(t, dir)
	tok = token(t, r.URL, demoAppID, standIns(t, r.URL, realCreds()).demoSecret)
	for _, tc := range []struct{ scenario, path, want string }{
		{"recorded-getenvinfo-45009", "/tcb/getenvinfo?access_token=" + tok, "reach max api daily quota limit hint: [Xy12]"},
		{"recorded-getenvinfo-minus1", "/tcb/getenvinfo?access_token=" + tok, "system error"},
		{"recorded-getenvinfo-40001", "/tcb/getenvinfo?access_token=" + tok,
			"invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r"},
		{"recorded-getenvinfo-61007", "/tcb/getenvinfo?access_token=" + tok, "api is unauthorized to component"},
		{"recorded-getstableaccesstoken-40125", "/cgi-bin/stable_token", "invalid appsecret"},
		{"recorded-getstableaccesstoken-40013", "/cgi-bin/stable_token", "invalid appid"},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			rep := do(t, r.URL, "POST", tc.path, "{}", mock.ScenarioHeader+": "+tc.scenario)
			if !apispec.RIDPattern.MatchString(rep.Errmsg) || apispec.RIDPattern.ReplaceAllString(rep.Errmsg, "") != tc.want {
				t.Errorf("got HTTP %d %s; want the errmsg %q and a rid", rep.Status, rep.Body, tc.want)
			}
		})
	}
}

func TestARecordingSessionWritesNoSecretAnywhere(t *testing.T) {
	dir := t.TempDir()
	s := newSetup(t, nil, proxy.WithRecording(dir))
	var tokens []string
	session(t, s.srv.URL, realCreds(), &tokens)
	if err := s.proxy.Flush(); err != nil {
		t.Fatal(err)
	}
	secrets := slices.Concat(tokens, []string{demoSecret, secondSecret, mocktest.ComponentSecret, mocktest.VerifyTicket,
		mocktest.DemoRefreshToken, mocktest.SecondRefreshToken})
	if len(tokens) < 6 {
		t.Fatalf("the session received %d tokens; want its six at least", len(tokens))
	}
	written := map[string]string{"the log": s.log.String(), "the journal": string(do(t, s.srv.URL, "GET", "/__tcbmock/requests", "").Body)}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, rerr := os.ReadFile(path)
			written[path] = string(data)
			return rerr
		}
		return err
	})
	if err != nil || len(written) < 3 {
		t.Fatalf("read %d places (%v); want the log, the journal and the recording", len(written), err)
	}
	for where, text := range written {
		for _, secret := range secrets {
			for _, form := range []string{secret, strings.ReplaceAll(secret, "@", "%40")} {
				if strings.Contains(text, form) {
					t.Errorf("%s holds %.24s… in clear", where, secret)
				}
			}
		}
	}
}
