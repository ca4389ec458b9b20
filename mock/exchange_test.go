package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
)

// exchange is an answer from elsewhere to POST target with body.
func exchange(t *testing.T, target, body string, status int, answer string, violations ...string) bridge.Exchange {
	t.Helper()
	r := httptest.NewRequestWithContext(t.Context(), "POST", target, strings.NewReader(body))
	return bridge.Exchange{Request: r, Body: []byte(body), Status: status, Answer: []byte(answer), Violations: violations}
}

func TestRecordExchangeJournalsTheOperationStatusErrcodeAndViolations(t *testing.T) {
	f := newFake(t, mock.WithJournalOnly())
	x := exchange(t, "/tcb/getenvinfo?access_token=97_abc", `{}`, http.StatusInternalServerError, `{"errcode":-1,"errmsg":"system error"}`,
		"HTTP status: expected HTTP 200, received 500")
	x.Errcode, x.RID, x.AppID, x.Env = ptr(-1), "6b0a3f71-00000000-00000001", demoAppID, "test2-4a89da"
	got := f.RecordExchange(x)
	want := mock.Entry{
		Method: "POST", Path: "/tcb/getenvinfo", Operation: "getEnvInfo", Status: 500, RID: x.RID, AppID: demoAppID, Env: "test2-4a89da",
		Body: "{}", Answer: `{"errcode":-1,"errmsg":"system error"}`, Violations: []string{"HTTP status: expected HTTP 200, received 500"},
	}
	if got.Method != want.Method || got.Path != want.Path || got.Operation != want.Operation || got.Status != want.Status ||
		got.RID != want.RID || got.AppID != want.AppID || got.Env != want.Env || got.Body != want.Body || got.Answer != want.Answer ||
		!slices.Equal(got.Violations, want.Violations) || fmt.Sprint(deref(got.Errcode)) != "-1" || got.Time != fixedNow {
		t.Errorf("got %+v; want %+v, errcode -1, at %v", got, want, fixedNow)
	}
	if j := f.Journal(mock.Filter{}); len(j) != 1 || j[0].Operation != "getEnvInfo" {
		t.Errorf("journal %+v; want the one exchange", j)
	}
}

func TestRecordExchangeOfAPathTheSpecLacksHasNoOperation(t *testing.T) {
	f := newFake(t, mock.WithJournalOnly())
	x := exchange(t, "/cgi-bin/message/custom/send?access_token=97_abc", `{}`, 200, `{"errcode":0,"errmsg":"ok"}`)
	x.Cause = "not in the spec"
	if got := f.RecordExchange(x); got.Operation != "" || got.Cause != "not in the spec" {
		t.Errorf("got operation %q, cause %q; want none, and the cause", got.Operation, got.Cause)
	}
}

func TestRecordExchangeKeepsCredentialsOutOfItsViolations(t *testing.T) {
	f := newFake(t, mock.WithJournalOnly(), mock.WithRedaction())
	const token, secret, refresh = "97_tokentokentokentokentokentokentoken", "0123456789abcdef0123456789abcdef", "refreshtoken@@@rrrrrrrrrr"
	x := exchange(t, "/cgi-bin/stable_token?access_token="+token, `{"appid":"`+demoAppID+`","secret":"`+secret+`"}`, 200,
		`{"access_token":"`+token+`x","authorizer_refresh_token":"`+refresh+`"}`,
		`/access_token: expected a string matching ^[0-9]+_[A-Za-z0-9_-]+$, received "`+token+`x"`,
		`body: expected JSON, received {"secret":"`+secret+`","other":"`+refresh+`"}`,
		`body: expected JSON, received {"authorizer_refresh_token":"`+refresh[:20]+`…`, // cut: only its field says it is a secret
		`answer: kin-openapi says `+token)
	got := f.RecordExchange(x)
	all, _ := json.Marshal(got)
	for _, s := range []string{token, secret, refresh, refresh[:20]} {
		if strings.Contains(string(all), s) {
			t.Errorf("the entry holds %q in clear: %s", s, all)
		}
	}
	// The token answered and the token of the query keep their placeholders, as the journal shows them.
	var answer struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(got.Answer), &answer); err != nil || !strings.Contains(got.Violations[0], `received "`+answer.AccessToken+`"`) {
		t.Errorf("violation %q; want the answer's placeholder %q in it (%v)", got.Violations[0], answer.AccessToken, err)
	}
	if want := "answer: kin-openapi says " + got.Query["access_token"]; got.Violations[3] != want {
		t.Errorf("violation %q; want %q", got.Violations[3], want)
	}
}

func TestRecordExchangeBoundsItsViolations(t *testing.T) {
	f := newFake(t, mock.WithJournalOnly())
	many := make([]string, 100)
	for i := range many {
		many[i] = fmt.Sprintf("/info_list/%d/alias: expected present, received absent", i)
	}
	got := f.RecordExchange(exchange(t, "/tcb/getenvinfo?access_token=97_abc", `{}`, 200, `{}`, many...))
	size := 0
	for _, v := range got.Violations {
		size += len(v)
	}
	if size > 4096 || len(got.Violations) == 0 || !slices.Contains(got.Truncated, "violations") {
		t.Errorf("kept %d violations of %d bytes, truncated %q; want at most 4096 bytes and \"violations\" named", len(got.Violations), size, got.Truncated)
	}
}

func TestTheJournalFiltersExchangesWithViolations(t *testing.T) {
	f := newFake(t, mock.WithJournalOnly())
	f.RecordExchange(exchange(t, "/tcb/getenvinfo?access_token=97_abc", `{}`, 200, `{}`))
	f.RecordExchange(exchange(t, "/tcb/getenvinfo?access_token=97_abc", `{}`, 500, `{}`, "HTTP status: expected HTTP 200, received 500"))
	for _, tc := range []struct {
		name, query string
		want        []int // the statuses listed
	}{
		{"only those with violations", "?violations=1", []int{500}},
		{"true is 1", "?violations=true", []int{500}},
		{"0 selects every one", "?violations=0", []int{200, 500}},
		{"no filter", "", []int{200, 500}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got struct {
				Requests []mock.Entry `json:"requests"`
			}
			rep := f.do("GET", "/__tcbmock/requests"+tc.query, "")
			if err := json.Unmarshal(rep.Body, &got); err != nil {
				t.Fatal(err)
			}
			var statuses []int
			for _, e := range got.Requests {
				statuses = append(statuses, e.Status)
			}
			if !slices.Equal(statuses, tc.want) {
				t.Errorf("got statuses %v; want %v", statuses, tc.want)
			}
		})
	}
	if rep := f.do("GET", "/__tcbmock/requests?violations=maybe", ""); rep.Status != http.StatusBadRequest || !strings.Contains(string(rep.Body), `violations \"maybe\"`) {
		t.Errorf("violations=maybe: HTTP %d %s; want 400 naming it", rep.Status, rep.Body)
	}
}

func TestEveryEntryListsItsViolationsEvenWhenThereAreNone(t *testing.T) {
	f := newFake(t)
	f.token(demoAppID, demoSecret)
	rep := f.do("GET", "/__tcbmock/requests", "")
	if !strings.Contains(string(rep.Body), `"violations":[]`) {
		t.Errorf("journal %s; want \"violations\":[] in the entry", rep.Body)
	}
}

func TestAJournalOnlyServerHasNoWorldOnItsAdminAPI(t *testing.T) {
	f := newFake(t, mock.WithJournalOnly())
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/__tcbmock/health", 200},
		{"GET", "/__tcbmock/requests", 200},
		{"DELETE", "/__tcbmock/requests", 200},
		{"GET", "/__tcbmock/config", 200},
		{"GET", "/__tcbmock/errcodes", 200},
		{"GET", "/__tcbmock/ui/", 200},
		{"GET", "/__tcbmock/tokens", 404},
		{"GET", "/__tcbmock/apps", 404},
		{"GET", "/__tcbmock/scenarios", 404},
		{"POST", "/__tcbmock/tokens", 404},
		{"POST", "/__tcbmock/clock", 404},
		{"POST", "/__tcbmock/reset", 404},
		{"POST", "/__tcbmock/reauthorize", 404},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			rep := f.do(tc.method, tc.path, `{}`)
			if rep.Status != tc.want {
				t.Errorf("got HTTP %d %s; want %d", rep.Status, rep.Body, tc.want)
			}
			if tc.want == 404 && !strings.Contains(string(rep.Body), "only health, config, requests, requests/stream, errcodes and ui") {
				t.Errorf("got %s; want the error to say what there is", rep.Body)
			}
		})
	}
}

func TestRecordExchangeRedactsACredentialWhereverItAppears(t *testing.T) {
	f := newFake(t, mock.WithJournalOnly(), mock.WithRedaction())
	const token = "97_echoedechoedechoedechoedechoedechoed"
	x := exchange(t, "/tcb/getenvinfo?access_token="+token+"&echo="+token, `{"note":"`+token+`"}`, 200,
		`{"errcode":40001,"errmsg":"invalid credential `+token+` rid: 6b0a3f71-00000000-00000001"}`)
	x.Request.Header.Set("X-Echo", token)
	got := f.RecordExchange(x)
	all, _ := json.Marshal(got)
	if strings.Contains(string(all), token) {
		t.Errorf("the entry holds the token in clear: %s", all)
	}
	placeholder := got.Query["access_token"]
	for part, text := range map[string]string{"query": got.Query["echo"], "body": got.Body, "answer": got.Answer, "header": got.Header["X-Echo"]} {
		if !strings.Contains(text, placeholder) {
			t.Errorf("%s %q; want the token's placeholder %s in it", part, text, placeholder)
		}
	}
}
