package yamlfile

import (
	"errors"
	"strings"
	"testing"
)

type inner struct {
	A int    `yaml:"a" json:"a"`
	B string `yaml:"b" json:"b"`
}

type outer struct {
	Name  string  `yaml:"name"`
	Inner inner   `yaml:",inline"`
	Items []inner `yaml:"items"`
}

func TestDecodeReportsEveryProblemAtItsLine(t *testing.T) {
	d, err := Parse("f.yaml", []byte("name: x\na: one\nc: 1\nitems:\n  - a: 1\n    z: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	var v outer
	err = d.Decode(&v)
	var list List
	if !errors.As(err, &list) || len(list) != 3 {
		t.Fatalf("got %v; want three problems", err)
	}
	for i, want := range []string{`f.yaml:3: unknown key "c" (known: a, b, items, name)`, `f.yaml:6: unknown key "z" (known: a, b)`, `f.yaml:2: want an integer, got "one"`} {
		if list[i].Error() != want {
			t.Errorf("problem %d: got %q; want %q", i+1, list[i], want)
		}
	}
}

func TestDecodeValueParsesOnlyToReportAProblem(t *testing.T) {
	d := Lazy("f.yaml", []byte("x:\n  - a: 1\n    b: two\n  - a: 2\n    c: 3\n"))
	var ok []inner
	if err := d.DecodeValue(&ok, []any{map[string]any{"a": 1, "b": "two"}}, "x"); err != nil || d.root != nil {
		t.Fatalf("a good value: %v, parsed %v; want no error and no parse", err, d.root != nil)
	}
	var bad []inner
	err := d.DecodeValue(&bad, []any{map[string]any{"a": 1}, map[string]any{"a": 2, "c": 3}}, "x")
	if err == nil || !strings.HasPrefix(err.Error(), `f.yaml:5: unknown key "c"`) {
		t.Errorf("a bad value: got %v; want f.yaml:5: unknown key", err)
	}
}

func TestSyntaxErrorHasItsLine(t *testing.T) {
	_, err := Parse("f.yaml", []byte("a: 1\nb: [\n"))
	var fe *Error
	if !errors.As(err, &fe) || fe.File != "f.yaml" || fe.Line < 2 {
		t.Errorf("got %v; want f.yaml:LINE", err)
	}
}

func TestASyntaxErrorIsAtTheLineThatBreaksTheFile(t *testing.T) {
	for _, c := range []struct {
		name, data string
		line       int
	}{
		{"a key indented too little", "scenarios:\n  - name: a\n    description: x\n   errcode: 1\n", 4},
		{"a key indented too much", "scenarios:\n  - name: a\n     description: x\n", 3},
		{"a tab", "a:\n\tb: 1\n", 2},
		{"an item's key out of its item", "scenarios:\n  - name: a\n  description: x\n    errcode: 1\n", 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(c.data))
			var fe *Error
			if !errors.As(err, &fe) || fe.Line != c.line {
				t.Errorf("got %v; want s.yaml:%d", err, c.line)
			}
		})
	}
}
