package contract_test

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// shapeOnly are the scenarios of a production run whose content the
// suite cannot check (the target's world is unknown): the generated valid
// call of getenvinfo, a listing, and the features' full list, which
// without --env has nothing to compare with. Each passes on the shape
// alone, and every report says so.
var shapeOnly = []string{"List every environment", "getEnvInfo answers a valid call (shape only)"}

// shapeLine is what pretty prints under the step that checked the shape
// alone, and the summaries under its scenario.
const shapeLine = "shape only: the target"

// productionFake is the embedded fake, seen as production.
func productionFake(t *testing.T) *mock.Server {
	t.Helper()
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestAProductionRunSaysWhichScenariosCheckedTheShapeOnly(t *testing.T) {
	h := productionFake(t)
	for _, format := range contract.Formats {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			out, res := runFormatAgainst(t, h, format)
			if !res.Passed(false) {
				t.Fatalf("failed %v:\n%s", res.Failed, out)
			}
			if got := shapeNames(res); !slices.Equal(got, shapeOnly) {
				t.Errorf("Result.ShapeOnly %v; want %v", got, shapeOnly)
			}
			if got := shapeScenarios(t, format, out); !slices.Equal(got, shapeOnly) {
				t.Errorf("the %s report says shape only for %v; want %v:\n%s", format, got, shapeOnly, out)
			}
		})
	}
}

func TestAFakeRunSaysNothingOfShapeOnly(t *testing.T) {
	for _, format := range []string{"pretty", "junit", "cucumber"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			target, err := contract.HandlerTarget(t.Context(), productionFake(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out, Format: format, Tags: "@derived,@live"})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.ShapeOnly) > 0 || strings.Contains(strings.ToLower(out.String()), "shape only") {
				t.Errorf("a fake's run says shape only (%v):\n%s", res.ShapeOnly, out.String())
			}
			if format != "junit" && !strings.Contains(out.String(), "lists what the target's world has") {
				t.Errorf("the fake's valid call does not compare its answer with the world:\n%s", out.String())
			}
		})
	}
}

// shapeNames returns the scenario names of a result's ShapeOnly, sorted.
func shapeNames(res *contract.Result) []string {
	var names []string
	for _, s := range res.ShapeOnly {
		name := s.Scenario[:strings.LastIndex(s.Scenario, " (")] // without its file
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// shapeScenarios returns, sorted, the scenarios a report says were
// checked for shape only: in pretty and progress, those the summary lists
// (and, in pretty, each under its step); in junit, the testcases whose
// system-out says so; in cucumber, those with a step whose embedding does.
func shapeScenarios(t *testing.T, format, out string) []string {
	t.Helper()
	set := map[string]bool{}
	switch format {
	case "pretty", "progress":
		_, summary, ok := strings.Cut(out, "--- Passed on the answer's shape alone")
		if !ok {
			return nil
		}
		for _, m := range regexp.MustCompile(`(?m)^  Scenario: (.+) # \S+\n    `+shapeLine).FindAllStringSubmatch(summary, -1) {
			set[m[1]] = true
		}
		if format == "pretty" {
			under := regexp.MustCompile(`(?m)^    (?:Then|And) .+\n        ` + shapeLine)
			if n := len(under.FindAllString(out, -1)); n != len(set) {
				t.Errorf("pretty says shape only under %d steps; want %d", n, len(set))
			}
		}
	case "junit":
		var r struct {
			Suites []struct {
				Cases []struct {
					Name string `xml:"name,attr"`
					Out  string `xml:"system-out"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		for _, s := range r.Suites {
			for _, c := range s.Cases {
				if strings.HasPrefix(c.Out, shapeLine) {
					set[c.Name] = true
				}
			}
		}
	case "cucumber":
		var features []struct {
			Elements []struct {
				Name  string `json:"name"`
				Steps []struct {
					Embeddings []struct {
						Name string `json:"name"`
						Data string `json:"data"`
					} `json:"embeddings"`
				} `json:"steps"`
			} `json:"elements"`
		}
		if err := json.Unmarshal([]byte(out), &features); err != nil {
			t.Fatal(err)
		}
		for _, f := range features {
			for _, e := range f.Elements {
				for _, st := range e.Steps {
					for _, em := range st.Embeddings {
						data, _ := base64.StdEncoding.DecodeString(em.Data)
						if em.Name == "shape only" && strings.HasPrefix("shape only: "+string(data), shapeLine) {
							set[e.Name] = true
						}
					}
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// TestAUsersContentStepsSayShapeOnlyAgainstProduction: a feature of the
// user's (check --features) that compares answers with the target's world
// passes against production on their shape alone, and the report says so
// of each of its scenarios. (The demo app has the env and function of the
// spec's examples, which the valid calls name.)
func TestAUsersContentStepsSayShapeOnlyAgainstProduction(t *testing.T) {
	target, err := contract.HandlerTarget(t.Context(), testkit.WithoutAdmin(productionFake(t)), &contract.TargetOptions{
		Credentials: contract.Credentials{AppID: mocktest.DemoAppID, Secret: mocktest.DemoSecret},
	})
	if err != nil {
		t.Fatal(err)
	}
	more := fstest.MapFS{"content.feature": {Data: []byte("@mine @live\nFeature: Content\n" +
		"  Scenario: Listed\n    When I call getEnvInfo\n    Then the answer of getEnvInfo lists what the target's world has\n" +
		"  Scenario: Computed\n    When I call invokeCloudFunction\n    Then the answer of invokeCloudFunction is as the target's world computes it\n")}}
	var out strings.Builder
	res, err := contract.Run(t.Context(), contract.Options{Target: target, MoreFeatures: more, Tags: "@mine", Output: &out, Format: "progress"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Computed", "Listed"}
	if got := shapeNames(res); !res.Passed(true) || !slices.Equal(got, want) {
		t.Errorf("passed %v, shape only %v; want %v:\n%s", res.Passed(true), got, want, out.String())
	}
	if got := shapeScenarios(t, "progress", out.String()); !slices.Equal(got, want) {
		t.Errorf("the summary says shape only for %v; want %v:\n%s", got, want, out.String())
	}
}
