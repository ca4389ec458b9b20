// Package yamlfile decodes YAML files strictly and reports each problem as
// "file:line: what is wrong".
package yamlfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Doc is a parsed YAML file that remembers where each value stands.
type Doc struct {
	File string

	data []byte
	once sync.Once
	root *yaml.Node // the top value, never the document node
	err  error
}

// Parse parses data, named file in messages. An empty file is an empty mapping.
func Parse(file string, data []byte) (*Doc, error) {
	d := Lazy(file, data)
	if _, err := d.parsed(); err != nil {
		return nil, err
	}
	return d, nil
}

// Lazy returns a Doc of data that is parsed only when a line or a strict
// decode is asked for: for a file another parser has read already, whose
// lines are needed only to report a problem.
func Lazy(file string, data []byte) *Doc { return &Doc{File: file, data: data} }

// parsed parses the file, once.
func (d *Doc) parsed() (*yaml.Node, error) {
	d.once.Do(func() {
		var n yaml.Node
		if err := yaml.Unmarshal(d.data, &n); err != nil {
			d.err = syntaxError(d.File, err, d.data)
		}
		d.root = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1}
		if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
			d.root = n.Content[0]
		}
	})
	return d.root, d.err
}

// Root returns the top value of the file.
func (d *Doc) Root() *yaml.Node {
	root, _ := d.parsed()
	return root
}

var lineRe = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// syntaxError is err at its line of data. yaml.v3 names the line where the
// enclosing block began ("line 1: did not find expected key" for a key
// indented wrong on line 9); the line that breaks the file is the first
// whose addition makes the lines before it fail to parse, and that is the
// line said.
func syntaxError(file string, err error, data []byte) error {
	msg := err.Error()
	line := 1
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if first := firstFailingLine(data); first > line {
		line = first
	}
	return &Error{File: file, Line: line, Msg: msg}
}

// firstFailingLine is the number of the first line of data whose lines, up
// to and with it, do not parse; 0 if each prefix parses. It is searched
// for by halves, each step parsing one prefix: once lines fail to parse,
// the lines that follow do not mend them, so a large file whose mistake is
// near its end costs a parse per halving, not one per line.
func firstFailingLine(data []byte) int {
	ends := lineEnds(data)
	fails := func(i int) bool {
		var n yaml.Node
		return yaml.Unmarshal(data[:ends[i]], &n) != nil
	}
	if len(ends) == 0 || !fails(len(ends)-1) {
		return 0
	}
	return sort.Search(len(ends), fails) + 1
}

// lineEnds returns where each line of data ends, its newline included.
func lineEnds(data []byte) []int {
	var ends []int
	for end := 0; end < len(data); {
		next := bytes.IndexByte(data[end:], '\n')
		if next < 0 {
			next = len(data) - end - 1
		}
		end += next + 1
		ends = append(ends, end)
	}
	return ends
}

// Node returns the node at path (mapping keys and sequence indexes), or nil.
func (d *Doc) Node(path ...any) *yaml.Node {
	n := d.Root()
	for _, step := range path {
		n = child(n, step)
		if n == nil {
			return nil
		}
	}
	return n
}

func child(n *yaml.Node, step any) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch s := step.(type) {
	case string:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == s {
				return n.Content[i+1]
			}
		}
	case int:
		if n.Kind == yaml.SequenceNode && s >= 0 && s < len(n.Content) {
			return n.Content[s]
		}
	}
	return nil
}

// Line returns the line of the deepest node that exists along path.
func (d *Doc) Line(path ...any) int {
	n := d.Root()
	for _, step := range path {
		c := child(n, step)
		if c == nil {
			break
		}
		n = c
	}
	return n.Line
}

// Errorf returns an [*Error] at the line of path.
func (d *Doc) Errorf(path []any, format string, args ...any) error {
	return &Error{File: d.File, Line: d.Line(path...), Msg: fmt.Sprintf(format, args...)}
}

// DecodeValue decodes value, the JSON-shaped value another parser read at
// path, strictly into v. Only when that fails is the file parsed, to say
// where and why.
func (d *Doc) DecodeValue(v any, value any, path ...any) error {
	data, err := json.Marshal(value)
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err = dec.Decode(v); err == nil {
			return nil
		}
	}
	if lineErr := d.Decode(v, path...); lineErr != nil {
		return lineErr
	}
	return d.Errorf(path, "%v", err)
}

// Decode decodes the node at path into v, which points to a struct, slice or
// map typed with yaml tags. A key that v's type does not know, or a value of
// the wrong type, is an error at its line; all are reported together.
func (d *Doc) Decode(v any, path ...any) error {
	unknown, err := d.DecodeKnown(v, path...)
	var errs List
	errs.Add(unknown)
	errs.Add(err)
	return errs.Err()
}

// DecodeKnown is [Doc.Decode] with its two kinds of problem apart: keys v's
// type does not know, which leave v whole but for them, and values of the
// wrong type, which leave v in doubt.
func (d *Doc) DecodeKnown(v any, path ...any) (unknown, err error) {
	n := d.Node(path...)
	if n == nil {
		return nil, nil
	}
	var keys List
	d.checkKeys(n, reflect.TypeOf(v), &keys)
	if err := n.Decode(v); err != nil {
		return keys.Err(), d.typeErrors(err)
	}
	return keys.Err(), nil
}

var yamlNodeType = reflect.TypeFor[yaml.Node]()

func (d *Doc) checkKeys(n *yaml.Node, t reflect.Type, errs *List) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch {
	case t == yamlNodeType:
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct:
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			ft, ok := fields[k.Value]
			if !ok {
				errs.Add(&Error{File: d.File, Line: k.Line, Msg: fmt.Sprintf("unknown key %q (known: %s)", k.Value, knownKeys(t))})
				continue
			}
			d.checkKeys(n.Content[i+1], ft, errs)
		}
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Map:
		for i := 1; i < len(n.Content); i += 2 {
			d.checkKeys(n.Content[i], t.Elem(), errs)
		}
	case n.Kind == yaml.SequenceNode && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
		for _, c := range n.Content {
			d.checkKeys(c, t.Elem(), errs)
		}
	}
}

// yamlFields maps the keys of a struct type, those of its ",inline"
// structs included, to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type, t.NumField())
	for f := range t.Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case name == "-" || !f.IsExported():
		case opts == "inline" && f.Type.Kind() == reflect.Struct:
			maps.Copy(fields, yamlFields(f.Type))
		case name == "":
			fields[strings.ToLower(f.Name)] = f.Type
		default:
			fields[name] = f.Type
		}
	}
	return fields
}

func knownKeys(t reflect.Type) string {
	return strings.Join(slices.Sorted(maps.Keys(yamlFields(t))), ", ")
}

var typeErrRe = regexp.MustCompile("^line (\\d+): cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")

func (d *Doc) typeErrors(err error) error {
	te, ok := err.(*yaml.TypeError)
	if !ok {
		return syntaxError(d.File, err, nil)
	}
	var errs List
	for _, msg := range te.Errors {
		m := typeErrRe.FindStringSubmatch(msg)
		if m == nil {
			errs.Add(syntaxError(d.File, fmt.Errorf("%s", msg), nil))
			continue
		}
		line, _ := strconv.Atoi(m[1])
		errs.Add(&Error{File: d.File, Line: line, Msg: fmt.Sprintf("want %s, got %s", goKind(m[4]), yamlValue(m[2], m[3]))})
	}
	return errs.Err()
}

func yamlValue(tag, value string) string {
	switch tag {
	case "str":
		return strconv.Quote(value)
	case "seq":
		return "a list"
	case "map":
		return "a mapping"
	}
	if value == "" {
		return "!!" + tag
	}
	return value
}

func goKind(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["), strings.Contains(t, "."):
		return "a mapping"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "an integer"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "a string"
	}
	return t
}
