package apispec

import (
	"bytes"
	"regexp"
	"strings"
)

// refInMessage finds the reference a loader error could not resolve.
var refInMessage = regexp.MustCompile(`"(#/[^"]+)"`)

// loaderLine is the line a kin-openapi loader error is about: the line it
// names, or else the first line that writes the $ref it could not
// resolve, or else 1.
func loaderLine(data []byte, err error) int {
	if n := messageLine(err); n != 1 {
		return n
	}
	m := refInMessage.FindStringSubmatch(err.Error())
	if m == nil {
		return 1
	}
	for _, written := range []string{`"` + m[1] + `"`, `'` + m[1] + `'`, m[1]} {
		if i := bytes.Index(data, []byte("$ref: "+written)); i >= 0 {
			return bytes.Count(data[:i], []byte("\n")) + 1
		}
	}
	return 1
}

// loaderMessage is a kin-openapi error without the schema and value it
// dumps after its first line (tens of lines that would hide the rest).
func loaderMessage(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\nSchema:")
	msg, _, _ = strings.Cut(msg, "\nValue:")
	return strings.TrimSpace(msg)
}

// exampleLine moves a validation error about an example from the line of
// the media type kin-openapi records to the example's own: the first
// "example:" key below line, before the text leaves the media type.
func exampleLine(data []byte, err error, line int) int {
	if !strings.Contains(err.Error(), "invalid example") {
		return line
	}
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return line
	}
	indent := len(lines[line-1]) - len(strings.TrimLeft(lines[line-1], " "))
	for i := line; i < len(lines); i++ {
		text := strings.TrimLeft(lines[i], " ")
		if text == "" {
			continue
		}
		if len(lines[i])-len(text) <= indent {
			break
		}
		if strings.HasPrefix(text, "example:") {
			return i + 1
		}
	}
	return line
}
