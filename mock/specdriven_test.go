package mock_test

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
	"github.com/tcbmock/tcbmock/mock"
)

// embeddedFile returns a file of tcbmock's embedded assets.
func embeddedFile(t *testing.T, name string) string {
	t.Helper()
	data, err := fs.ReadFile(tcbmock.FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// load loads spec, and world with the embedded sequences as the scenario files.
func load(t *testing.T, spec, world string) (*mock.Config, error) {
	t.Helper()
	return mock.Load(t.Context(), mock.Files{
		Spec: mock.File{FS: fstest.MapFS{"openapi.yaml": {Data: []byte(spec)}}, Path: "openapi.yaml"},
		Scenarios: []mock.File{{FS: fstest.MapFS{
			"world.yaml":     {Data: []byte(world)},
			"sequences.yaml": {Data: []byte(embeddedFile(t, "scenarios/sequences.yaml"))}, // the scenario an app is bound to
		}, Path: ".", Name: "scenarios"}},
	})
}

// edit replaces each old of pairs with its new in text, all of them there.
func edit(t *testing.T, text string, pairs ...string) string {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		edited := strings.ReplaceAll(text, pairs[i], pairs[i+1])
		if edited == text {
			t.Fatalf("%q is not in the file", pairs[i])
		}
		text = edited
	}
	return text
}

// A field WeChat adds to EnvInfo, required, with an enum.
const (
	envInfoRequired = "      required: [env, alias, create_time, update_time, status, package_id, package_name]\n"
	envInfoRegion   = "      required: [env, alias, create_time, update_time, status, package_id, package_name, region]\n"
	packageName     = "        package_name:\n          type: string\n          description: The product package's Chinese name.\n          example: 基础版 1\n"
	regionProperty  = packageName + "        region:\n          type: string\n          enum: [ap-shanghai, ap-guangzhou]\n"
	exampleEnd      = "                    package_name: 基础版 1\n"
	exampleRegion   = exampleEnd + "                    region: ap-shanghai\n"
)

func TestAFieldAddedToTheSpecAndTheWorldIsAnswered(t *testing.T) {
	spec := edit(t, embeddedFile(t, tcbmock.SpecFile), envInfoRequired, envInfoRegion, packageName, regionProperty, exampleEnd, exampleRegion)
	world := edit(t, embeddedFile(t, "scenarios/world.yaml"), "        package_name: 基础版 1\n", "        package_name: 基础版 1\n        region: ap-shanghai\n")
	c, err := load(t, spec, world)
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, mock.WithConfig(c))
	rep := f.envs(f.token(demoAppID, demoSecret), "{}")
	wantErrcode(t, rep, 0)
	if !strings.Contains(string(rep.Body), `"package_name":"基础版 1","region":"ap-shanghai"}`) {
		t.Errorf("got %s; want region after package_name, as the spec orders them", rep.Body)
	}
}

func TestAWorldWithoutARequiredFieldIsRefused(t *testing.T) {
	spec := edit(t, embeddedFile(t, tcbmock.SpecFile), envInfoRequired, envInfoRegion, packageName, regionProperty, exampleEnd, exampleRegion)
	_, err := load(t, spec, embeddedFile(t, "scenarios/world.yaml"))
	var fe *yamlfile.Error
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), `scenarios/world.yaml:9: app "wxd0c0ffee00000001": breaks the spec (getEnvInfo's info_list): envs/0/region: expected present, received absent`) {
		t.Errorf("got %v; want world.yaml:9 naming the missing region", err)
	}
}

func TestAnUnknownFieldInTheWorldNamesTheKnownOnes(t *testing.T) {
	world := edit(t, embeddedFile(t, "scenarios/world.yaml"), "        package_name: 基础版 1\n", "        package_name: 基础版 1\n        region: ap-shanghai\n")
	_, err := load(t, embeddedFile(t, tcbmock.SpecFile), world)
	if err == nil || !strings.Contains(err.Error(), `scenarios/world.yaml:16: app "wxd0c0ffee00000001": unknown key "region" (known: env, alias, create_time, update_time, status, package_id, package_name)`) {
		t.Errorf("got %v; want world.yaml:16 naming region and the known keys", err)
	}
}

func TestASpecTheFakeCannotAnswerIsRefusedAtItsLine(t *testing.T) {
	spec := embeddedFile(t, tcbmock.SpecFile)
	// The token answers' examples get a token_type, so that kin-openapi
	// accepts the examples and it is the fake that cannot answer.
	spec = strings.ReplaceAll(spec, "                expires_in: 7200\n", "                expires_in: 7200\n                token_type: Bearer\n")
	for _, tc := range []struct {
		name, old, new, at, want string
	}{
		{"a token answer that needs a token_type",
			"    TokenResponse:\n      type: object\n      required: [access_token, expires_in]\n      properties:\n",
			"    TokenResponse:\n      type: object\n      required: [access_token, expires_in, token_type]\n      properties:\n        token_type:\n          type: string\n",
			"required: [access_token, expires_in, token_type]", `the fake cannot answer the required property "token_type"`},
		{"an error answer that needs a hint",
			"    ErrorResponse:\n      type: object\n      required: [errcode, errmsg]\n      properties:\n",
			"    ErrorResponse:\n      type: object\n      required: [errcode, errmsg, hint]\n      properties:\n        hint:\n          type: string\n",
			"required: [errcode, errmsg, hint]", `the fake cannot answer the required property "hint"`},
		{"a token answer whose expires_in has no maximum",
			"        expires_in:\n          type: integer\n          minimum: 1\n          maximum: 7200\n    StableTokenResponse:",
			"        expires_in:\n          type: integer\n          minimum: 1\n    StableTokenResponse:",
			"fields: {access_token: token, expires_in: expires_in}\n        overlap: 300\n      x-errcodes:\n        - code: 0\n          errmsg: ok\n          meaning: A token was issued. The answer carries no errcode.\n          solution: ok\n          live: false", "expires_in needs a maximum in the schema"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(spec, tc.old, tc.new, 1)
			if bad == spec {
				t.Fatalf("the spec has no %q", tc.old)
			}
			_, err := mock.Load(t.Context(), mock.Files{Spec: mock.File{FS: fstest.MapFS{"openapi.yaml": {Data: []byte(bad)}}, Path: "openapi.yaml"}})
			var fe *yamlfile.Error
			if !errors.As(err, &fe) || !strings.Contains(fe.Msg, tc.want) {
				t.Fatalf("got %v; want a FileError saying %q", err, tc.want)
			}
			if want := strings.Count(bad[:strings.Index(bad, tc.at)], "\n") + 1; fe.Line != want {
				t.Errorf("got line %d (%v); want %d", fe.Line, err, want)
			}
		})
	}
}

func TestTokensLiveTheMaximumOfTheirExpiresIn(t *testing.T) {
	spec := edit(t, embeddedFile(t, tcbmock.SpecFile), "        expires_in:\n          type: integer\n          minimum: 1\n          maximum: 7200\n    StableTokenResponse:",
		"        expires_in:\n          type: integer\n          minimum: 1\n          maximum: 3600\n    StableTokenResponse:")
	spec = strings.Replace(spec, "                expires_in: 7200\n", "                expires_in: 3600\n", 1) // /cgi-bin/token's example, the first
	c, err := load(t, spec, embeddedFile(t, "scenarios/world.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, mock.WithConfig(c))
	rep := f.do("GET", "/cgi-bin/token?grant_type=client_credential&appid="+demoAppID+"&secret="+demoSecret, "")
	tok := decode[tokenReply](t, rep)
	if tok.ExpiresIn != 3600 {
		t.Errorf("expires_in %d; want 3600, the schema's maximum", tok.ExpiresIn)
	}
	f.advance("3599s")
	wantErrcode(t, f.envs(tok.AccessToken, "{}"), 0)
	f.advance("1s")
	wantErrcode(t, f.envs(tok.AccessToken, "{}"), 42001)
}
