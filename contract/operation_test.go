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

// TestValidCallOfAPickNamesOneEntityOfTheApp: the fields a pick reads come
// from one entity of the app's list on a fake; against production, from
// the query parameters' own examples; and a fake's app without one notes
// what it lacks.
func TestValidCallOfAPickNamesOneEntityOfTheApp(t *testing.T) {
	spec := testkit.Embedded(t)
	var w worldInfo
	if err := json.Unmarshal([]byte(`{"apps":[{"appid":"`+mocktest.SecondAppID+`","secret":"x","functions":[{"env":"prod-7g3h5j","name":"hello","answer":"raw"},{"env":"other","name":"x","answer":"raw"}]},`+
		`{"appid":"wx0000000000000001","secret":"y"}]}`), &w); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name           string
		world          *worldInfo
		appid          string
		env, fn, lacks string
	}{
		{"a fake: the app's first function", &w, mocktest.SecondAppID, "prod-7g3h5j", "hello", ""},
		{"production: the parameters' examples", nil, mocktest.SecondAppID, "test2-4a89da", "login", ""},
		{"a fake's app without functions", &w, "wx0000000000000001", "test2-4a89da", "login", "the target's app has no functions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sess := newSession(&Target{Credentials: Credentials{Token: "97_x"}}, spec)
			sess.world, sess.creds.AppID = tc.world, tc.appid
			s := &scenario{session: sess}
			c, err := s.validCall(t.Context(), spec.Operation("invokeCloudFunction"))
			if err != nil {
				t.Fatal(err)
			}
			if env, fn := c.query.Get("env"), c.query.Get("name"); env != tc.env || fn != tc.fn || c.lacks != tc.lacks {
				t.Errorf("env %q, name %q, lacks %q; want %q, %q, %q", env, fn, c.lacks, tc.env, tc.fn, tc.lacks)
			}
		})
	}
}
