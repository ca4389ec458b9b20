package contract_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/testkit"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/mocktest"
)

// choice is one thing the spec marks as the fake's choice and a live run
// probes: an errcode answered to a cause without evidence, or the text of
// a row without evidence.
type choice struct {
	op    *apispec.Operation
	row   apispec.Errcode
	cause string // "": the row's text is the choice
}

func (c choice) String() string {
	if c.cause == "" {
		return fmt.Sprintf("%s %d's text", c.op.ID, c.row.Code)
	}
	return fmt.Sprintf("%s %d to %s", c.op.ID, c.row.Code, c.cause)
}

// liveChoices lists, from the spec, every choice a live run sends.
func liveChoices(spec *apispec.Spec) []choice {
	var out []choice
	for _, op := range spec.Operations() {
		for _, row := range op.Errcodes {
			if !row.Live || row.Code == 0 {
				continue
			}
			for _, cause := range row.When {
				if !row.KnownCause(cause) {
					out = append(out, choice{op, row, cause})
				}
			}
			if row.Text == "" && len(row.When) > 0 {
				out = append(out, choice{op: op, row: row})
			}
		}
	}
	return out
}

// otherChoice is the answer a production that chose otherwise gives: for a
// cause, another errcode of the operation's table; for a text, another
// text of the same errcode.
func (c choice) otherChoice(rid string) (code int, errmsg string) {
	if c.cause == "" {
		return c.row.Code, c.row.Errmsg + " (as production words it)" + rid
	}
	for _, row := range c.op.Errcodes {
		if row.Code != 0 && row.Code != c.row.Code {
			return row.Code, row.Errmsg + rid
		}
	}
	panic("no other errcode in " + c.op.ID)
}

// standIn is a production that answers every documented behaviour as the
// fake does but makes the choices cs otherwise: it reads from the fake's
// journal which cause the fake answered, and changes that answer alone.
func standIn(t *testing.T, cs []choice) http.Handler {
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	return changed(m, func(r *http.Request, w *httptest.ResponseRecorder) {
		var a struct {
			Errcode int    `json:"errcode"`
			Errmsg  string `json:"errmsg"`
		}
		if json.Unmarshal(w.Body.Bytes(), &a) != nil || a.Errcode == 0 {
			return
		}
		rid := apispec.RIDPattern.FindString(a.Errmsg)
		cause := ""
		for _, c := range cs {
			if r.URL.Path != c.op.Path || a.Errcode != c.row.Code {
				continue
			}
			if c.cause != "" {
				if cause == "" {
					cause = causeOf(t, m, rid)
				}
				if cause != c.cause {
					continue
				}
			}
			code, errmsg := c.otherChoice(rid)
			body, _ := json.Marshal(map[string]any{"errcode": code, "errmsg": errmsg})
			w.Body.Reset()
			w.Body.Write(body)
			return
		}
	})
}

// apart splits choices into groups with at most one choice of each
// errcode row, so that no choice of a group hides another.
func apart(choices []choice) [][]choice {
	var groups [][]choice
	for _, c := range choices {
		i := slices.IndexFunc(groups, func(g []choice) bool {
			return !slices.ContainsFunc(g, func(o choice) bool { return o.op == c.op && o.row.Code == c.row.Code })
		})
		if i < 0 {
			groups = append(groups, nil)
			i = len(groups) - 1
		}
		groups[i] = append(groups[i], c)
	}
	return groups
}

// causeOf is the cause the fake's journal gives the answer of rid.
func causeOf(t *testing.T, m http.Handler, rid string) string {
	w := httptest.NewRecorder()
	m.ServeHTTP(w, adminRequest(http.MethodGet, "requests?rid="+strings.TrimPrefix(rid, " rid: "), ""))
	var j struct {
		Requests []struct {
			Cause string `json:"cause"`
		} `json:"requests"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &j); err != nil || len(j.Requests) != 1 {
		t.Errorf("the journal of rid %q: %s", rid, w.Body)
		return ""
	}
	return j.Requests[0].Cause
}

// TestEveryChoiceAnsweredOtherwiseIsAnObservation: against productions
// generated from the spec, which make its choices otherwise (several at
// once, none of them on one errcode row) and answer the rest as
// documented, the live run passes and its observations name each choice.
func TestEveryChoiceAnsweredOtherwiseIsAnObservation(t *testing.T) {
	spec := testkit.Embedded(t)
	choices := liveChoices(spec)
	if len(choices) == 0 {
		t.Fatal("the spec marks no live choice")
	}
	for i, cs := range apart(choices) {
		t.Run(fmt.Sprintf("%d choices otherwise from %s", len(cs), cs[0]), func(t *testing.T) {
			t.Parallel()
			out, res := runLive(t, standIn(t, cs))
			if !res.Passed(false) {
				t.Fatalf("failed %v; want a pass: %v are choices\n%s", res.Failed, cs, out)
			}
			for _, c := range cs {
				if !slices.ContainsFunc(res.Observations, func(o contract.Observation) bool {
					return o.Operation == c.op.ID && o.Row == c.row.Code && (c.cause == "" || o.Cause == c.cause)
				}) {
					t.Errorf("group %d: observations %+v; want one of %s\n%s", i, res.Observations, c, out)
				}
			}
		})
	}
}

// runLive runs the suite against h as production, with the credentials of
// an app and of a third-party platform that manages it.
func runLive(t *testing.T, h http.Handler) (string, *contract.Result) {
	t.Helper()
	target, err := contract.HandlerTarget(t.Context(), testkit.WithoutAdmin(h), &contract.TargetOptions{Credentials: contract.Credentials{
		AppID: mocktest.SecondAppID, Secret: mocktest.SecondSecret,
		ThirdParty: contract.ThirdParty{ComponentAppID: mocktest.ComponentAppID, ComponentSecret: mocktest.ComponentSecret,
			VerifyTicket: mocktest.VerifyTicket, AuthorizerAppID: mocktest.DemoAppID, RefreshToken: mocktest.DemoRefreshToken},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out, Format: "progress"})
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), res
}
