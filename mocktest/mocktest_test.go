package mocktest_test

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// call lists the environments with token and the scenario header.
func call(t *testing.T, fake *mocktest.Fake, token, scenario string) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "POST", fake.URL+"/tcb/getenvinfo?access_token="+token, strings.NewReader("{}"))
	if scenario != "" {
		req.Header.Set(mock.ScenarioHeader, scenario)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

func errcodeOf(answer string) string {
	_, rest, _ := strings.Cut(answer, `"errcode":`)
	code, _, _ := strings.Cut(rest, ",")
	return code
}

// TestParallel runs clients with different scenarios and sequences side by
// side, each against a fake of its own, and two more sharing one fake with
// keyed sequences; under -race none sees another's state.
func TestParallel(t *testing.T) {
	shared := mocktest.New(t)
	sharedToken, err := shared.Admin.MintToken(t.Context(), "wxd0c0ffee00000001", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, scenario string
		want           []string
	}{
		{"retry", "retry-then-ok", []string{"-1", "-1", "0", "0"}},
		{"expired", "expired-then-ok", []string{"42001", "0", "0"}},
		{"busy", "system-busy", []string{"-1", "-1"}},
		{"natural", "", []string{"0", "0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := mocktest.New(t)
			token, err := fake.Admin.MintToken(t.Context(), "wxd0c0ffee00000001", "", 0)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tc.want {
				if got := errcodeOf(call(t, fake, token, tc.scenario)); got != want {
					t.Fatalf("call %d: errcode %s; want %s", i+1, got, want)
				}
			}
			fake.Journal.Expect(t, len(tc.want), mock.ByOperation("getEnvInfo"))
		})
		t.Run(tc.name+" shared", func(t *testing.T) {
			t.Parallel()
			scenario := tc.scenario
			if scenario != "" {
				scenario += "; key=" + tc.name
			}
			for i, want := range tc.want {
				if got := errcodeOf(call(t, shared, sharedToken, scenario)); got != want {
					t.Fatalf("call %d: errcode %s; want %s", i+1, got, want)
				}
			}
		})
	}
}

func TestScenariosFromADirectory(t *testing.T) {
	dir := fstest.MapFS{"mine.yaml": {Data: []byte("scenarios:\n  - name: mine\n    description: my own scenario\n    errcode: 45009\n")}}
	fake := mocktest.New(t, mocktest.Scenarios(t, dir))
	if got := errcodeOf(call(t, fake, "97_"+strings.Repeat("x", 100), "mine")); got != "45009" {
		t.Errorf("errcode %s; want 45009", got)
	}
}

func TestAdminClient(t *testing.T) {
	fake := mocktest.New(t)
	ctx := t.Context()
	if err := fake.Admin.Health(ctx); err != nil {
		t.Fatal(err)
	}
	w, err := fake.Admin.Apps(ctx)
	if err != nil || len(w.Apps) == 0 || len(w.Components) == 0 {
		t.Fatalf("apps: %+v, %v", w, err)
	}
	token, err := fake.Admin.MintToken(ctx, w.Apps[0].AppID, "", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	before := fake.Now()
	now, err := fake.Admin.Advance(ctx, 2*time.Minute)
	if err != nil || now.Sub(before) < 2*time.Minute-time.Second { // the answer is in whole seconds
		t.Errorf("advance: %v, %v", now, err)
	}
	if got := errcodeOf(call(t, fake, token, "")); got != "42001" {
		t.Errorf("errcode %s; want 42001", got)
	}
	entries, err := fake.Admin.Requests(ctx, map[string][]string{"errcode": {"42001"}})
	if err != nil || len(entries) != 1 || entries[0].Cause != "expired token" {
		t.Errorf("requests: %+v, %v", entries, err)
	}
	refresh, err := fake.Admin.Reauthorize(ctx, w.Components[0].AppID, w.Components[0].Authorizations[0].AppID)
	if err != nil || refresh == "" {
		t.Errorf("reauthorize: %q, %v", refresh, err)
	}
	if err := fake.Admin.ClearRequests(ctx); err != nil || fake.Journal.Count() != 0 {
		t.Errorf("clear: %v, %d left", err, fake.Journal.Count())
	}
	if err := fake.Admin.Reset(ctx); err != nil {
		t.Error(err)
	}
	if _, err := fake.Admin.MintToken(ctx, "wx0000000000000000", "", 0); err == nil || !strings.Contains(err.Error(), "HTTP 400") {
		t.Errorf("minting for an unknown app: %v; want an HTTP 400 error", err)
	}
}
