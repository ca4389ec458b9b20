package mock_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// refused calls getenvinfo with a header the fake refuses: no WeChat answer.
func refused(f *fake, token, header string) (int, string) {
	f.t.Helper()
	_, resp := f.raw("POST", "/tcb/getenvinfo?access_token="+token, "{}", header)
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestScenarioHeaderKeyOver128BytesIs400(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	status, body := refused(f, tok, mock.ScenarioHeader+": retry-then-ok; key="+strings.Repeat("k", 129))
	if status != http.StatusBadRequest || !strings.Contains(body, "at most 128") {
		t.Errorf("got HTTP %d %s; want 400 naming the bound", status, body)
	}
	if got := f.SequencePositions(); got != 0 {
		t.Errorf("a refused header kept %d positions", got)
	}
	wantErrcode(t, f.envs(tok, "{}", mock.ScenarioHeader+": retry-then-ok; key="+strings.Repeat("k", 128)), -1)
}

func TestScenarioHeaderWithAnUnknownParameterIs400(t *testing.T) {
	f := newFake(t)
	status, body := refused(f, f.token(demoAppID, demoSecret), mock.ScenarioHeader+": retry-then-ok; kee=1")
	if status != http.StatusBadRequest || !strings.Contains(body, `unknown parameter \"kee=1\"`) {
		t.Errorf("got HTTP %d %s; want 400 naming the parameter", status, body)
	}
}

func TestSequencePositionsAreBoundedLeastRecentlyUsedFirst(t *testing.T) {
	f := newFake(t)
	if got := f.SequenceBound(); got != mock.MaxSequencePositions {
		t.Fatalf("a server keeps at most %d positions; want %d", got, mock.MaxSequencePositions)
	}
	const bound = 100 // the default's ring, smaller: cheaper to fill past its bound
	f.SetSequenceBound(bound)
	tok := f.token(demoAppID, demoSecret)
	call := func(key string) int {
		return f.envs(tok, "{}", mock.ScenarioHeader+": retry-then-ok; key="+key).Errcode
	}
	call("kept") // -1, the first step
	for i := range bound + 10 {
		call(fmt.Sprintf("k%d", i))
		if i%10 == 0 {
			call("kept") // used recently: never the one forgotten
		}
	}
	if got := f.SequencePositions(); got != bound {
		t.Errorf("keeps %d positions; want the bound, %d", got, bound)
	}
	if got := call("kept"); got != 0 {
		t.Errorf("the recently used key answered errcode %d; want 0, past its sequence's -1 steps", got)
	}
	if got := call("k0"); got != -1 {
		t.Errorf("the least recently used key answered errcode %d; want -1, its sequence started over", got)
	}
}

func TestSequencesUnderOneKeyDoNotAdvanceEachOther(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	for i, step := range []struct {
		scenario string
		want     int
	}{
		{"retry-then-ok", -1}, {"retry-then-ok", -1}, // two of its three steps
		{"expired-then-ok", 42001}, {"expired-then-ok", 0}, // from its own first step
		{"retry-then-ok", 0}, // on from where it was
	} {
		if got := f.envs(tok, "{}", mock.ScenarioHeader+": "+step.scenario+"; key=same").Errcode; got != step.want {
			t.Fatalf("call %d, %s: errcode %d; want %d", i+1, step.scenario, got, step.want)
		}
	}
}
