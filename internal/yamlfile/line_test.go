package yamlfile

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// firstFailingLinePlain is firstFailingLine as it was first written: it
// parses every prefix of data, line by line, until one fails.
func firstFailingLinePlain(data []byte) int {
	var n yaml.Node
	end, line := 0, 0
	for end < len(data) {
		next := bytes.IndexByte(data[end:], '\n')
		if next < 0 {
			next = len(data) - end - 1
		}
		end += next + 1
		line++
		if yaml.Unmarshal(data[:end], &n) != nil {
			return line
		}
	}
	return 0
}

// world returns a world file of n apps, each with 3 envs.
func world(n int) string {
	var b strings.Builder
	b.WriteString("apps:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - appid: wx%016x\n    secret: %032x\n    envs:\n", i+1, i+1)
		for j := range 3 {
			fmt.Fprintf(&b, "      - env: env%d-%06x\n        status: NORMAL\n", j, i)
		}
	}
	return b.String()
}

// broken returns a world of n apps whose last app has a key indented one
// space too little, and that key's line.
func broken(n int) ([]byte, int) {
	data := world(n) + "  - appid: wx0000000000000000\n    secret: 00000000000000000000000000000000\n   description: indented too little\n"
	return []byte(data), strings.Count(data, "\n")
}

func TestASyntaxErrorNearTheEndOfALargeFileIsAtItsLine(t *testing.T) {
	data, line := broken(300) // 2,700 lines; BenchmarkFirstFailingLine goes to 10,000 apps
	_, err := Parse("world.yaml", data)
	want := fmt.Sprintf("world.yaml:%d: did not find expected '-' indicator", line)
	if err == nil || err.Error() != want {
		t.Errorf("got %v; want %s", err, want)
	}
}

// TestFirstFailingLineIsThePlainSearchs checks the search by halves
// against the plain one, line by line, on a file broken at each of its
// lines in each of several ways.
func TestFirstFailingLineIsThePlainSearchs(t *testing.T) {
	good := strings.Split(world(3)+"scenarios:\n  - name: a\n    description: |\n      two\n      lines\n    errcode: 1\n", "\n")
	breaks := map[string]func(string) string{
		"a tab":             func(l string) string { return "\t" + l },
		"one space more":    func(l string) string { return " " + l },
		"one space less":    func(l string) string { return strings.TrimPrefix(l, " ") },
		"an unclosed list":  func(l string) string { return l + " [" },
		"a second colon":    func(l string) string { return l + ": x" },
		"a stray dash":      func(l string) string { return "- " + l },
		"a dedented scalar": func(l string) string { return strings.TrimLeft(l, " ") },
	}
	for name, breakLine := range breaks {
		for i := range good {
			lines := append([]string(nil), good...)
			lines[i] = breakLine(lines[i])
			data := []byte(strings.Join(lines, "\n"))
			if got, want := firstFailingLine(data), firstFailingLinePlain(data); got != want {
				t.Errorf("%s on line %d: got line %d; want %d", name, i+1, got, want)
			}
		}
	}
}

func TestFirstFailingLineOfAFileThatParsesIsZero(t *testing.T) {
	for _, data := range []string{"", "a: 1", "a: 1\n", world(2)} {
		if got := firstFailingLine([]byte(data)); got != 0 {
			t.Errorf("%q: got %d; want 0", data, got)
		}
	}
}

// BenchmarkFirstFailingLine finds the line of a mistake in the last app of
// worlds of growing size: by halves, and by the plain search (which parses
// every prefix, so grows with the square of the file: its largest world is
// smaller).
func BenchmarkFirstFailingLine(b *testing.B) {
	for _, c := range []struct {
		name   string
		search func([]byte) int
		apps   []int
	}{
		{"halves", firstFailingLine, []int{100, 1000, 10000}},
		{"plain", firstFailingLinePlain, []int{100, 300}},
	} {
		for _, n := range c.apps {
			data, line := broken(n)
			b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
				for b.Loop() {
					if got := c.search(data); got != line {
						b.Fatalf("got line %d; want %d", got, line)
					}
				}
			})
		}
	}
}
