package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// send serves one request in-process, from any goroutine.
func send(s *mock.Server, method, target, body string) (int, []byte) {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Host = "127.0.0.1:8080"
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w.Code, w.Body.Bytes()
}

// twoEnvs is the demo app's override with two envs of one version.
func twoEnvs(version, status string) string {
	env := func(n int) string {
		return fmt.Sprintf(`{"env":"%s%d-000000","alias":"%s%d","create_time":"2026-01-02 03:04:05","update_time":"2026-01-02 03:04:05","status":"%s","package_id":"basic","package_name":"p"}`, version, n, version, n, status)
	}
	return `{"envs":[` + env(1) + "," + env(2) + `]}`
}

// TestChangesResetsAndRequestsTogether hammers one fake with adds,
// deletes, overrides, resets and requests at once: under -race it finds
// a data race, and every answer shows the world before a change or after
// it, never half of each.
func TestChangesResetsAndRequestsTogether(t *testing.T) {
	f := newFake(t)
	const rounds = 150
	whole := map[string]bool{"a1,a2": true, "b1,b2": true, "test2": true} // version A, version B, the file's
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range rounds {
			v, status := "a", "NORMAL"
			if i%2 == 1 {
				v, status = "b", "HALTED"
			}
			if code, body := send(f.Server, "PUT", mock.AdminPrefix+"apps/"+demoAppID, twoEnvs(v, status)); code != http.StatusOK {
				t.Errorf("PUT the demo app: HTTP %d %s", code, body)
			}
		}
	})
	wg.Go(func() {
		for i := range rounds {
			id := fmt.Sprintf("wxadded%011x", i)
			send(f.Server, "POST", mock.AdminPrefix+"apps", strings.Replace(addedApp, addedAppID, id, 1))
			send(f.Server, "POST", mock.AdminPrefix+"scenarios", strings.Replace(addedScenario, "added-busy", id, 1))
			send(f.Server, "GET", "/cgi-bin/token?grant_type=client_credential&appid="+id+"&secret="+addedSecret, "")
			send(f.Server, "DELETE", mock.AdminPrefix+"apps/"+id, "")
			send(f.Server, "DELETE", mock.AdminPrefix+"scenarios/"+id, "")
		}
	})
	wg.Go(func() {
		for i := range rounds / 5 {
			body := ""
			if i%2 == 1 {
				body = `{"world":true}`
			}
			if code, answer := send(f.Server, "POST", mock.AdminPrefix+"reset", body); code != http.StatusOK {
				t.Errorf("reset: HTTP %d %s", code, answer)
			}
		}
	})
	for range 2 {
		wg.Go(func() {
			for range rounds {
				_, b := send(f.Server, "GET", "/cgi-bin/token?grant_type=client_credential&appid="+demoAppID+"&secret="+demoSecret, "")
				var tok tokenReply
				_ = json.Unmarshal(b, &tok)
				_, b = send(f.Server, "POST", "/tcb/getenvinfo?access_token="+tok.AccessToken, "{}")
				var got envReply
				_ = json.Unmarshal(b, &got)
				if got.Errcode != 0 {
					continue // a reset took the token
				}
				var aliases []string
				for _, e := range got.InfoList {
					aliases = append(aliases, e.Alias)
				}
				if !whole[strings.Join(aliases, ",")] {
					t.Errorf("getenvinfo listed %s: half of a change", b)
				}
				send(f.Server, "GET", mock.AdminPrefix+"apps", "")
			}
		})
	}
	wg.Wait()
	f.ResetWorld()
	if n := len(f.Config().Apps()); n != worldApps {
		t.Errorf("after ResetWorld the world has %d apps; want the files' %d", n, worldApps)
	}
}
