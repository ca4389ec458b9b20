package mock_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// steerRoutes are every route that changes the world, with a body each accepts.
var steerRoutes = []struct{ method, path, body string }{
	{"POST", "apps", addedApp},
	{"PUT", "apps/" + addedAppID, addedApp},
	{"DELETE", "apps/" + addedAppID, ""},
	{"POST", "components", addedComp},
	{"PUT", "components/" + addedCompID, addedComp},
	{"DELETE", "components/" + addedCompID, ""},
	{"POST", "scenarios", addedScenario},
	{"PUT", "scenarios/added-busy", addedScenario},
	{"DELETE", "scenarios/added-busy", ""},
	{"POST", "reset", `{"world":true}`},
}

func TestTheGuardCoversEveryChangeToTheWorld(t *testing.T) {
	for _, r := range steerRoutes {
		f := newFake(t)
		wantRefused(t, r.method+" "+r.path+" from a rebinding host", f.do(r.method, mock.AdminPrefix+r.path, r.body, rebound), "--allow-host")
		wantRefused(t, r.method+" "+r.path+" from another site", f.do(r.method, mock.AdminPrefix+r.path, r.body, "Sec-Fetch-Site: cross-site"), "--allow-origin")
		g := newFake(t, mock.WithAdminToken("s3cret"))
		if rep := g.do(r.method, mock.AdminPrefix+r.path, r.body); rep.Status != http.StatusUnauthorized {
			t.Errorf("%s %s without the admin token: HTTP %d %s; want 401", r.method, r.path, rep.Status, rep.Body)
		}
		if rep := g.do(r.method, mock.AdminPrefix+r.path, r.body, "Authorization: Bearer s3cret"); rep.Status == http.StatusUnauthorized || rep.Status == http.StatusForbidden {
			t.Errorf("%s %s with the admin token: HTTP %d %s", r.method, r.path, rep.Status, rep.Body)
		}
		if len(f.Journal(mock.Filter{})) != 0 || len(f.Config().Apps()) != worldApps {
			t.Errorf("%s %s refused changed the world", r.method, r.path)
		}
	}
}

func TestAnItemOverItsBoundIs413(t *testing.T) {
	f := newFake(t)
	big := `{"name":"big","description":"` + strings.Repeat("x", mock.MaxItemBytes) + `","errcode":-1}`
	f.admin("POST", "scenarios", big, http.StatusRequestEntityTooLarge)
	if err := f.AddScenario(t.Context(), big); err == nil || !strings.Contains(err.Error(), "at most 262144") {
		t.Errorf("AddScenario of %d bytes: %v; want refused, naming the bound", len(big), err)
	}
}

func TestTheWorldHoldsAtMostMaxRunTimeItems(t *testing.T) {
	f := newFake(t)
	for i := range mock.MaxRunTimeItems {
		if err := f.AddScenario(t.Context(), fmt.Sprintf(`{"name":"s%d","description":"d","errcode":-1}`, i)); err != nil {
			t.Fatalf("scenario %d: %v", i, err)
		}
	}
	rep := f.admin("POST", "scenarios", `{"name":"one-more","description":"d","errcode":-1}`, http.StatusInsufficientStorage)
	if !strings.Contains(string(rep.Body), "holds 1000 items") {
		t.Errorf("got %s; want the bound stated", rep.Body)
	}
	f.admin("DELETE", "scenarios/s0", "", http.StatusOK)
	f.admin("POST", "scenarios", `{"name":"one-more","description":"d","errcode":-1}`, http.StatusCreated)
}

func TestTheWorldHoldsAtMostMaxRunTimeBytes(t *testing.T) {
	f := newFake(t)
	desc := strings.Repeat("x", mock.MaxItemBytes-100)
	n := 0
	for ; n*(mock.MaxItemBytes-50) < mock.MaxRunTimeBytes; n++ {
		if err := f.AddScenario(t.Context(), fmt.Sprintf(`{"name":"s%d","description":"%s","errcode":-1}`, n, desc)); err != nil {
			break
		}
	}
	rep := f.admin("POST", "scenarios", `{"name":"one-more","description":"`+desc+`","errcode":-1}`, http.StatusInsufficientStorage)
	if !strings.Contains(string(rep.Body), "past 8388608") || n != mock.MaxRunTimeBytes/(mock.MaxItemBytes-50) {
		t.Errorf("after %d items: %s; want the byte bound stated", n, rep.Body)
	}
	f.admin("POST", "reset", `{"world":true}`, http.StatusOK)
	f.admin("POST", "scenarios", `{"name":"one-more","description":"`+desc+`","errcode":-1}`, http.StatusCreated)
}

func TestAnItemNestedTooDeepIsRefusedWhereItIsTooDeep(t *testing.T) {
	f := newFake(t)
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	rep := f.admin("POST", "apps", deep, http.StatusBadRequest)
	if want := "[0]: nested deeper than 64 levels"; !strings.Contains(string(rep.Body), want) {
		t.Errorf("got %.200s; want it to say %s", rep.Body, want)
	}
	deep = `{"name":"x","description":"d","body":` + strings.Repeat(`{"a":`, 40000) + "1" + strings.Repeat("}", 40000) + "}"
	f.admin("POST", "scenarios", deep, http.StatusBadRequest)
	f.admin("POST", "scenarios", `{"name":"x","description":"d","errcode":-1} {}`, http.StatusBadRequest)
	ok := `{"name":"deep-enough","description":"d","operations":["getEnvInfo"],"body":{"errcode":0,"errmsg":"ok","info_list":[]}}`
	f.admin("POST", "scenarios", ok, http.StatusCreated)
}

func TestAnItemWithAKeyTooLongIsRefusedWhereItIs(t *testing.T) {
	f := newFake(t)
	long := `{"appid":"x","envs":[{"` + strings.Repeat("k", 2000) + `":1}]` + strings.Repeat(`,"a":1`, 30000) + `}`
	rep := f.admin("POST", "apps", long, http.StatusBadRequest)
	if want := `$.envs[0]: a key longer than 256 bytes: 2000 bytes`; !strings.Contains(string(rep.Body), want) {
		t.Errorf("got %.300s; want it to say %s", rep.Body, want)
	}
}
