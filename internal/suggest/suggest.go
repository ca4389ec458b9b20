// Package suggest finds the name a user most likely meant when they misspelt
// one: a command, a scenario, an operation.
package suggest

import (
	"fmt"
	"strings"
)

// Closest returns the name of known nearest to name, if it is near enough
// to be a slip (a few letters wrong, or another case), else "".
func Closest(name string, known []string) string {
	best, bestDist := "", 0
	for _, k := range known {
		d := distance(strings.ToLower(name), strings.ToLower(k))
		if d <= max(2, len(k)/4) && (best == "" || d < bestDist) {
			best, bestDist = k, d
		}
	}
	return best
}

// DidYouMean is " (did you mean "X"?)" for the closest of known, or "".
func DidYouMean(name string, known []string) string {
	if c := Closest(name, known); c != "" && c != name {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

// distance is the Levenshtein distance between a and b, by bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
