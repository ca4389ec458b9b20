package apispec

import (
	"bytes"
	"slices"
	"strconv"
)

// writtenOrder returns paths in the order the spec's text writes them, as
// keys of a block mapping indented by two spaces (how openapi.yaml and
// its overlays are written); a path not found so keeps its place after
// those found. Operations are listed in this order: the author's. It
// reads the text rather than parsing it again, which would cost the start
// a second parse.
func writtenOrder(data []byte, paths []string) []string {
	at := make(map[string]int, len(paths))
	for _, p := range paths {
		at[p] = len(data)
		for _, key := range []string{p, strconv.Quote(p), "'" + p + "'"} {
			if i := bytes.Index(data, []byte("\n  "+key+":")); i >= 0 && i < at[p] {
				at[p] = i
			}
		}
	}
	out := slices.Clone(paths)
	slices.SortStableFunc(out, func(a, b string) int { return at[a] - at[b] })
	return out
}
