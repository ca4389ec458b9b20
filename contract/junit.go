package contract

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	messages "github.com/cucumber/messages/go/v34"
)

// junitSuites is godog's JUnit report, element for element, with room for
// <skipped>.
type junitSuites struct {
	XMLName  xml.Name      `xml:"testsuites"`
	Name     string        `xml:"name,attr"`
	Tests    int           `xml:"tests,attr"`
	Skipped  int           `xml:"skipped,attr"`
	Failures int           `xml:"failures,attr"`
	Errors   int           `xml:"errors,attr"`
	Time     string        `xml:"time,attr"`
	Suites   []*junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Cases    []*junitCase `xml:"testcase"`
}

type junitCase struct {
	Name    string        `xml:"name,attr"`
	Status  string        `xml:"status,attr"`
	Time    string        `xml:"time,attr"`
	Failure *junitFailure `xml:"failure,omitempty"`
	Errors  []*junitError `xml:"error"`
	Skipped *junitSkipped `xml:"skipped,omitempty"`
	// SystemOut says why a passed scenario checked an answer's shape alone.
	SystemOut string `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
}

type junitError struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// rewriteJUnit writes godog's JUnit report with each skipped scenario's
// testcase as status "skipped" with <skipped message="REASON"/>, counted in
// the skipped attributes, and without the <error type="skipped"> godog
// writes for each skipped step; a scenario that passed on an answer's
// shape alone (shapes, by pickle id) gets <system-out>shape only:
// REASON</system-out>. The report's suites and cases are in the order of
// pickles: features by name, scenarios in order.
func rewriteJUnit(w io.Writer, report []byte, skips map[string]*skipError, shapes map[string]string, pickles [][]*messages.Pickle) error {
	var r junitSuites
	if err := xml.Unmarshal(report, &r); err != nil {
		return err
	}
	if len(r.Suites) != len(pickles) {
		return fmt.Errorf("%d testsuites for %d features", len(r.Suites), len(pickles))
	}
	for i, suite := range r.Suites {
		if len(suite.Cases) != len(pickles[i]) {
			return fmt.Errorf("testsuite %q: %d testcases for %d scenarios", suite.Name, len(suite.Cases), len(pickles[i]))
		}
		for j, tc := range suite.Cases {
			p := pickles[i][j]
			if !strings.HasPrefix(tc.Name, p.Name) {
				return fmt.Errorf("testcase %q is not scenario %q", tc.Name, p.Name)
			}
			tc.Errors = slices.DeleteFunc(tc.Errors, func(e *junitError) bool { return e.Type == "skipped" })
			if se, ok := skips[p.Id]; ok {
				tc.Status, tc.Skipped = "skipped", &junitSkipped{Message: se.reason}
				suite.Skipped++
				r.Skipped++
			}
			if reason, ok := shapes[p.Id]; ok {
				tc.SystemOut = shapeAttachment + ": " + reason
			}
		}
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
