package mock

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// Filter selects journal entries: each field that is set must match; the
// zero Filter selects every entry. Its fields are the admin API's query
// parameters (GET /__tcbmock/requests?operation=getEnvInfo&errcode=0).
type Filter struct {
	Path      string
	Operation string // an operationId of the spec
	AppID     string // the app of the token, or of a token request
	Component string // the platform of an authorizer token
	Env       string // the env a listing asked for
	Scenario  string // the scenario that answered
	Cause     string // why the world refused it, such as tcbmock.CauseExpiredToken
	Fault     string
	RID       string
	Errcode   *int      // the errcode the answer's body carried; see [Code]
	Status    int       // the HTTP status sent
	Since     time.Time // at or after, on the fake's clock
	// Violations selects only the entries with violations (GET
	// requests?violations=1): answers an upstream gave that break the spec.
	Violations bool
}

// Code returns a pointer to code, for [Filter].Errcode:
//
//	fake.Journal(mock.Filter{Operation: "getEnvInfo", Errcode: mock.Code(0)})
func Code(code int) *int { return &code }

// match reports whether f selects e.
func (f Filter) match(e *Entry) bool {
	for _, p := range [...][2]string{
		{f.Path, e.Path}, {f.Operation, e.Operation}, {f.AppID, e.AppID}, {f.Component, e.Component}, {f.Env, e.Env},
		{f.Scenario, e.Scenario}, {f.Cause, e.Cause}, {f.Fault, e.Fault}, {f.RID, e.RID},
	} {
		if p[0] != "" && p[0] != p[1] {
			return false
		}
	}
	switch {
	case f.Errcode != nil && (e.Errcode == nil || *e.Errcode != *f.Errcode):
		return false
	case f.Status != 0 && f.Status != e.Status:
		return false
	case !f.Since.IsZero() && e.Time.Before(f.Since):
		return false
	case f.Violations && len(e.Violations) == 0:
		return false
	}
	return true
}

// filterParams are the query parameters of GET requests, each setting a
// field of the Filter.
var filterParams = map[string]func(f *Filter, v string) error{
	"path":      func(f *Filter, v string) error { f.Path = v; return nil },
	"operation": func(f *Filter, v string) error { f.Operation = v; return nil },
	"appid":     func(f *Filter, v string) error { f.AppID = v; return nil },
	"component": func(f *Filter, v string) error { f.Component = v; return nil },
	"env":       func(f *Filter, v string) error { f.Env = v; return nil },
	"scenario":  func(f *Filter, v string) error { f.Scenario = v; return nil },
	"cause":     func(f *Filter, v string) error { f.Cause = v; return nil },
	"fault":     func(f *Filter, v string) error { f.Fault = v; return nil },
	"rid":       func(f *Filter, v string) error { f.RID = v; return nil },
	"errcode": func(f *Filter, v string) error {
		code, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("errcode %q is not a number", v)
		}
		f.Errcode = &code
		return nil
	},
	"status": func(f *Filter, v string) error {
		code, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("status %q is not a number", v)
		}
		f.Status = code
		return nil
	},
	"violations": func(f *Filter, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("violations %q: want 1 (only those with violations) or 0", v)
		}
		f.Violations = b
		return nil
	},
	"since": func(f *Filter, v string) error {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return fmt.Errorf("since %q is not an RFC 3339 time", v)
		}
		f.Since = t
		return nil
	},
}

// journalFilter reads the filter of a GET requests query.
func journalFilter(q url.Values) (Filter, error) {
	var f Filter
	for key := range q {
		set, ok := filterParams[key]
		if !ok {
			return Filter{}, fmt.Errorf("unknown filter %q: want one of %s", key, quoteList(slices.Sorted(maps.Keys(filterParams))))
		}
		if err := set(&f, q.Get(key)); err != nil {
			return Filter{}, err
		}
	}
	return f, nil
}
