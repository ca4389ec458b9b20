package doctest

import (
	"regexp"
	"strings"
)

// Ellipsis in an expected line stands for any text; a line of it alone, for
// any number of lines.
const Ellipsis = "…"

// Match reports whether got, line by line, is what want says. Trailing
// spaces do not count, nor does a last newline.
func Match(want []string, got string) bool {
	got = strings.TrimRight(got, "\n")
	var lines []string
	if got != "" {
		lines = strings.Split(got, "\n")
	}
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " \t\r")
	}
	pats := make([]*regexp.Regexp, len(want))
	for i, w := range want {
		w = strings.TrimRight(w, " \t")
		if strings.TrimSpace(w) == Ellipsis {
			continue // pats[i] nil: any lines
		}
		parts := strings.Split(w, Ellipsis)
		for j := range parts {
			parts[j] = regexp.QuoteMeta(parts[j])
		}
		pats[i] = regexp.MustCompile(`^` + strings.Join(parts, `.*`) + `$`)
	}
	return match(pats, lines)
}

func match(pats []*regexp.Regexp, lines []string) bool {
	if len(pats) == 0 {
		return len(lines) == 0
	}
	if pats[0] == nil {
		for skip := 0; skip <= len(lines); skip++ {
			if match(pats[1:], lines[skip:]) {
				return true
			}
		}
		return false
	}
	return len(lines) > 0 && pats[0].MatchString(lines[0]) && match(pats[1:], lines[1:])
}
