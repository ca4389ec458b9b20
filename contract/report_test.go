package contract_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mocktest"
)

// runFormat runs the @live scenarios, in format, against a production
// that never lists an environment.
func runFormat(t *testing.T, format string) (string, *contract.Result) {
	t.Helper()
	return runFormatAgainst(t, neverLists(t), format)
}

// runFormatAgainst runs the @live scenarios against h as production, in
// format.
func runFormatAgainst(t *testing.T, h http.Handler, format string) (string, *contract.Result) {
	t.Helper()
	target, err := contract.HandlerTarget(t.Context(), testkit.WithoutAdmin(h), &contract.TargetOptions{
		Credentials: contract.Credentials{AppID: mocktest.SecondAppID, Secret: mocktest.SecondSecret},
	})
	if err != nil {
		t.Fatal(err)
	}
	var out wholeLines
	res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out, Format: format, Tags: "~@third-party"})
	if err != nil {
		t.Fatal(err)
	}
	if out.broken > 0 {
		t.Errorf("%s: %d of the report's %d writes end inside a line; want whole lines (a write to a file is a system call)", format, out.broken, out.writes)
	}
	return out.String(), res
}

// wholeLines keeps a report, and counts the writes that end inside a line
// but for the last.
type wholeLines struct {
	bytes.Buffer
	writes, broken int
	last           bool // the last write ended inside a line
}

func (w *wholeLines) Write(p []byte) (int, error) {
	if w.last {
		w.broken++
	}
	w.writes++
	w.last = len(p) > 0 && p[len(p)-1] != '\n'
	return w.Buffer.Write(p)
}

const noEnvReason = "the app lists no environment, and no --env names one it has"

// summaryRe matches the report's scenario count.
var summaryRe = regexp.MustCompile(`(\d+) scenarios \((\d+) passed, (\d+) skipped\)`)

func TestTextReportsCountAndExplainSkips(t *testing.T) {
	for _, format := range []string{"pretty", "progress"} {
		t.Run(format, func(t *testing.T) {
			out, res := runFormat(t, format)
			m := summaryRe.FindStringSubmatch(out)
			if m == nil || m[3] != itoa(len(res.Skipped)) || m[1] != itoa(res.Scenarios) {
				t.Errorf("summary %q; want %d scenarios, %d of them skipped", m, res.Scenarios, len(res.Skipped))
			}
			for _, want := range []string{
				"--- Skipped scenarios:",
				"Scenario: List every environment # features/getenvinfo.feature:10\n    skipped: " + noEnvReason,
				"scenarios excluded by the target's kind: @fake: needs the fake's /__tcbmock/ API",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("the report lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// TestTextReportsListFailedStepsAndCountThem: a target that answers 40002
// where 41001 is known fails the scenarios that assert it; the text
// formats list each failed step under its scenario, with the error, and
// count every scenario and step by its status.
func TestTextReportsListFailedStepsAndCountThem(t *testing.T) {
	h := deviant(t, replace("/tcb/getenvinfo", regexp.MustCompile(`"errcode":41001,"errmsg":"access_token missing`), `"errcode":40002,"errmsg":"invalid grant_type`))
	for _, format := range []string{"pretty", "progress"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			out, res := runFormatAgainst(t, h, format)
			if len(res.Failed) == 0 {
				t.Fatalf("nothing failed:\n%s", out)
			}
			failed := regexp.MustCompile(`--- Failed steps:\n\n  Scenario: No token # features/getenvinfo.feature:\d+\n    When I list the environments without a token # features/getenvinfo.feature:\d+\n      Error: .*expected 41001, received 40002`)
			if !failed.MatchString(out) {
				t.Errorf("the failed step is not listed with its scenario and error:\n%s", out)
			}
			counts := regexp.MustCompile(`\n\n(\d+) scenarios \((\d+) passed, (\d+) failed, (\d+) skipped\)\n(\d+) steps \((\d+) passed, (\d+) failed, (\d+) skipped\)\n`).FindStringSubmatch(out)
			if counts == nil || counts[1] != itoa(res.Scenarios) || counts[3] != itoa(len(res.Failed)) || counts[4] != itoa(len(res.Skipped)) ||
				atoi(counts[2])+atoi(counts[3])+atoi(counts[4]) != res.Scenarios || atoi(counts[6])+atoi(counts[7])+atoi(counts[8]) != atoi(counts[5]) {
				t.Errorf("counts %q; want %d scenarios, %d failed, %d skipped, adding up", counts, res.Scenarios, len(res.Failed), len(res.Skipped))
			}
		})
	}
}

func TestPrettyShowsTheReasonUnderTheSkippedStep(t *testing.T) {
	out, _ := runFormat(t, "pretty")
	if !regexp.MustCompile(`Then the answer lists every environment of the app +# .*\n +skipped: ` + regexp.QuoteMeta(noEnvReason)).MatchString(out) {
		t.Errorf("no reason under the step that skipped:\n%s", out)
	}
}

func TestJUnitWritesSkippedNotError(t *testing.T) {
	out, res := runFormat(t, "junit")
	var r struct {
		Skipped int `xml:"skipped,attr"`
		Suites  []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Status  string `xml:"status,attr"`
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
				Errors []struct {
					Type string `xml:"type,attr"`
				} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not XML: %v\n%s", err, out)
	}
	if r.Skipped != len(res.Skipped) {
		t.Errorf("skipped=%d; want %d", r.Skipped, len(res.Skipped))
	}
	found := false
	for _, s := range r.Suites {
		for _, c := range s.Cases {
			if len(c.Errors) > 0 {
				t.Errorf("%s: <error type=%q>; want none", c.Name, c.Errors[0].Type)
			}
			if (c.Status == "skipped") != (c.Skipped != nil) {
				t.Errorf("%s: status %q with <skipped> %v", c.Name, c.Status, c.Skipped)
			}
			if c.Name == "List every environment" {
				found = c.Skipped != nil && strings.HasPrefix(c.Skipped.Message, noEnvReason)
			}
		}
	}
	if !found {
		t.Errorf("List every environment is not <skipped message=%q…>:\n%s", noEnvReason, out)
	}
}

func TestCucumberGivesTheReasonOfTheSkippedStep(t *testing.T) {
	out, _ := runFormat(t, "cucumber")
	var features []struct {
		Elements []struct {
			Name  string `json:"name"`
			Steps []struct {
				Result struct {
					Status string `json:"status"`
					Error  string `json:"error_message"`
				} `json:"result"`
			} `json:"steps"`
		} `json:"elements"`
	}
	if err := json.Unmarshal([]byte(out), &features); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, f := range features {
		for _, e := range f.Elements {
			if e.Name != "List every environment" {
				continue
			}
			last := e.Steps[len(e.Steps)-1].Result
			if last.Status != "skipped" || !strings.Contains(last.Error, noEnvReason) {
				t.Errorf("its last step: %+v; want skipped with the reason", last)
			}
			return
		}
	}
	t.Errorf("no scenario List every environment in\n%s", out)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func atoi(s string) int {
	var n int
	json.Unmarshal([]byte(s), &n)
	return n
}

// TestAReportThatCannotBeWrittenEndsTheRunWithTheReason: a report file on
// a full disk is an error of the run, in every format, not a silent loss.
func TestAReportThatCannotBeWrittenEndsTheRunWithTheReason(t *testing.T) {
	target := fakeTarget(t)
	more := fstest.MapFS{"one.feature": {Data: []byte("@mine\nFeature: One\n  Scenario: A call\n    When I call getEnvInfo\n")}}
	for _, format := range contract.Formats {
		_, err := contract.Run(t.Context(), contract.Options{Target: target, MoreFeatures: more, Tags: "@mine", Output: fullDisk{}, Format: format})
		if err == nil || !strings.Contains(err.Error(), "writing the report: "+errFull.Error()) {
			t.Errorf("%s: got %v; want the run to end saying it could not write the report", format, err)
		}
	}
}

var errFull = errors.New("no space left on device")

// fullDisk refuses every write.
type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error) { return 0, errFull }
