package apispec

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// Overlay is a spec fragment that adds operations and schemas to a spec:
// a file of the spec's own shape holding only paths and components,
// written in block style as openapi.yaml is. A path or a component it
// names that the spec (or an earlier overlay) has already is refused at
// its line.
//
// The shape is a plain fragment rather than the OpenAPI Initiative's
// Overlay Specification 1.0: an overlay here only adds, and a fragment is
// written as the spec is (an operation copied from openapi.yaml is an
// overlay as it stands), where Overlay 1.0's actions select their targets
// with JSONPath and can update or remove what they select.
type Overlay struct {
	File string // the name problems are reported under
	Data []byte
}

// LoadWith loads the spec in data with the overlays added to it, in
// order. Problems are reported at their file and line: the spec's or an
// overlay's.
func LoadWith(ctx context.Context, file string, data []byte, overlays ...Overlay) (*Spec, error) {
	if len(overlays) == 0 {
		return Load(ctx, file, data)
	}
	merged, origins, err := mergeOverlays(file, data, overlays)
	if err != nil {
		return nil, err
	}
	s, err := Load(ctx, file, merged)
	if err != nil {
		return nil, origins.remap(err)
	}
	s.origins = origins
	return s, nil
}

// origin is where a line of a merged spec was written.
type origin struct {
	file string
	line int
}

// origins are the origins of a merged spec's lines, by line number - 1.
type origins []origin

// remap moves the file:line of each problem of err from the merged text
// to the file that wrote the line.
func (o origins) remap(err error) error {
	var list yamlfile.List
	if !errors.As(err, &list) {
		list = yamlfile.List{err}
	}
	out := make(yamlfile.List, 0, len(list))
	for _, e := range list {
		var fe *yamlfile.Error
		if errors.As(e, &fe) && fe.Line >= 1 && fe.Line <= len(o) {
			at := o[fe.Line-1]
			e = &yamlfile.Error{File: at.file, Line: at.line, Msg: fe.Msg}
		}
		out = append(out, e)
	}
	return out.Err()
}

// section is a block of lines: a key's, from the line after the key to the
// line before the next key at the key's indentation or less.
type section struct {
	key        string
	line       int // the key's line, from 0
	start, end int // its lines: [start, end)
}

// sections returns the keys at indentation indent within lines[from:to],
// each with its block.
func sections(lines []string, from, to, indent int) []section {
	var out []section
	for i := from; i < to; i++ {
		text := strings.TrimLeft(lines[i], " ")
		if text == "" || strings.HasPrefix(text, "#") || len(lines[i])-len(text) != indent {
			continue
		}
		if n := len(out); n > 0 {
			out[n-1].end = i
		}
		key, _, _ := strings.Cut(text, ":")
		out = append(out, section{key: unquote(key), line: i, start: i + 1, end: to})
	}
	return out
}

func unquote(key string) string {
	key = strings.TrimSpace(key)
	if len(key) >= 2 && (key[0] == '"' || key[0] == '\'') && key[len(key)-1] == key[0] {
		return key[1 : len(key)-1]
	}
	return key
}

// entryIndent is the indentation of the first key in lines[s.start:s.end],
// or -1 when the block has none.
func entryIndent(lines []string, s section) int {
	for i := s.start; i < s.end; i++ {
		text := strings.TrimLeft(lines[i], " ")
		if text != "" && !strings.HasPrefix(text, "#") {
			return len(lines[i]) - len(text)
		}
	}
	return -1
}

// merger adds overlays to a spec's text, line by line, noting where each
// line comes from.
type merger struct {
	lines   []string
	origins origins
	// names says, for each path and each component ("schemas/EnvInfo"),
	// where it is written.
	names map[string]origin
}

// mergeOverlays returns the spec's text with the overlays' paths and
// components added to its own, and the origin of each line.
func mergeOverlays(file string, data []byte, overlays []Overlay) ([]byte, origins, error) {
	m := &merger{lines: strings.Split(string(data), "\n"), names: map[string]origin{}}
	for i := range m.lines {
		m.origins = append(m.origins, origin{file, i + 1})
	}
	m.noteNames(m.lines, m.origins)
	var errs yamlfile.List
	for _, ov := range overlays {
		errs.Add(m.add(ov))
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	return []byte(strings.Join(m.lines, "\n")), m.origins, nil
}

// noteNames notes where the paths and components of text are written.
func (m *merger) noteNames(lines []string, at origins) {
	for _, top := range sections(lines, 0, len(lines), 0) {
		switch top.key {
		case "paths":
			for _, p := range sections(lines, top.start, top.end, entryIndent(lines, top)) {
				m.names[p.key] = at[p.line]
			}
		case "components":
			for _, kind := range sections(lines, top.start, top.end, entryIndent(lines, top)) {
				for _, c := range sections(lines, kind.start, kind.end, entryIndent(lines, kind)) {
					m.names[kind.key+"/"+c.key] = at[c.line]
				}
			}
		}
	}
}

// add adds one overlay.
func (m *merger) add(ov Overlay) error {
	lines := strings.Split(string(ov.Data), "\n")
	errAt := func(i int, format string, args ...any) error {
		return &yamlfile.Error{File: ov.File, Line: i + 1, Msg: fmt.Sprintf(format, args...)}
	}
	at := make(origins, len(lines))
	for i := range lines {
		at[i] = origin{ov.File, i + 1}
	}
	var errs yamlfile.List
	tops := sections(lines, 0, len(lines), 0)
	if len(tops) == 0 {
		return errAt(0, "an overlay holds paths and components; this one holds neither")
	}
	for _, top := range tops {
		if rest := strings.TrimSpace(strings.SplitN(lines[top.line], ":", 2)[1]); rest != "" && !strings.HasPrefix(rest, "#") {
			errs.Add(errAt(top.line, "write %s in block style, one key a line, as openapi.yaml is", top.key))
			continue
		}
		switch top.key {
		case "paths":
			errs.Add(m.addEntries(ov, lines, at, top, "paths", "path %q"))
		case "components":
			for _, kind := range sections(lines, top.start, top.end, entryIndent(lines, top)) {
				errs.Add(m.addEntries(ov, lines, at, kind, "components/"+kind.key, kind.key+" %q"))
			}
		default:
			errs.Add(errAt(top.line, "an overlay holds paths and components, not %s", top.key))
		}
	}
	return errs.Err()
}

// addEntries adds the entries of the overlay's block s (its paths, or its
// components of one kind) to the spec's block at where, refusing a name
// already written.
func (m *merger) addEntries(ov Overlay, lines []string, at origins, s section, where, what string) error {
	var errs yamlfile.List
	indent := entryIndent(lines, s)
	kind := strings.TrimPrefix(strings.TrimPrefix(where, "components/"), "paths")
	for _, e := range sections(lines, s.start, s.end, indent) {
		name := e.key
		if kind != "" {
			name = kind + "/" + e.key
		}
		if prev, ok := m.names[name]; ok {
			errs.Add(&yamlfile.Error{File: ov.File, Line: e.line + 1, Msg: fmt.Sprintf(what+" is already in %s:%d", e.key, prev.file, prev.line)})
			continue
		}
		m.names[name] = at[e.line]
	}
	if err := errs.Err(); err != nil {
		return err
	}
	target, ok := m.block(where, at[s.line])
	if !ok {
		return &yamlfile.Error{File: ov.File, Line: s.line + 1, Msg: fmt.Sprintf("the spec has no %s to add to", where)}
	}
	if have := entryIndent(m.lines, target); have >= 0 && have != indent {
		return &yamlfile.Error{File: ov.File, Line: s.start + 1, Msg: fmt.Sprintf("indent %s's entries by %d spaces, as the spec does", s.key, have)}
	}
	m.insert(target.end, lines[s.start:s.end], at[s.start:s.end])
	return nil
}

// block finds the spec's block at where ("paths", "components/schemas"),
// adding an empty one when components lacks that kind.
func (m *merger) block(where string, from origin) (section, bool) {
	top, sub, _ := strings.Cut(where, "/")
	for _, t := range sections(m.lines, 0, len(m.lines), 0) {
		if t.key != top {
			continue
		}
		if sub == "" {
			return t, true
		}
		indent := entryIndent(m.lines, t)
		for _, k := range sections(m.lines, t.start, t.end, indent) {
			if k.key == sub {
				return k, true
			}
		}
		m.insert(t.end, []string{strings.Repeat(" ", indent) + sub + ":"}, origins{from})
		return section{key: sub, line: t.end, start: t.end + 1, end: t.end + 1}, true
	}
	return section{}, false
}

// insert puts lines, written at at, before the spec's line i (from 0),
// after the block's last written line rather than its trailing blanks.
func (m *merger) insert(i int, lines []string, at origins) {
	for i > 0 && strings.TrimSpace(m.lines[i-1]) == "" {
		i--
	}
	m.lines = append(m.lines[:i], append(append([]string{}, lines...), m.lines[i:]...)...)
	m.origins = append(m.origins[:i], append(append(origins{}, at...), m.origins[i:]...)...)
}
