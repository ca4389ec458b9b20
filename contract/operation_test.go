package contract

import (
	"encoding/json"
	"testing"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mocktest"
)

// TestValidCallNamesAnEntityOfTheApp: when an operation's x-answer binds a
// request field to the app's entities (within), the valid call names the
// app's first, not the request example's, which may be another app's.
func TestValidCallNamesAnEntityOfTheApp(t *testing.T) {
	spec := testkit.Embedded(t)
	// The binding as the spec writes it, x-answer: {within: {field: env, list: envs}}.
	spec.Operation(getEnvInfo).Answer.Within = &apispec.Within{Field: "env", List: "envs"}
	var w worldInfo
	if err := json.Unmarshal([]byte(`{"apps":[{"appid":"`+mocktest.SecondAppID+`","secret":"x","envs":[{"env":"prod-7g3h5j"},{"env":"staging-2k4m6n"}]}]}`), &w); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		world *worldInfo
		envs  []string
		want  any
	}{
		{"a fake: the world's first", &w, nil, "prod-7g3h5j"},
		{"production: the first --env", nil, []string{"mine-1a2b3c"}, "mine-1a2b3c"},
		{"production without --env: the example's", nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sess := newSession(&Target{Credentials: Credentials{Token: "97_x"}, Envs: tc.envs}, spec)
			sess.world, sess.creds.AppID = tc.world, mocktest.SecondAppID
			s := &scenario{session: sess}
			c, err := s.validCall(t.Context(), spec.Operation(getEnvInfo))
			if err != nil {
				t.Fatal(err)
			}
			if got := c.body["env"]; got != tc.want {
				t.Errorf("env %v; want %v", got, tc.want)
			}
		})
	}
}
