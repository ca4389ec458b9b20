package mock

import (
	"testing"
)

func TestRenderedAnswersAreWhatEncodingJSONWrites(t *testing.T) {
	for _, s := range []string{
		"system error", `quote " and back\slash`, "tab\tnew\nline\rcr\bbs\fff\x01\x1f", "基础版 1", "<a href=\"x\">&</a>",
		"line\u2028para\u2029", "bad \xff utf-8", "",
	} {
		if got, want := string(renderErrcode(40001, s, "00000000-00000000-00000000")), string(marshal(errcodeBody{40001, s + " rid: 00000000-00000000-00000000"})); got != want {
			t.Errorf("renderErrcode(%q) = %s; encoding/json writes %s", s, got, want)
		}
		if got, want := string(renderToken(s, 7200)), string(marshal(tokenAnswer{s, 7200})); got != want {
			t.Errorf("renderToken(%q) = %s; encoding/json writes %s", s, got, want)
		}
	}
	if got := string(renderErrcode(0, "ok", "x")); got != `{"errcode":0,"errmsg":"ok"}` {
		t.Errorf("errcode 0: %s", got)
	}
}
