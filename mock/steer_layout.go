package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// laidOut is an item posted to the admin API, written as a scenario file
// that holds it alone, one value to a line: the file that lint's own
// checks read, and which JSON path each of its lines holds, so that their
// file:line becomes the item's path.
type laidOut struct {
	data  []byte
	paths []string // by line, from 1: the JSON path of the value it starts
}

// bodyFile is the name the laid-out file has in messages, before each
// file:line is turned into a path.
const bodyFile = "\x00body"

// maxItemDepth is how deep the values of an item may nest: far deeper
// than any app, platform or scenario body needs, and shallow enough that
// no body makes the checks recurse without end.
const maxItemDepth = 64

// maxKeyBytes is how long a key of an item may be: far longer than any
// field's name, and short enough for the YAML reader of lint's checks,
// which takes no key of more than 1024 characters.
const maxKeyBytes = 256

var (
	// errTooDeep is a value nested deeper than maxItemDepth.
	errTooDeep = fmt.Errorf("nested deeper than %d levels", maxItemDepth)
	// errKeyTooLong is a key longer than maxKeyBytes.
	errKeyTooLong = fmt.Errorf("a key longer than %d bytes", maxKeyBytes)
)

// layOut writes item, a JSON value, as the file {"list": [item]}. Its
// error says where the item is not JSON, as "$.path: what is wrong".
func layOut(list string, item []byte) (*laidOut, error) {
	dec := json.NewDecoder(bytes.NewReader(item))
	dec.UseNumber()
	l := &laidOut{paths: []string{"$", "$"}}
	l.data = append(strconv.AppendQuote([]byte("{"), list), ": ["...)
	if err := l.value(dec, "$", "", 0); err != nil {
		if errors.Is(err, errTooDeep) || errors.Is(err, errKeyTooLong) {
			return nil, err
		}
		return nil, fmt.Errorf("$: not JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("$: not JSON: more than one JSON value")
	}
	l.line("$", "]}")
	return l, nil
}

// line starts a new line with text, the start of the value at path.
func (l *laidOut) line(path, text string) {
	l.data = append(append(l.data, '\n'), text...)
	l.paths = append(l.paths, path)
}

// value writes the next value of dec, whose path is path, after prefix
// (a key and its colon, or a comma).
func (l *laidOut) value(dec *json.Decoder, path, prefix string, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if ok && depth == maxItemDepth {
		return fmt.Errorf("%s: %w", path, errTooDeep)
	}
	if !ok {
		b, err := json.Marshal(tok)
		if err != nil {
			return err
		}
		l.line(path, prefix+string(b))
		return nil
	}
	l.line(path, prefix+string(d))
	for i := 0; dec.More(); i++ {
		sep := ""
		if i > 0 {
			sep = ", "
		}
		if d == '[' {
			if err := l.value(dec, fmt.Sprintf("%s[%d]", path, i), sep, depth+1); err != nil {
				return err
			}
			continue
		}
		k, err := dec.Token()
		if err != nil {
			return err
		}
		key := k.(string)
		if len(key) > maxKeyBytes {
			return fmt.Errorf("%s: %w: %d bytes", path, errKeyTooLong, len(key))
		}
		if err := l.value(dec, keyPath(path, key), sep+strconv.Quote(key)+": ", depth+1); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	l.line(path, map[json.Delim]string{'{': "}", '[': "]"}[d])
	return nil
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// keyPath is the JSON path of key in the object at path.
func keyPath(path, key string) string {
	if identifier.MatchString(key) {
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

// problems turns the file:line of each of lint's problems with the
// laid-out file into the path of the item it names.
func (l *laidOut) problems(err error) []string {
	var list yamlfile.List
	if !errors.As(err, &list) {
		list = yamlfile.List{err}
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		var fe *yamlfile.Error
		if !errors.As(e, &fe) || fe.File != bodyFile {
			out = append(out, e.Error())
			continue
		}
		path := "$"
		if fe.Line > 0 && fe.Line < len(l.paths) {
			path = l.paths[fe.Line]
		}
		out = append(out, path+": "+fe.Msg)
	}
	return out
}
