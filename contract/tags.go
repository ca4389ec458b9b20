package contract

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v34"
)

// liveOnly selects what runs on a target without the admin API.
const liveOnly = "@live && ~@fake"

// ErrTags is returned for a tag expression godog cannot read.
var ErrTags = fmt.Errorf("contract: bad tag expression")

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

// andTags returns the expression that both a and b select.
func andTags(a, b string) string {
	if a == "" {
		return b
	}
	groups := strings.Split(a, ",")
	for i, g := range groups {
		groups[i] = strings.TrimSpace(g) + " && " + b
	}
	return strings.Join(groups, ",")
}

// plan lists the scenarios the user's tags select that the target cannot
// run, and why.
func (s *session) plan(suite godog.TestSuite) ([]Skip, error) {
	features, err := suite.RetrieveFeatures()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFeatures, err)
	}
	var skipped []Skip
	for _, f := range features {
		for _, p := range f.Pickles {
			if reason := s.skipReason(tagNames(p.Tags)); reason != "" {
				skipped = append(skipped, Skip{Scenario: fmt.Sprintf("%s (%s)", p.Name, p.Uri), Reason: reason})
			}
		}
	}
	return skipped, nil
}

// skipReason says why a scenario with tags cannot run on the target, or "".
func (s *session) skipReason(tags []string) string {
	switch {
	case s.target.Admin:
		return ""
	case slices.Contains(tags, "@fake"):
		return "@fake: needs the fake's " + AdminPrefix + " API, which the target does not have"
	case !slices.Contains(tags, "@live"):
		return "not @live: not known to be safe and true against production"
	case slices.Contains(tags, "@third-party") && !s.target.ThirdParty.Complete():
		return "@third-party: needs a third-party platform's credentials (--component-appid, --component-secret, --verify-ticket, --authorizer-appid, --refresh-token)"
	}
	return ""
}

func tagNames(tags []*messages.PickleTag) []string {
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = t.Name
	}
	return names
}
