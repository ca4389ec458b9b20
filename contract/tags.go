package contract

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrTags is returned for a tag expression godog cannot read.
var ErrTags = errors.New("contract: bad tag expression")

var tagRe = regexp.MustCompile(`^~?@?[\w.:-]+$`)

// checkTags checks a godog tag expression: "," is or, "&&" is and, "~" is not.
func checkTags(expr string) error {
	if expr == "" {
		return nil
	}
	for _, group := range strings.Split(expr, ",") {
		for _, tag := range strings.Split(group, "&&") {
			if !tagRe.MatchString(strings.TrimSpace(tag)) {
				return fmt.Errorf(`%w %q: want tags such as "@live", joined by "&&" (and) or "," (or), "~" for not`, ErrTags, expr)
			}
		}
	}
	return nil
}
