package contract

import (
	"encoding/json"
	"testing"

	"github.com/tcbmock/tcbmock/internal/testkit"
)

// TestTheUnpermittedMiniProgramIsOfThePermittedOnesPlatform: the suite
// asks for the unpermitted mini program's token with the permitted one's
// platform credentials, so both come from one platform; a platform with
// both is chosen over an earlier one with a permitted mini program only.
func TestTheUnpermittedMiniProgramIsOfThePermittedOnesPlatform(t *testing.T) {
	spec := testkit.Embedded(t)
	var w worldInfo
	if err := json.Unmarshal([]byte(`{"components":[
		{"component_appid":"wxa","component_appsecret":"sa","component_verify_ticket":"ta","authorizations":[
			{"authorizer_appid":"wxa1","authorizer_refresh_token":"ra1","permission_sets":[49]}]},
		{"component_appid":"wxb","component_appsecret":"sb","component_verify_ticket":"tb","authorizations":[
			{"authorizer_appid":"wxb1","authorizer_refresh_token":"rb1","permission_sets":[]},
			{"authorizer_appid":"wxb2","authorizer_refresh_token":"rb2","permission_sets":[49]}]}]}`), &w); err != nil {
		t.Fatal(err)
	}
	tp, unpermitted := w.thirdParty(spec.Operation(getEnvInfo))
	if tp.ComponentAppID != "wxb" || tp.AuthorizerAppID != "wxb2" || unpermitted.ComponentAppID != "wxb" || unpermitted.AuthorizerAppID != "wxb1" {
		t.Errorf("got %+v and unpermitted %+v; want wxb2 and wxb1, both of platform wxb", tp, unpermitted)
	}
}
