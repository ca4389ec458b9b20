package mock_test

import (
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/mock"
)

func TestJournalSinceSelectsAnEntryAtExactlySince(t *testing.T) {
	f := newFake(t) // its clock stands at fixedNow, moved only by advances
	f.token(demoAppID, demoSecret)
	f.advance("1s")
	f.envs("", "{}")
	since := fixedNow.Add(time.Second)
	got := f.Journal(mock.Filter{Since: since})
	if len(got) != 1 || !got[0].Time.Equal(since) || got[0].Operation != "getEnvInfo" {
		t.Fatalf("since %v: %+v; want the one getEnvInfo entry, at exactly since", since, got)
	}
	if got := f.Journal(mock.Filter{Since: since.Add(time.Nanosecond)}); len(got) != 0 {
		t.Errorf("since a nanosecond later: %d entries; want none", len(got))
	}
}

func TestJournalFiltersByComponent(t *testing.T) {
	f := newFake(t)
	f.envs(f.token(demoAppID, demoSecret), "{}") // the app's own calls: no component
	auth := decode[authorizerReply](t, f.authorizerToken("component_access_token", f.componentToken(), demoAppID, demoRefresh))
	f.envs(auth.AuthorizerAccessToken, "{}")
	got := f.Journal(mock.Filter{Component: componentAppID})
	if len(got) != 2 || got[0].Operation != "getAuthorizerAccessToken" || got[1].Operation != "getEnvInfo" {
		t.Fatalf("component %s: %+v; want its authorizer token and the getEnvInfo that used it", componentAppID, got)
	}
	for _, e := range got {
		if e.Component != componentAppID {
			t.Errorf("entry %s %s has component %q; want %s", e.Method, e.Path, e.Component, componentAppID)
		}
	}
	if got := f.Journal(mock.Filter{Component: "wx00000000000000ff"}); len(got) != 0 {
		t.Errorf("an unknown component: %d entries; want none", len(got))
	}
	listed := decode[struct{ Requests []mock.Entry }](t, f.do("GET", "/__tcbmock/requests?component="+componentAppID, ""))
	if len(listed.Requests) != 2 {
		t.Errorf("GET requests?component=: %d entries; want 2", len(listed.Requests))
	}
}
