package apispec_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

func newopOverlay(t *testing.T) apispec.Overlay {
	t.Helper()
	data, err := os.ReadFile("../../mock/testdata/newop/operation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return apispec.Overlay{File: "operation.yaml", Data: data}
}

func TestAnOverlayAddsOperationsAndSchemas(t *testing.T) {
	s, err := apispec.LoadWith(t.Context(), "openapi.yaml", []byte(embeddedSpec(t)), newopOverlay(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.Operation("databaseCollectionGet") == nil || s.Operation("getEnvInfo") == nil || s.Doc.Components.Schemas["Collection"] == nil {
		t.Fatal("the overlay's operation and schemas are not in the spec, or the spec's are gone")
	}
	ids := []string{}
	for _, o := range s.Operations() {
		ids = append(ids, o.ID)
	}
	if ids[len(ids)-1] != "databaseCollectionGet" {
		t.Errorf("operations %v; want the overlay's after the spec's", ids)
	}
	if got := s.Where(s.Operation("databaseCollectionGet").At("x-answer")); got != "operation.yaml:33" {
		t.Errorf("the overlay's x-answer is at %s; want operation.yaml:33, the line below its key", got)
	}
	if got := s.Where(s.Operation("getEnvInfo").At()); !strings.HasPrefix(got, "openapi.yaml:") {
		t.Errorf("getenvinfo is at %s; want openapi.yaml", got)
	}
}

func TestAnOverlayIsRefusedWhereItClashes(t *testing.T) {
	for _, tc := range []struct{ name, overlay, want string }{
		{"a path the spec has", "paths:\n  /tcb/getenvinfo:\n    post: {}\n", "x.yaml:2: path \"/tcb/getenvinfo\" is already in openapi.yaml:"},
		{"a schema the spec has", "components:\n  schemas:\n    EnvInfo:\n      type: object\n", "x.yaml:3: schemas \"EnvInfo\" is already in openapi.yaml:"},
		{"another key", "info:\n  title: x\n", "x.yaml:1: an overlay holds paths and components, not info"},
		{"flow style", "paths: {/x: {}}\n", "x.yaml:1: write paths in block style"},
		{"nothing", "# empty\n", "x.yaml:1: an overlay holds paths and components; this one holds neither"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := apispec.LoadWith(t.Context(), "openapi.yaml", []byte(embeddedSpec(t)), apispec.Overlay{File: "x.yaml", Data: []byte(tc.overlay)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v; want %q", err, tc.want)
			}
		})
	}
}

func TestTwoOverlaysThatAddTheSamePathClash(t *testing.T) {
	ov := newopOverlay(t)
	again := apispec.Overlay{File: "again.yaml", Data: ov.Data}
	_, err := apispec.LoadWith(t.Context(), "openapi.yaml", []byte(embeddedSpec(t)), ov, again)
	if err == nil || !strings.Contains(err.Error(), `again.yaml:5: path "/tcb/databasecollectionget" is already in operation.yaml:5`) {
		t.Fatalf("got %v; want the second overlay's path refused at its line, naming the first's", err)
	}
}

func TestAProblemInAnOverlayIsReportedAtItsLine(t *testing.T) {
	ov := newopOverlay(t)
	ov.Data = []byte(strings.Replace(string(ov.Data), "        unknown: -501007\n", "        unknown: -501008\n", 1))
	_, err := apispec.LoadWith(t.Context(), "openapi.yaml", []byte(embeddedSpec(t)), ov)
	var fe *yamlfile.Error
	if !errors.As(err, &fe) || fe.File != "operation.yaml" || fe.Line != strings.Count(string(ov.Data[:strings.Index(string(ov.Data), "unknown: -501008")]), "\n")+1 {
		t.Fatalf("got %v; want operation.yaml at the line of unknown", err)
	}
}

func TestAKinOpenAPIProblemInAnOverlayIsReportedAtItsLine(t *testing.T) {
	ov := newopOverlay(t)
	ov.Data = []byte(strings.Replace(string(ov.Data), `$ref: "#/components/schemas/CollectionGetResponse"`, `$ref: "#/components/schemas/CollectionGetRespons"`, 1))
	_, err := apispec.LoadWith(t.Context(), "openapi.yaml", []byte(embeddedSpec(t)), ov)
	if err == nil || !strings.HasPrefix(err.Error(), "operation.yaml:30: ") {
		t.Fatalf("got %v; want operation.yaml:30, the $ref's line", err)
	}
}
