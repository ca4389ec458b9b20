package mock_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/mock"
)

// respData is the resp_data of an invokecloudfunction answer.
func respData(t *testing.T, rep reply) string {
	t.Helper()
	var got struct {
		RespData *string `json:"resp_data"`
	}
	if err := json.Unmarshal(rep.Body, &got); err != nil || got.RespData == nil {
		t.Fatalf("no resp_data in %s", rep.Body)
	}
	return *got.RespData
}

func TestInvokeCloudFunctionAnswersWhatTheFunctionComputes(t *testing.T) {
	f := newFake(t)
	demo := f.token(demoAppID, demoSecret)
	for _, tc := range []struct {
		name, token, params, body, want string
	}{
		{"login answers the caller's appid as the official example", demo, "env=test2-4a89da&name=login", "{}",
			`{"event":{"userInfo":{"appId":"` + demoAppID + `"}},"appid":"` + demoAppID + `"}`},
		{"login of another app answers that app's appid", f.token(secondAppID, secondSecret), "env=prod-7g3h5j&name=login", "{}",
			`{"event":{"userInfo":{"appId":"` + secondAppID + `"}},"appid":"` + secondAppID + `"}`},
		{"echo answers its input as sent", demo, "env=test2-4a89da&name=echo", `{"b": [1, 2],"a":"<&>"}`, `{"b": [1, 2],"a":"<&>"}`},
		{"greet answers by a field of its input", demo, "env=test2-4a89da&name=greet", `{"name":"Ann"}`, "hello, Ann"},
		{"greet without the field", demo, "env=test2-4a89da&name=greet", `{}`, "hello, world"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := f.invoke(tc.token, tc.params, tc.body)
			wantErrcode(t, rep, 0)
			if got := respData(t, rep); got != tc.want {
				t.Errorf("got resp_data %q; want %q", got, tc.want)
			}
		})
	}
}

func TestInvokeCloudFunctionRefusesWhatTheWorldLacks(t *testing.T) {
	f := newFake(t)
	demo := f.token(demoAppID, demoSecret)
	for _, tc := range []struct {
		name, params, body string
		want               int
	}{
		{"a function the env lacks", "env=test2-4a89da&name=nope", "{}", -501000},
		{"an env of another app", "env=prod-7g3h5j&name=login", "{}", -501000},
		{"a function of another env", "env=prod-7g3h5j&name=echo", "{}", -501000},
		{"a function that fails: greet of a number", "env=test2-4a89da&name=greet", `{"name":5}`, -504002},
		{"a function that fails: greet of a list", "env=test2-4a89da&name=greet", `[1]`, -504002},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErrcode(t, f.invoke(demo, tc.params, tc.body), tc.want)
		})
	}
	if n := len(f.Journal(mock.Filter{Env: "prod-7g3h5j"})); n != 2 {
		t.Errorf("journaled %d calls for env prod-7g3h5j; want 2", n)
	}
}

func TestAWorldExpressionIsRefusedAtItsLine(t *testing.T) {
	world := "apps:\n  - appid: wx0123456789abcdef\n    secret: 0123456789abcdef0123456789abcdef\n    functions:\n" +
		"      - env: e-1\n        name: f\n        answer: appid + bdy\n"
	_, err := loadScenarios(t, world)
	if err == nil || !strings.Contains(err.Error(), `dir/test.yaml:7: app "wx0123456789abcdef": answer: column 9: unknown name bdy`) {
		t.Fatalf("got %v; want test.yaml:7 naming the unknown name bdy", err)
	}
}

func TestAWorldExpressionOfTheWrongTypeIsRefused(t *testing.T) {
	world := "apps:\n  - appid: wx0123456789abcdef\n    secret: 0123456789abcdef0123456789abcdef\n    functions:\n" +
		"      - env: e-1\n        name: f\n        answer: len(raw)\n"
	if _, err := loadScenarios(t, world); err == nil || !strings.Contains(err.Error(), "test.yaml:7:") {
		t.Fatalf("got %v; want an integer expression for the string answer refused at test.yaml:7", err)
	}
}

// The oracle of fillVars, which makes only what the expressions read: an
// expression that reads every part of the request gets each as sent.
func TestAnExpressionReadsEveryPartOfTheRequest(t *testing.T) {
	world := "apps:\n  - appid: wx0123456789abcdef\n    secret: 0123456789abcdef0123456789abcdef\n    functions:\n" +
		"      - {env: e-1, name: all, answer: 'json([query.env, query.name, header[\"X-Trace\"], raw, body.k, appid, len(app.functions), item.name])'}\n"
	c, err := loadScenarios(t, world)
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, mock.WithConfig(c))
	rep := f.invoke(f.token("wx0123456789abcdef", "0123456789abcdef0123456789abcdef"), "env=e-1&name=all", `{"k":"v"}`, "X-Trace: t1")
	want := `["e-1","all","t1","{\"k\":\"v\"}","v","wx0123456789abcdef",1,"all"]`
	if got := respData(t, rep); got != want {
		t.Errorf("got %s; want %s", got, want)
	}
}

// A computed answer is remembered for a request like one answered before,
// unless its expressions read the headers, which the memo does not key.
func TestAnAnswerThatReadsAHeaderIsNotRemembered(t *testing.T) {
	world := "apps:\n  - appid: wx0123456789abcdef\n    secret: 0123456789abcdef0123456789abcdef\n    functions:\n" +
		"      - {env: e-1, name: trace, answer: 'header[\"X-Trace\"] ?? \"none\"'}\n" +
		"      - {env: e-1, name: input, answer: 'raw'}\n"
	c, err := loadScenarios(t, world)
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, mock.WithConfig(c))
	tok := f.token("wx0123456789abcdef", "0123456789abcdef0123456789abcdef")
	for _, trace := range []string{"t1", "t2", "t1"} {
		if got := respData(t, f.invoke(tok, "env=e-1&name=trace", "{}", "X-Trace: "+trace)); got != trace {
			t.Errorf("X-Trace %s: got %q", trace, got)
		}
	}
	for _, body := range []string{`{"a":1}`, `{"a":2}`, `{"a":1}`} {
		if got := respData(t, f.invoke(tok, "env=e-1&name=input", body)); got != body {
			t.Errorf("body %s: got %q", body, got)
		}
	}
}

// An app added at run time (POST apps) has its functions: their
// expressions compiled and computed as a file's are.
func TestAFunctionOfAnAppAddedAtRunTimeAnswers(t *testing.T) {
	f := newFake(t)
	f.admin("POST", "apps", `{"appid":"wx0123456789abcdef","secret":"0123456789abcdef0123456789abcdef",`+
		`"functions":[{"env":"e-1","name":"who","answer":"appid"},{"env":"e-1","name":"echo","answer":"raw"}]}`, http.StatusCreated)
	tok := f.token("wx0123456789abcdef", "0123456789abcdef0123456789abcdef")
	if got := respData(t, f.invoke(tok, "env=e-1&name=who", "{}")); got != "wx0123456789abcdef" {
		t.Errorf("who: %q; want the added app's appid", got)
	}
	if got := respData(t, f.invoke(tok, "env=e-1&name=echo", `{"x":1}`)); got != `{"x":1}` {
		t.Errorf("echo: %q", got)
	}
}

// A function whose expression runs past its time bound (100 ms, on a clock
// that moves a millisecond each time it is read) answers the operation's
// failed errcode, and the journal says why. Without the bound it would
// answer its count, 10⁶ iterations later.
func TestAFunctionOverItsTimeBoundFails(t *testing.T) {
	world := "apps:\n  - appid: wx0123456789abcdef\n    secret: 0123456789abcdef0123456789abcdef\n    functions:\n" +
		"      - {env: e-1, name: slow, answer: 'string(reduce(1..1000, reduce(1..1000, #acc + 1, 0) + #acc, len(raw)))'}\n"
	c, err := loadScenarios(t, world)
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, mock.WithConfig(c))
	now := time.Unix(0, 0)
	f.SetExprClock(func() time.Time {
		now = now.Add(time.Millisecond)
		return now
	})
	rep := f.invoke(f.token("wx0123456789abcdef", "0123456789abcdef0123456789abcdef"), "env=e-1&name=slow", "{}")
	wantErrcode(t, rep, -504002)
	entries := f.Journal(mock.Filter{Path: "/tcb/invokecloudfunction"})
	if len(entries) != 1 || entries[0].Cause != "expression stopped at its time bound (100ms)" {
		t.Errorf("journal %+v; want one entry whose cause names the time bound", entries)
	}
}
