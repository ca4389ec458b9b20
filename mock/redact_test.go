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
