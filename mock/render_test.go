package mock

import (
	"testing"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

func TestTemplatesRenderWhatEncodingJSONWrites(t *testing.T) {
	spec, err := apispec.Shared()
	if err != nil {
		t.Fatal(err)
	}
	op := spec.Operation("getAccessToken")
	errors, err := newTemplate(spec, op.ErrorSchema(), map[string]hole{"errcode": holeErrcode, "errmsg": holeErrmsg})
	if err != nil {
		t.Fatal(err)
	}
	token, err := newTemplate(spec, op.SuccessSchema(), map[string]hole{"access_token": holeToken, "expires_in": holeExpiresIn})
	if err != nil {
		t.Fatal(err)
	}
	const rid = "00000000-00000000-00000000"
	for _, s := range []string{
		"system error", `quote " and back\slash`, "tab\tnew\nline\rcr\bbs\fff\x01\x1f", "基础版 1", "<a href=\"x\">&</a>",
		"line\u2028para\u2029", "bad \xff utf-8", "",
	} {
		got, want := string(errors.render(&fill{errcode: 40001, errmsg: s, rid: rid})), string(marshal(struct {
			Errcode int    `json:"errcode"`
			Errmsg  string `json:"errmsg"`
		}{40001, s + " rid: " + rid}))
		if got != want {
			t.Errorf("error answer of %q = %s; encoding/json writes %s", s, got, want)
		}
		got, want = string(token.render(&fill{token: s, expiresIn: 7200})), string(marshal(struct {
			AccessToken string `json:"access_token"`
			ExpiresIn   int    `json:"expires_in"`
		}{s, 7200}))
		if got != want {
			t.Errorf("token answer of %q = %s; encoding/json writes %s", s, got, want)
		}
	}
}

func TestATemplateFillsConstantsFromTheSchema(t *testing.T) {
	spec, err := apispec.Shared()
	if err != nil {
		t.Fatal(err)
	}
	op := spec.Operation("getEnvInfo")
	list, err := newTemplate(spec, op.SuccessSchema(), map[string]hole{"info_list": holeList})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(list.render(&fill{list: []byte(`[{"env":"e"}]`)})), `{"errcode":0,"errmsg":"ok","info_list":[{"env":"e"}]}`; got != want {
		t.Errorf("got %s; want %s", got, want)
	}
}

// FuzzAppendString holds appendString to encoding/json's bytes.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"b\`, "\x00\x1f\t", "基础版 1", "<&>", "\u2028\u2029", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendString(nil, s)), string(marshal(s)); got != want {
			t.Errorf("appendString(%q) = %s; encoding/json writes %s", s, got, want)
		}
	})
}
