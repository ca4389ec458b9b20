package mocktest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/adminclient"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// newApp is an app for a test to add: its appid, a secret, and two envs.
func newApp(appid string) mock.App {
	env := func(name, status string) mock.Entity {
		return mock.Entity{"env": name, "alias": strings.Split(name, "-")[0], "create_time": "2026-01-02 03:04:05",
			"update_time": "2026-01-02 03:04:05", "status": status, "package_id": "basic", "package_name": "基础版 1"}
	}
	return mock.App{AppID: appid, Secret: "5ec2e7000000000000000000000000a1",
		Entities: map[string][]mock.Entity{"envs": {env("dev-1a2b3c", "NORMAL"), env("prod-4d5e6f", "HALTED")}}}
}

func TestAdminAddsAnAppAndAScenarioUsesThemAndDeletesThem(t *testing.T) {
	fake := mocktest.New(t)
	ctx := t.Context()
	const appid = "wx5ec2e70000000001"
	if err := fake.Admin.AddApp(ctx, newApp(appid)); err != nil {
		t.Fatal(err)
	}
	if err := fake.Admin.AddScenario(ctx, `{"name":"mine-busy","description":"busy","operations":["getEnvInfo"],"errcode":-1}`); err != nil {
		t.Fatal(err)
	}
	token, err := fake.Admin.MintToken(ctx, appid, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := getEnvInfo(fake.URL, token); !strings.Contains(got, `"env":"dev-1a2b3c"`) || !strings.Contains(got, `"env":"prod-4d5e6f"`) {
		t.Errorf("getenvinfo of the added app: %s", got)
	}
	if err := fake.Admin.PutApp(ctx, appid, map[string]any{"appid": appid, "secret": "5ec2e7000000000000000000000000a1", "scenario": "mine-busy"}); err != nil {
		t.Fatal(err)
	}
	if got := getEnvInfo(fake.URL, token); !strings.Contains(got, `"errcode":-1`) {
		t.Errorf("getenvinfo of the app bound to the added scenario: %s", got)
	}
	var ae *adminclient.Error
	if err := fake.Admin.DeleteScenario(ctx, "mine-busy"); !errors.As(err, &ae) || ae.Status != http.StatusConflict {
		t.Errorf("DeleteScenario of a scenario an app is bound to: %v; want HTTP 409", err)
	}
	if err := fake.Admin.DeleteApp(ctx, appid); err != nil {
		t.Fatal(err)
	}
	if err := fake.Admin.DeleteScenario(ctx, "mine-busy"); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.Admin.MintToken(ctx, appid, "", 0); err == nil {
		t.Errorf("the deleted app still gets a token")
	}
}

func TestAMalformedAppIsRefusedWithLintsWordsAtItsPath(t *testing.T) {
	fake := mocktest.New(t)
	app := newApp("wx5ec2e70000000001")
	app.Entities["envs"][1]["status"] = "BROKEN"
	err := fake.Admin.AddApp(t.Context(), app)
	if err == nil || !strings.Contains(err.Error(), `HTTP 400: $.envs[1].status: app "wx5ec2e70000000001": breaks the spec`) {
		t.Errorf("AddApp: %v; want HTTP 400 naming $.envs[1].status", err)
	}
	var ie *mock.ItemError
	if err := fake.AddApp(t.Context(), app); !errors.As(err, &ie) || !errors.Is(err, mock.ErrItemInvalid) || !strings.HasPrefix(ie.Problems[0], "$.envs[1].status: ") {
		t.Errorf("Fake.AddApp: %v; want an *ItemError of ErrItemInvalid at $.envs[1].status", err)
	}
}

func TestResetWorldRemovesWhatWasAdded(t *testing.T) {
	fake := mocktest.New(t)
	if err := fake.Admin.AddApp(t.Context(), newApp("wx5ec2e70000000001")); err != nil {
		t.Fatal(err)
	}
	if err := fake.Admin.Reset(t.Context()); err != nil || fake.Config().App("wx5ec2e70000000001") == nil {
		t.Errorf("Reset: %v; want the added app kept", err)
	}
	if err := fake.Admin.ResetWorld(t.Context()); err != nil || fake.Config().App("wx5ec2e70000000001") != nil {
		t.Errorf("ResetWorld: %v; want the added app gone", err)
	}
}

func ExampleAdmin_AddApp() {
	t := &exampleT{}
	defer t.end()

	fake := mocktest.New(t) // or a fake shared by many tests, over HTTP: mocktest.NewAdmin(url, nil)
	ctx := context.Background()
	app := mock.App{AppID: "wx5ec2e70000000001", Secret: "5ec2e7000000000000000000000000a1", Entities: map[string][]mock.Entity{
		"envs": {{"env": "dev-1a2b3c", "alias": "dev", "create_time": "2026-01-02 03:04:05", "update_time": "2026-01-02 03:04:05",
			"status": "NORMAL", "package_id": "basic", "package_name": "基础版 1"}},
	}}
	if err := fake.Admin.AddApp(ctx, app); err != nil {
		fmt.Println(err)
	}
	defer fake.Admin.DeleteApp(ctx, app.AppID)
	token, _ := fake.Admin.MintToken(ctx, app.AppID, "", 0)
	fmt.Println(getEnvInfo(fake.URL, token))
	// Output:
	// {"errcode":0,"errmsg":"ok","info_list":[{"env":"dev-1a2b3c","alias":"dev","create_time":"2026-01-02 03:04:05","update_time":"2026-01-02 03:04:05","status":"NORMAL","package_id":"basic","package_name":"基础版 1"}]}
}
