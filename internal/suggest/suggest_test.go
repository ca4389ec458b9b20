package suggest

import "testing"

func TestClosest(t *testing.T) {
	known := []string{"serve", "check", "lint", "proxy", "system-busy", "invalid-token"}
	for _, c := range []struct{ name, want string }{
		{"sreve", "serve"},
		{"chek", "check"},
		{"SERVE", "serve"},
		{"system_busy", "system-busy"},
		{"invalid-tokn", "invalid-token"},
		{"deploy", ""},
		{"x", ""},
	} {
		if got := Closest(c.name, known); got != c.want {
			t.Errorf("Closest(%q) = %q; want %q", c.name, got, c.want)
		}
	}
	if got := DidYouMean("serve", known); got != "" {
		t.Errorf("DidYouMean of a known name = %q; want nothing", got)
	}
	if got := DidYouMean("sreve", known); got != ` (did you mean "serve"?)` {
		t.Errorf("DidYouMean(sreve) = %q", got)
	}
}
