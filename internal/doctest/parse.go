// Package doctest runs the command blocks of Markdown documents as tests, so
// that a command the documentation shows cannot stop working unnoticed.
//
// A document's fenced blocks are of three kinds, by their info string:
//
//   - console: a session. Each line that starts with "$ " is a command (a
//     line ending in "\" continues it); the lines up to the next command are
//     its expected output, where "…" stands for any text within a line and a
//     line of "…" alone for any number of lines. A command ending in " &"
//     (perhaps with a comment after it) runs in the background: the runner waits until its output shows the
//     lines expected of it, then goes on. "[exit N]" as the last expected
//     line says the command exits N; else it must exit 0.
//   - sh, bash, shell: a script run as it is; it must exit 0.
//   - anything else (yaml, json, go, text, …): content, not run.
//
// Marks are HTML comments on the line before a block (blank lines between
// are allowed): "<!-- not run: WHY -->" keeps a command block from running
// and says why; "<!-- file: PATH -->" writes the block to PATH, relative to
// the directory the session runs in, before the commands after it;
// "<!-- same as: PATH -->" says the block is a copy of a part of PATH, and
// the test checks that it still is. An indented code block, or a fence with
// no info string, is an error: a reader cannot tell what it is.
package doctest

import (
	"bufio"
	"fmt"
	"regexp"
	"strings"
)

// Kind is what a block is for.
type Kind int

const (
	// Content is shown, not run: YAML, JSON, Go, a screen's text.
	Content Kind = iota
	// Session is a console block: commands and their expected output.
	Session
	// Script is a shell script that must exit 0.
	Script
)

// Block is one fenced block of a document.
type Block struct {
	Line   int    // line of the opening fence, 1-based
	Lang   string // the fence's info string, first word
	Text   string // the lines between the fences, each ending in "\n"
	Kind   Kind
	NotRun string // the reason of a "not run" mark
	File   string // the path of a "file" mark
	SameAs string // the path of a "same as" mark
}

// Runs reports whether the block is a command block without a "not run" mark.
func (b Block) Runs() bool { return b.Kind != Content && b.NotRun == "" }

var mark = regexp.MustCompile(`^<!--\s*(not run|file|same as):\s*(.*?)\s*-->\s*$`)

// Parse reads a document's blocks. Its errors are "name:line: what is wrong".
func Parse(name, doc string) ([]Block, error) {
	var blocks []Block
	var pending *Block // the marks seen since the last block
	var problems []string
	sc := bufio.NewScanner(strings.NewReader(doc))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line, prevBlank, listItem := 0, true, false
	for sc.Scan() {
		line++
		text := sc.Text()
		if m := mark.FindStringSubmatch(strings.TrimSpace(text)); m != nil {
			if pending == nil {
				pending = &Block{}
			}
			switch m[1] {
			case "not run":
				pending.NotRun = m[2]
			case "file":
				pending.File = m[2]
			case "same as":
				pending.SameAs = m[2]
			}
			prevBlank = false
			continue
		}
		trimmed := strings.TrimLeft(text, " ")
		if fence, ok := strings.CutPrefix(trimmed, "```"); ok {
			indent := text[:len(text)-len(trimmed)] // a fence in a list item
			b := Block{Line: line}
			if pending != nil {
				b.NotRun, b.File, b.SameAs = pending.NotRun, pending.File, pending.SameAs
				pending = nil
			}
			b.Lang, _, _ = strings.Cut(strings.TrimSpace(fence), " ")
			b.Kind = kindOf(b.Lang)
			closed := false
			var body strings.Builder
			for sc.Scan() {
				line++
				if strings.TrimSpace(sc.Text()) == "```" {
					closed = true
					break
				}
				body.WriteString(strings.TrimPrefix(sc.Text(), indent) + "\n")
			}
			b.Text = body.String()
			switch {
			case !closed:
				problems = append(problems, fmt.Sprintf("%s:%d: a block that is never closed", name, b.Line))
			case b.Lang == "":
				problems = append(problems, fmt.Sprintf("%s:%d: a block with no language: say what it is (console, sh, yaml, text, …)", name, b.Line))
			case b.Kind == Content && b.NotRun != "":
				problems = append(problems, fmt.Sprintf("%s:%d: a %s block is never run; it needs no \"not run\" mark", name, b.Line, b.Lang))
			}
			blocks = append(blocks, b)
			prevBlank = false
			continue
		}
		indented := strings.HasPrefix(text, "    ") || strings.HasPrefix(text, "\t")
		switch {
		case strings.TrimSpace(text) == "":
		case indented && prevBlank && !listItem:
			problems = append(problems, fmt.Sprintf("%s:%d: an indented code block: fence it with its language", name, line))
		case !indented:
			listItem = listMarker.MatchString(text)
		}
		if strings.TrimSpace(text) != "" && pending != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: a mark that no block follows", name, line-1))
			pending = nil
		}
		prevBlank = strings.TrimSpace(text) == ""
	}
	if pending != nil {
		problems = append(problems, fmt.Sprintf("%s:%d: a mark that no block follows", name, line))
	}
	if len(problems) > 0 {
		return blocks, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return blocks, nil
}

// listMarker starts a list item, whose later paragraphs Markdown indents:
// an indented line after one is not a code block.
var listMarker = regexp.MustCompile(`^\s*([-*+]|\d+[.)])\s`)

func kindOf(lang string) Kind {
	switch lang {
	case "console":
		return Session
	case "sh", "bash", "shell":
		return Script
	}
	return Content
}
