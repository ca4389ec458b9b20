package mock_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// appids lists the appids GET apps?query answers, and its next.
func (f *fake) appids(query string) (string, string) {
	f.t.Helper()
	var got struct {
		Apps []struct{ AppID string }
		Next string
	}
	_ = json.Unmarshal(f.admin("GET", "apps"+query, "", http.StatusOK).Body, &got)
	var ids []string
	for _, a := range got.Apps {
		ids = append(ids, a.AppID)
	}
	return strings.Join(ids, ","), got.Next
}

func TestAppsListsPageByPageOrOneApp(t *testing.T) {
	f := newFake(t)
	f.admin("POST", "apps", addedApp, http.StatusCreated)
	for _, tc := range []struct{ query, ids, next string }{
		{"", demoAppID + "," + secondAppID + "," + flakyAppID + "," + guardedAppID + "," + meteredAppID + "," + stateAppIDs + "," + addedAppID, ""},
		{"?limit=2", demoAppID + "," + secondAppID, secondAppID},
		{"?limit=2&after=" + secondAppID, flakyAppID + "," + guardedAppID, guardedAppID},
		{"?limit=2&after=wxd0c0ffee000000f6", addedAppID, ""},
		{"?appid=" + addedAppID, addedAppID, ""},
		{"?appid=wx0000000000000000", "", ""},
	} {
		if ids, next := f.appids(tc.query); ids != tc.ids || next != tc.next {
			t.Errorf("GET apps%s: %s, next %q; want %s, next %q", tc.query, ids, next, tc.ids, tc.next)
		}
	}
	for _, q := range []string{"?limit=0", "?limit=x", "?after=nope", "?page=2"} {
		f.admin("GET", "apps"+q, "", http.StatusBadRequest)
	}
}
