package mocktest_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	sharedToken, err := shared.Admin.MintToken(t.Context(), mocktest.DemoAppID, "", 0)
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
			token, err := fake.Admin.MintToken(t.Context(), mocktest.DemoAppID, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tc.want {
				if got := errcodeOf(call(t, fake, token, tc.scenario)); got != want {
					t.Fatalf("call %d: errcode %s; want %s", i+1, got, want)
				}
			}
			fake.Expect(t, len(tc.want), mock.Filter{Operation: "getEnvInfo"})
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

func TestScenariosFromADirectoryAddToTheEmbeddedOnes(t *testing.T) {
	dir := t.TempDir()
	mine := "scenarios:\n  - name: mine\n    description: my own scenario\n    operations: [getEnvInfo]\n    errcode: 45009\n"
	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	fake := mocktest.New(t, mocktest.Scenarios(t, dir))
	token, err := fake.MintToken(mocktest.DemoAppID, "", 0) // an app of the embedded world
	if err != nil {
		t.Fatal(err)
	}
	if got := errcodeOf(call(t, fake, token, "mine")); got != "45009" {
		t.Errorf("errcode %s; want 45009", got)
	}
	if got := errcodeOf(call(t, fake, token, "system-busy")); got != "-1" {
		t.Errorf("an embedded scenario: errcode %s; want -1", got)
	}
}

func TestScenariosNamesTheFileOfAProblem(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("scenarios:\n  - name: system-busy\n    description: twice\n    errcode: -1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var rec recorder
	func() {
		defer func() { _ = recover() }()
		mocktest.Scenarios(&rec, dir)
	}()
	if want := filepath.Join(dir, "bad.yaml") + `:2: scenario "system-busy" is already defined at openapi.yaml:`; !strings.Contains(rec.failed, want) {
		t.Errorf("failure %q; want it to name %s and the spec", rec.failed, want)
	}
}

// recorder is a TB that records the first fatal failure.
type recorder struct{ failed string }

func (r *recorder) Helper()                        {}
func (r *recorder) Errorf(format string, a ...any) { r.failed = fmt.Sprintf(format, a...) }
func (r *recorder) Fatalf(format string, a ...any) { r.failed = fmt.Sprintf(format, a...); panic(r) }
func (r *recorder) Cleanup(func())                 {}

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
	if err := fake.Admin.ClearRequests(ctx); err != nil || fake.Count(mock.Filter{}) != 0 {
		t.Errorf("clear: %v, %d left", err, fake.Count(mock.Filter{}))
	}
	if err := fake.Admin.Reset(ctx); err != nil {
		t.Error(err)
	}
	if _, err := fake.Admin.MintToken(ctx, "wx0000000000000000", "", 0); err == nil || !strings.Contains(err.Error(), "HTTP 400") {
		t.Errorf("minting for an unknown app: %v; want an HTTP 400 error", err)
	}
}

func TestExpectRefusesAnOperationOrScenarioTheFakeDoesNotHave(t *testing.T) {
	fake := mocktest.New(t)
	for _, c := range []struct {
		filter mock.Filter
		want   string
	}{
		{mock.Filter{Operation: "getEnvinfo"}, `operation "getEnvinfo" is not in the spec (did you mean "getEnvInfo"?); its operations: `},
		{mock.Filter{Scenario: "system_busy"}, `scenario "system_busy" is not loaded (did you mean "system-busy"?)`},
	} {
		var rec recorder
		if fake.Expect(&rec, 0, c.filter) || !strings.Contains(rec.failed, c.want) {
			t.Errorf("Expect(0, %+v): failure %q; want one that says %q", c.filter, rec.failed, c.want)
		}
	}
	if !fake.Expect(t, 0, mock.Filter{Operation: "getEnvInfo", Scenario: "system-busy"}) {
		t.Error("a filter of known names was refused")
	}
}
