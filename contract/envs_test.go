package contract_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// neverLists is a server whose info_list is always empty.
func neverLists(t *testing.T) http.Handler {
	return deviant(t, replace("/tcb/getenvinfo", regexp.MustCompile(`"info_list":\[.*\]`), `"info_list":[]`))
}

// filtersToNothing is a server whose env filter always answers an empty list.
func filtersToNothing(t *testing.T) http.Handler {
	return deviant(t, whenFiltered(true, func(_ *http.Request, w *httptest.ResponseRecorder) {
		w.Body = bytes.NewBufferString(`{"errcode":0,"errmsg":"ok","info_list":[]}`)
	}))
}

func TestAnEmptyListIsSkippedAgainstProductionWithoutEnv(t *testing.T) {
	out, res := runAgainst(t, neverLists(t), true)
	if !res.Passed(false) || res.Passed(true) {
		t.Errorf("passed %v, strict %v; want a pass that --strict fails\n%s", res.Passed(false), res.Passed(true), out)
	}
	want := map[string]bool{"List every environment": false, "Ask for one environment by its id": false}
	for _, s := range res.Skipped {
		for name := range want {
			if strings.HasPrefix(s.Scenario, name+" (") && !s.Excluded && strings.Contains(s.Reason, "no --env names one") {
				want[name] = true
			}
		}
	}
	for name, skipped := range want {
		if !skipped {
			t.Errorf("%q not reported skipped for want of an environment; skipped: %v", name, res.Skipped)
		}
	}
	if !strings.Contains(out, "skipped: the app lists no environment") {
		t.Errorf("the report does not give the reason:\n%s", out)
	}
}

func TestAnEmptyListFailsAgainstProductionWithEnv(t *testing.T) {
	out, res := runAgainst(t, neverLists(t), true, "prod-7g3h5j")
	if res.Passed(false) || !strings.Contains(out, `info_list: expected the environment "prod-7g3h5j" (--env) among those listed; received []`) {
		t.Errorf("failed %v; want the missing --env named\n%s", res.Failed, out)
	}
}

func TestAnEmptyListFailsAgainstAFake(t *testing.T) {
	out, res := runAgainst(t, neverLists(t), false)
	if res.Passed(false) || !strings.Contains(out, "info_list: expected the app's 2 environments") {
		t.Errorf("failed %v; want the world's environments named\n%s", res.Failed, out)
	}
}

func TestAnEnvFilterThatListsNothingFailsWithEnv(t *testing.T) {
	out, res := runAgainst(t, filtersToNothing(t), true, "staging-2k4m6n")
	if res.Passed(false) || !strings.Contains(out, `info_list: expected only the environment "staging-2k4m6n"`) {
		t.Errorf("failed %v; want the --env's empty answer reported\n%s", res.Failed, out)
	}
}
