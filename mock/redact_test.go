package mock_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

func TestRedactionKeepsEveryCredentialOutOfTheJournal(t *testing.T) {
	f := newFake(t, mock.WithRedaction())
	plain := f.token(demoAppID, demoSecret)
	stable := f.stableToken(secondAppID, secondSecret, false).AccessToken
	component := f.componentToken()
	var auth struct {
		AuthorizerAccessToken string `json:"authorizer_access_token"`
	}
	if err := json.Unmarshal(f.authorizerToken("access_token", component, demoAppID, demoRefresh).Body, &auth); err != nil || auth.AuthorizerAccessToken == "" {
		t.Fatalf("no authorizer token: %v", err)
	}
	f.envs(plain, "{}")
	f.envs(auth.AuthorizerAccessToken, "{}")
	f.do("POST", "/cgi-bin/stable_token", `{"appid":"`+demoAppID+`","secret":"`+flakySecret+`"`) // not even JSON
	f.raw("POST", "/tcb/getenvinfo?access_token="+plain, "{}", "Authorization: Bearer "+flakySecret)

	journal := string(f.do("GET", "/__tcbmock/requests", "").Body)
	for _, secret := range []string{demoSecret, secondSecret, flakySecret, componentSecret, verifyTicket, demoRefresh,
		plain, stable, component, auth.AuthorizerAccessToken} {
		if strings.Contains(journal, secret) || strings.Contains(journal, strings.ReplaceAll(secret, "@", "%40")) {
			t.Errorf("the journal holds %.20s… in clear", secret)
		}
	}
	// The token answered by /cgi-bin/token and used on getenvinfo has one placeholder.
	placeholders := regexp.MustCompile(`redacted-[0-9a-f]{12}`).FindAllString(journal, -1)
	seen := map[string]int{}
	for _, p := range placeholders {
		seen[p]++
	}
	token := f.Journal(mock.Filter{Path: "/cgi-bin/token"})
	if len(token) != 1 {
		t.Fatalf("journal of /cgi-bin/token: %+v", token)
	}
	var answered struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(token[0].Answer), &answered); err != nil || !strings.HasPrefix(answered.AccessToken, "redacted-") {
		t.Fatalf("the token answer is journaled as %q; want its token redacted", token[0].Answer)
	}
	used := f.Journal(mock.Filter{Path: "/tcb/getenvinfo", AppID: demoAppID})
	if len(used) == 0 {
		t.Fatal("no getenvinfo in the journal")
	}
	if used[0].Query["access_token"] != answered.AccessToken {
		t.Errorf("getenvinfo's token journaled as %q; want the placeholder of the token answered, %q", used[0].Query["access_token"], answered.AccessToken)
	}
	if seen[answered.AccessToken] < 3 {
		t.Errorf("the placeholder %s appears %d times; want it for each use of the token", answered.AccessToken, seen[answered.AccessToken])
	}
}

func TestWithoutRedactionTheJournalKeepsWhatCame(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	if e := f.Journal(mock.Filter{})[0]; e.Query["secret"] != demoSecret || !strings.Contains(e.Answer, tok) {
		t.Errorf("entry %+v; want the secret and the token as they came", e)
	}
}

// journalText is the whole journal as GET requests answers it.
func journalText(f *fake) string { return string(f.do("GET", "/__tcbmock/requests", "").Body) }

func TestRedactionReadsEveryEncodingOfASecret(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	for name, tc := range map[string]struct{ target, body, ctype string }{
		"a form body":              {"/cgi-bin/stable_token", "grant_type=client_credential&appid=" + demoAppID + "&secret=" + secret, "application/x-www-form-urlencoded"},
		"a form body's odd case":   {"/cgi-bin/stable_token", "appid=" + demoAppID + "&Secret=" + secret, "application/x-www-form-urlencoded; charset=utf-8"},
		"an escaped JSON key":      {"/cgi-bin/stable_token", `{"appid":"` + demoAppID + `","se\u0063ret":"` + secret + `"}`, "application/json"},
		"a JSON key in capitals":   {"/cgi-bin/stable_token", `{"appid":"` + demoAppID + `","SECRET":"` + secret + `"}`, "application/json"},
		"a query name in capitals": {"/cgi-bin/token?grant_type=client_credential&appid=" + demoAppID + "&SECRET=" + secret, "", ""},
	} {
		f := newFake(t, mock.WithRedaction())
		f.do("POST", tc.target, tc.body, "Content-Type: "+tc.ctype)
		if j := journalText(f); strings.Contains(j, secret) || !strings.Contains(j, demoAppID) {
			t.Errorf("%s: the journal holds the secret, or lost the appid: %s", name, j)
		}
	}
}

func TestRedactionReplacesACredentialSeenBeforeWhereverItIsAWholeValue(t *testing.T) {
	f := newFake(t, mock.WithRedaction())
	tok := f.token(demoAppID, demoSecret) // answered in a secret field: seen
	f.do("POST", "/tcb/getenvinfo?note="+tok, `{"note":"`+tok+`","msg":"token `+tok+` here"}`, "X-Token: "+tok)
	if j := journalText(f); strings.Contains(j, tok) {
		t.Errorf("the journal holds the token in clear: %s", j)
	}
}

func TestRedactionNeverCorruptsAValueThatHoldsASecret(t *testing.T) {
	f := newFake(t, mock.WithRedaction())
	// A short secret that the appid, the env and a note contain.
	const short = "d0c0"
	f.do("GET", "/cgi-bin/token?grant_type=client_credential&appid="+demoAppID+"&secret="+short, "")
	f.do("POST", "/tcb/getenvinfo?appid="+demoAppID, `{"env":"`+demoAppID+`","note":"x`+short+`y"}`)
	for _, e := range f.Journal(mock.Filter{}) {
		if q := e.Query["appid"]; q != demoAppID {
			t.Errorf("%s: the appid is journaled as %q; want %q", e.Path, q, demoAppID)
		}
		if e.Path == "/tcb/getenvinfo" && e.Body != `{"env":"`+demoAppID+`","note":"x`+short+`y"}` {
			t.Errorf("the body is journaled as %s; want it as it came", e.Body)
		}
	}
}

func TestRecordExchangeRedactsAFormBody(t *testing.T) {
	f := newFake(t, mock.WithJournalOnly(), mock.WithRedaction())
	const secret = "0123456789abcdef0123456789abcdef"
	x := exchange(t, "/cgi-bin/stable_token", "appid="+demoAppID+"&SECRET="+secret, 200, `{"errcode":40013,"errmsg":"invalid appid"}`)
	x.Request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	got := f.RecordExchange(x)
	if strings.Contains(got.Body, secret) || !strings.Contains(got.Body, "appid="+demoAppID) {
		t.Errorf("the body is journaled as %q; want its secret redacted, its appid kept", got.Body)
	}
}
