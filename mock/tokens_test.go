package mock_test

import (
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/mock"
)

var tokenShape = regexp.MustCompile(`^[0-9]+_[A-Za-z0-9_-]{130,}$`)

func TestTokenIsShapedLikeTheRealOnes(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	if !tokenShape.MatchString(tok) || len(tok) > 512 {
		t.Errorf("token %q (%d chars) is not shaped like 97_ and at least 130 URL-safe characters, at most 512 in all", tok, len(tok))
	}
}

func TestNewTokenRetiresThePreviousAfterFiveMinutes(t *testing.T) {
	f := newFake(t)
	old := f.token(demoAppID, demoSecret)
	renewed := f.token(demoAppID, demoSecret)
	if old == renewed {
		t.Fatal("two /cgi-bin/token calls gave the same token")
	}
	f.advance("4m")
	wantErrcode(t, f.envs(old, "{}"), 0)
	f.advance("2m")
	wantErrcode(t, f.envs(old, "{}"), 40001)
	wantErrcode(t, f.envs(renewed, "{}"), 0)
}

func TestTokenExpiresAfter7200Seconds(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	f.advance("7199s")
	wantErrcode(t, f.envs(tok, "{}"), 0)
	f.advance("1s")
	wantErrcode(t, f.envs(tok, "{}"), 42001)
}

func TestExpiredTokenStaysExpiredAfterANewOne(t *testing.T) {
	f := newFake(t)
	tok := f.token(demoAppID, demoSecret)
	f.advance("2h")
	f.token(demoAppID, demoSecret)
	f.advance("10m")
	wantErrcode(t, f.envs(tok, "{}"), 42001)
}

func TestTokensOfOneAppDoNotRetireAnothers(t *testing.T) {
	f := newFake(t)
	demo := f.token(demoAppID, demoSecret)
	f.token(secondAppID, secondSecret)
	f.advance("10m")
	wantErrcode(t, f.envs(demo, "{}"), 0)
}

func TestTokenEndpointErrors(t *testing.T) {
	f := newFake(t)
	for _, tc := range []struct {
		name                     string
		grantType, appid, secret string
		want                     int
	}{
		{"grant_type missing", "", demoAppID, demoSecret, 40002},
		{"grant_type wrong", "password", demoAppID, demoSecret, 40002},
		{"appid missing", "client_credential", "", demoSecret, 41002},
		{"appid malformed", "client_credential", "wx123", demoSecret, 40013},
		{"appid unknown", "client_credential", "wx0000000000000000", demoSecret, 40013},
		{"secret missing", "client_credential", demoAppID, "", 41004},
		{"secret malformed", "client_credential", demoAppID, "secret", 40125},
		{"secret wrong", "client_credential", demoAppID, secondSecret, 40125},
		{"grant_type before appid", "", "", "", 40002},
		{"appid before secret", "client_credential", "", "", 41002},
	} {
		t.Run("token/"+tc.name, func(t *testing.T) {
			q := "?"
			for k, v := range map[string]string{"grant_type": tc.grantType, "appid": tc.appid, "secret": tc.secret} {
				if v != "" {
					q += k + "=" + v + "&"
				}
			}
			wantErrcode(t, f.do("GET", "/cgi-bin/token"+q, ""), tc.want)
		})
		t.Run("stable_token/"+tc.name, func(t *testing.T) {
			body := map[string]any{}
			for k, v := range map[string]string{"grant_type": tc.grantType, "appid": tc.appid, "secret": tc.secret} {
				if v != "" {
					body[k] = v
				}
			}
			b, _ := json.Marshal(body)
			wantErrcode(t, f.do("POST", "/cgi-bin/stable_token", string(b)), tc.want)
		})
	}
}

func TestTokenEndpointsRejectTheWrongMethod(t *testing.T) {
	f := newFake(t)
	wantErrcode(t, f.do("POST", "/cgi-bin/token?grant_type=client_credential&appid="+demoAppID+"&secret="+demoSecret, ""), 43001)
	wantErrcode(t, f.do("GET", "/cgi-bin/stable_token", ""), 43002)
}

func TestStableTokenBodyErrors(t *testing.T) {
	f := newFake(t)
	for body, want := range map[string]int{
		"":   44002,
		"{":  47001,
		"[]": 47001,
		`{"grant_type":"client_credential","appid":"` + demoAppID + `","secret":"` + demoSecret + `","force_refresh":"yes"}`: 47001,
	} {
		wantErrcode(t, f.do("POST", "/cgi-bin/stable_token", body), want)
	}
}

func TestStableTokenIsTheSameWhileValid(t *testing.T) {
	f := newFake(t)
	first := f.stableToken(demoAppID, demoSecret, false)
	if first.ExpiresIn != 7200 {
		t.Errorf("got expires_in %d; want 7200", first.ExpiresIn)
	}
	f.advance("1h")
	again := f.stableToken(demoAppID, demoSecret, false)
	if again.AccessToken != first.AccessToken || again.ExpiresIn != 3600 {
		t.Errorf("after 1h got %s, %d; want the same token with 3600 s left", again.AccessToken[:10], again.ExpiresIn)
	}
}

func TestStableTokenRotatesFiveMinutesEarlyWithOverlap(t *testing.T) {
	f := newFake(t)
	first := f.stableToken(demoAppID, demoSecret, false)
	f.advance("6900s") // 300 s left
	next := f.stableToken(demoAppID, demoSecret, false)
	if next.AccessToken == first.AccessToken || next.ExpiresIn != 7200 {
		t.Fatalf("with 300 s left got the same token or expires_in %d; want a new token for 7200 s", next.ExpiresIn)
	}
	wantErrcode(t, f.envs(first.AccessToken, "{}"), 0)
	f.advance("300s")
	wantErrcode(t, f.envs(first.AccessToken, "{}"), 42001)
	wantErrcode(t, f.envs(next.AccessToken, "{}"), 0)
}

func TestStableTokenForceRefreshRetiresTheOldAtOnce(t *testing.T) {
	f := newFake(t)
	first := f.stableToken(demoAppID, demoSecret, false)
	forced := f.stableToken(demoAppID, demoSecret, true)
	if forced.AccessToken == first.AccessToken {
		t.Fatal("force_refresh gave the same token")
	}
	wantErrcode(t, f.envs(first.AccessToken, "{}"), 40001)
	wantErrcode(t, f.envs(forced.AccessToken, "{}"), 0)
}

func TestStableTokenForceRefreshAtMostEvery30Seconds(t *testing.T) {
	f := newFake(t)
	first := f.stableToken(demoAppID, demoSecret, true)
	f.advance("29s")
	if again := f.stableToken(demoAppID, demoSecret, true); again.AccessToken != first.AccessToken {
		t.Error("a second force_refresh within 30 s refreshed")
	}
	f.advance("1s")
	if again := f.stableToken(demoAppID, demoSecret, true); again.AccessToken == first.AccessToken {
		t.Error("a force_refresh 30 s later did not refresh")
	}
}

func TestStableTokenForceRefreshAtMost20ADay(t *testing.T) {
	f := newFake(t)
	var last string
	for i := range 20 {
		tok := f.stableToken(demoAppID, demoSecret, true).AccessToken
		if tok == last {
			t.Fatalf("force_refresh %d did not refresh", i+1)
		}
		last = tok
		f.advance("30s")
	}
	if tok := f.stableToken(demoAppID, demoSecret, true).AccessToken; tok != last {
		t.Error("the 21st force_refresh of the day refreshed")
	}
	f.advance("24h")
	if tok := f.stableToken(demoAppID, demoSecret, true).AccessToken; tok == last {
		t.Error("a force_refresh the next day did not refresh")
	}
}

func TestStableTokenAndTokenAreIsolated(t *testing.T) {
	f := newFake(t)
	stable := f.stableToken(demoAppID, demoSecret, false).AccessToken
	plain := f.token(demoAppID, demoSecret)
	f.token(demoAppID, demoSecret) // retires plain, not stable
	f.advance("6m")
	wantErrcode(t, f.envs(plain, "{}"), 40001)
	wantErrcode(t, f.envs(stable, "{}"), 0)

	latest := f.token(demoAppID, demoSecret)
	f.stableToken(demoAppID, demoSecret, true) // retires stable, not latest
	wantErrcode(t, f.envs(stable, "{}"), 40001)
	wantErrcode(t, f.envs(latest, "{}"), 0)
}

func TestPlainTokenReadsCredentialsFromTheQueryOnly(t *testing.T) {
	f := newFake(t)
	body := `{"grant_type":"client_credential","appid":"` + demoAppID + `","secret":"` + demoSecret + `"}`
	rep := f.do("GET", "/cgi-bin/token?grant_type=client_credential&appid="+demoAppID+"&secret="+secondSecret, body)
	wantErrcode(t, rep, 40125)
	rep = f.do("GET", "/cgi-bin/token", body)
	wantErrcode(t, rep, 40002)
}

func TestMintTokenRefusesALifetimeOutOfRange(t *testing.T) {
	f := newFake(t)
	for _, d := range []time.Duration{-time.Second, mock.MaxAdvance + time.Second} {
		if _, err := f.MintToken(demoAppID, "", d); err == nil {
			t.Errorf("MintToken with a lifetime of %v worked", d)
		}
	}
	tok, err := f.MintToken(demoAppID, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	f.advance("7199s")
	wantErrcode(t, f.envs(tok, "{}"), 0)
	f.advance("1s")
	wantErrcode(t, f.envs(tok, "{}"), 42001) // 0 is the lifetime of the spec's app tokens
}

func TestATokenTwoCallsBackAnswersAsUnknown(t *testing.T) {
	f := newFake(t)
	first := f.token(demoAppID, demoSecret)
	second := f.token(demoAppID, demoSecret)
	f.token(demoAppID, demoSecret)
	wantErrcode(t, f.envs(second, "{}"), 0)
	wantErrcode(t, f.envs(first, "{}"), 40001)
}
