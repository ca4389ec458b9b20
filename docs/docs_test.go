// Package docs holds tcbmock's guides; its test runs every command block of
// them and of the two front doors (README.md, README.zh-CN.md) as written.
package docs

import (
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/doctest"
)

// root is the repository, from this package's directory.
const root = ".."

// documents are the files whose blocks the tests run: the front doors, then
// the guides.
func documents(t *testing.T) []string {
	t.Helper()
	guides, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{filepath.Join(root, "README.md"), filepath.Join(root, "README.zh-CN.md")}, guides...)
}

func parse(t *testing.T, path string) []doctest.Block {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := doctest.Parse(path, string(b))
	if err != nil {
		t.Fatal(err)
	}
	return blocks
}

// TestEveryBlockRunsOrSaysWhyNot parses every document: a command block
// runs or carries a "not run" mark with its reason, and what a "same as"
// mark names still holds the block.
func TestEveryBlockRunsOrSaysWhyNot(t *testing.T) {
	for _, doc := range documents(t) {
		for _, b := range parse(t, doc) {
			if b.Kind != doctest.Content && b.NotRun == "" && b.File == "" && len(strings.TrimSpace(b.Text)) == 0 {
				t.Errorf("%s:%d: an empty %s block", doc, b.Line, b.Lang)
			}
			if b.SameAs == "" {
				continue
			}
			src, err := os.ReadFile(filepath.Join(root, b.SameAs))
			if err != nil {
				t.Errorf("%s:%d: same as %s: %v", doc, b.Line, b.SameAs, err)
			} else if !strings.Contains(string(src), b.Text) {
				t.Errorf("%s:%d: the block is no longer part of %s", doc, b.Line, b.SameAs)
			}
		}
	}
}

// TestTheDocumentsCommandsWorkAsWritten runs each document's command blocks
// in order, in one shell, in a copy of the repository, with tcbmock built and
// on the PATH; ports 8080 to 8099 are free ports of this machine instead.
func TestTheDocumentsCommandsWorkAsWritten(t *testing.T) {
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("TCBMOCK_DOC_TESTS") == "require" {
				t.Fatalf("no %s, and TCBMOCK_DOC_TESTS=require", tool)
			}
			t.Skipf("no %s: the documents' commands need it (TCBMOCK_DOC_TESTS=require makes this a failure)", tool)
		}
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "tcbmock"), "./cmd/tcbmock")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, doc := range documents(t) {
		t.Run(filepath.Base(doc), func(t *testing.T) {
			t.Parallel()
			runDocument(t, doc, bin)
		})
	}
}

func runDocument(t *testing.T, doc, bin string) {
	blocks := parse(t, doc)
	if !slices.ContainsFunc(blocks, doctest.Block.Runs) {
		return
	}
	dir := copyRepository(t)
	ports := freePorts(t)
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOCACHE: %v", err)
	}
	sh, err := doctest.Start(dir, []string{
		// The CA goes to the copy's cache; Go's build cache stays the
		// machine's, which XDG_CACHE_HOME would otherwise move.
		"GOCACHE=" + strings.TrimSpace(string(gocache)),
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"TCBMOCK_ADDR=127.0.0.1:" + ports["8080"],
		"XDG_CACHE_HOME=" + filepath.Join(dir, ".cache"),
		"NO_COLOR=1",
		// Each document runs in a copy of its own, at a path of its own:
		// without -trimpath the path is part of what Go's build cache
		// keys on, and each copy would compile tcbmock's packages again.
		"GOFLAGS=-trimpath",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	rewrite := rewriter(ports)
	for _, b := range blocks {
		switch {
		case b.File != "":
			path := filepath.Join(dir, b.File)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(rewrite(b.Text)), 0o644); err != nil {
				t.Fatal(err)
			}
		case !b.Runs():
		case b.Kind == doctest.Script:
			if out, code, err := sh.Run(doctest.Step{Command: rewrite(b.Text)}); err != nil || code != 0 {
				t.Fatalf("%s:%d: the script exits %d (%v):\n%s", doc, b.Line, code, err, out)
			}
		default:
			for _, s := range doctest.Steps(b) {
				s.Command = rewrite(s.Command)
				for i := range s.Want {
					s.Want[i] = rewrite(s.Want[i])
				}
				out, code, err := sh.Run(s)
				if err != nil || code != s.Exit || !doctest.Match(s.Want, out) {
					t.Fatalf("%s:%d: $ %s\nexit %d (%v), want %d; it printed:\n%s\nwant:\n%s",
						doc, s.Line, s.Command, code, err, s.Exit, out, strings.Join(s.Want, "\n"))
				}
			}
		}
	}
}

// rewriter turns a document's text into what runs here: the tcbmock on the
// PATH for "go run ./cmd/tcbmock", free ports for 8080 to 8099.
func rewriter(ports map[string]string) func(string) string {
	port := regexp.MustCompile(`\b80[89]\d\b`)
	return func(s string) string {
		s = strings.ReplaceAll(s, "go run ./cmd/tcbmock", "tcbmock")
		return port.ReplaceAllStringFunc(s, func(p string) string { return ports[p] })
	}
}

// freePorts maps each of 8080 to 8099 to a port free on this machine now.
func freePorts(t *testing.T) map[string]string {
	t.Helper()
	ports := map[string]string{}
	var held []net.Listener
	for p := 8080; p <= 8099; p++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, ln)
		ports[strconv.Itoa(p)] = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range held {
		ln.Close()
	}
	return ports
}

// copyRepository copies the repository's files (not .git) to a temporary
// directory, where the documents' commands may write.
func copyRepository(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == ".git" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, _ := d.Info()
		return os.WriteFile(filepath.Join(dir, rel), b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatalf("copying the repository: %v", err)
	}
	return dir
}

// TestTheFrontDoorsAreShortAndInStep checks the two front doors: each at
// most 300 lines, each linking the other on its first line, with the same
// headings (by level, in order) and the same command blocks.
func TestTheFrontDoorsAreShortAndInStep(t *testing.T) {
	en, zh := filepath.Join(root, "README.md"), filepath.Join(root, "README.zh-CN.md")
	shape := func(path string) (headings []string, commands []string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		if len(lines) > 300 {
			t.Errorf("%s has %d lines; a front door has at most 300", path, len(lines))
		}
		other := map[string]string{en: "README.zh-CN.md", zh: "README.md"}[path]
		if !strings.Contains(lines[0], "("+other+")") {
			t.Errorf("%s: the first line does not link %s: %q", path, other, lines[0])
		}
		inBlock := false
		for _, l := range lines {
			if strings.HasPrefix(l, "```") {
				inBlock = !inBlock
			}
			if !inBlock && strings.HasPrefix(l, "#") {
				headings = append(headings, strings.SplitN(l, " ", 2)[0])
			}
		}
		for _, b := range parse(t, path) {
			if b.Kind != doctest.Content {
				commands = append(commands, fmt.Sprintf("%s %s", b.Lang, commandsOf(b)))
			}
		}
		return headings, commands
	}
	enH, enC := shape(en)
	zhH, zhC := shape(zh)
	if !slices.Equal(enH, zhH) {
		t.Errorf("headings by level differ:\n%s: %v\n%s: %v", en, enH, zh, zhH)
	}
	if !slices.Equal(enC, zhC) {
		t.Errorf("command blocks differ:\n%s:\n%s\n%s:\n%s", en, strings.Join(enC, "\n"), zh, strings.Join(zhC, "\n"))
	}
}

// commandsOf is a block's commands without their comments or output, which
// a translation may word in its own language.
func commandsOf(b doctest.Block) string {
	if b.Kind == doctest.Script {
		return b.Text
	}
	var cmds []string
	for _, s := range doctest.Steps(b) {
		cmd, _, _ := strings.Cut(s.Command, " #")
		cmds = append(cmds, strings.TrimSpace(cmd))
	}
	return strings.Join(cmds, "\n")
}
