package doctest

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const doc = "# A guide\n\n" +
	"<!-- file: world.yaml -->\n```yaml\napps: []\n```\n\n" +
	"```console\n$ echo hello \\\n  world\nhello world\n$ false\n[exit 1]\n$ sleep 30 &  # in the background\n```\n\n" +
	"<!-- not run: it pushes to a registry -->\n\n```sh\ndocker push x\n```\n\n" +
	"- a list item\n\n    its second paragraph\n"

func TestParseReadsBlocksAndTheirMarks(t *testing.T) {
	blocks, err := Parse("g.md", doc)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(blocks))
	for i, b := range blocks {
		got[i] = strings.Join([]string{b.Lang, b.File, b.NotRun}, "|")
	}
	want := []string{"yaml|world.yaml|", "console||", "sh||it pushes to a registry"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}
	if blocks[1].Line != 8 || !blocks[1].Runs() || blocks[2].Runs() || blocks[0].Runs() {
		t.Errorf("line %d, runs %v %v %v; want 8, true false false", blocks[1].Line, blocks[1].Runs(), blocks[2].Runs(), blocks[0].Runs())
	}
}

func TestParseRefusesWhatAReaderCannotTell(t *testing.T) {
	for _, c := range []struct{ name, doc, want string }{
		{"indented block", "text\n\n    go run .\n", "g.md:3: an indented code block"},
		{"no language", "```\nx\n```\n", "g.md:1: a block with no language"},
		{"unclosed", "```console\n$ x\n", "g.md:1: a block that is never closed"},
		{"stray mark", "<!-- not run: why -->\ntext\n", "g.md:1: a mark that no block follows"},
		{"mark on content", "<!-- not run: why -->\n```yaml\na: 1\n```\n", "g.md:2: a yaml block is never run"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("g.md", c.doc)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v; want %q", err, c.want)
			}
		})
	}
}

func TestStepsSplitCommandsOutputAndExit(t *testing.T) {
	blocks, _ := Parse("g.md", doc)
	got := Steps(blocks[1])
	want := []Step{
		{Line: 9, Command: "echo hello \\\n  world", Want: []string{"hello world"}},
		{Line: 12, Command: "false", Exit: 1},
		{Line: 14, Command: "sleep 30", Background: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v; want %+v", got, want)
	}
}

// A regression: a blank line between the output and "[exit N]" was kept as
// an expected line, which no output could match.
func TestStepsDropABlankLineBeforeTheExit(t *testing.T) {
	got := Steps(Block{Kind: Session, Text: "$ curl -N x\nevent: e\n\n[exit 28]\n"})
	want := []Step{{Line: 1, Command: "curl -N x", Want: []string{"event: e"}, Exit: 28}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v; want %+v", got, want)
	}
	if !Match(got[0].Want, "event: e\n\n") {
		t.Errorf("the step's lines do not match its output")
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		want []string
		got  string
		ok   bool
	}{
		{[]string{"a", "b"}, "a\nb\n", true},
		{[]string{"a", "b"}, "a\nc\n", false},
		{[]string{"a"}, "a\nb", false},
		{[]string{"a…z"}, "abcz", true},
		{[]string{"a…z"}, "abc", false},
		{[]string{"a", "…", "z"}, "a\nz", true},
		{[]string{"a", "…", "z"}, "a\n1\n2\nz", true},
		{[]string{"a", "…"}, "b", false},
		{[]string{"(x)[y]"}, "(x)[y]", true},
		{nil, "", true},
		{nil, "x", false},
	} {
		if got := Match(c.want, c.got); got != c.ok {
			t.Errorf("Match(%q, %q) = %v; want %v", c.want, c.got, got, c.ok)
		}
	}
}

func TestShellKeepsStateAndWaitsForABackgroundCommand(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	sh, err := Start(dir, []string{"GREETING=hi"})
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	sh.Timeout = 20 * time.Second
	for _, c := range []struct {
		step Step
		out  string
		code int
	}{
		{Step{Command: "X=1; echo $GREETING"}, "hi\n", 0},
		{Step{Command: "echo $X; (exit 3)"}, "1\n", 3},
		{Step{Command: "echo oops >&2"}, "oops\n", 0},
		{Step{Command: "(sleep 0.2; echo ready; sleep 30)", Background: true, Want: []string{"ready"}}, "ready\n", 0},
	} {
		out, code, err := sh.Run(c.step)
		if err != nil || out != c.out || code != c.code {
			t.Errorf("%s: got %q, %d, %v; want %q, %d", c.step.Command, out, code, err, c.out, c.code)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".doctest-4.log")); err != nil {
		t.Errorf("the background command's log: %v", err)
	}
}
