package mock_test

import (
	"fmt"
	"testing"
	"time"
)

type liveTokens struct {
	Now    string
	Tokens []struct {
		AccessToken string `json:"access_token"`
		Kind        string
		AppID       string
		Component   string
		Scenario    string
		ExpiresAt   time.Time `json:"expires_at"`
		ExpiresIn   int64     `json:"expires_in"`
		Retired     bool
	}
	Total int
}

// liveTokens lists the tokens that work as "value kind appid component
// scenario expires_in retired", in the order GET tokens gives.
func (f *fake) liveTokens() (map[string]string, []string) {
	f.t.Helper()
	got := decode[liveTokens](f.t, f.do("GET", "/__tcbmock/tokens", ""))
	byValue, order := map[string]string{}, []string{}
	for _, tok := range got.Tokens {
		left := tok.ExpiresAt.Sub(f.Now())
		if time.Duration(tok.ExpiresIn)*time.Second != left {
			f.t.Errorf("token expires_in %d s and at %v: %v from now", tok.ExpiresIn, tok.ExpiresAt, left)
		}
		byValue[tok.AccessToken] = fmt.Sprintf("%s %s %s %s %d %v", tok.Kind, tok.AppID, tok.Component, tok.Scenario, tok.ExpiresIn, tok.Retired)
		order = append(order, tok.AccessToken)
	}
	if got.Total != len(got.Tokens) || got.Now != f.Now().Format(time.RFC3339) {
		f.t.Errorf("total %d, now %s; want %d, %s", got.Total, got.Now, len(got.Tokens), f.Now().Format(time.RFC3339))
	}
	return byValue, order
}

func TestLiveTokensListWhatWorksWithTheTimeLeft(t *testing.T) {
	f := newFake(t)
	first := f.token(demoAppID, demoSecret)
	f.advance("10m")
	second := f.token(demoAppID, demoSecret) // retires the first in 5 minutes
	minted := decode[tokenReply](t, f.do("POST", "/__tcbmock/tokens", `{"appid":"`+secondAppID+`","scenario":"system-busy","expires_in":600}`)).AccessToken
	comp := f.componentToken()
	for _, step := range []struct {
		advance string
		want    map[string]string
		last    string // the token that works least long
	}{
		{"0s", map[string]string{
			first:  "app " + demoAppID + "   300 true",
			second: "app " + demoAppID + "   7200 false",
			minted: "app " + secondAppID + "  system-busy 600 false",
			comp:   "component " + componentAppID + "   7200 false",
		}, first},
		{"5m", map[string]string{
			second: "app " + demoAppID + "   6900 false",
			minted: "app " + secondAppID + "  system-busy 300 false",
			comp:   "component " + componentAppID + "   6900 false",
		}, minted},
		{"2h", map[string]string{}, ""},
	} {
		t.Run("after "+step.advance, func(t *testing.T) {
			f.advance(step.advance)
			got, order := f.liveTokens()
			if fmt.Sprint(got) != fmt.Sprint(step.want) {
				t.Errorf("got %v; want %v", got, step.want)
			}
			if len(order) > 0 && order[len(order)-1] != step.last {
				t.Errorf("got %v last; want %v: the tokens that work longest first", got[order[len(order)-1]], got[step.last])
			}
		})
	}
}

func TestLiveTokensShowAnAuthorizerTokensPlatform(t *testing.T) {
	f := newFake(t)
	authorizer := decode[authorizerReply](t, f.authorizerToken("component_access_token", f.componentToken(), demoAppID, demoRefresh)).AuthorizerAccessToken
	got, _ := f.liveTokens()
	if want := "authorizer " + demoAppID + " " + componentAppID + "  7200 false"; got[authorizer] != want {
		t.Errorf("got %q; want %q", got[authorizer], want)
	}
}
