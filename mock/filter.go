package mock

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// Filter selects journal entries.
type Filter func(*Entry) bool

// ByPath selects the requests to path.
func ByPath(path string) Filter { return func(e *Entry) bool { return e.Path == path } }

// ByOperation selects the requests of the operation (an operationId of the spec).
func ByOperation(id string) Filter { return func(e *Entry) bool { return e.Operation == id } }

// ByAppID selects the requests of an app: its tokens, or a token request for it.
func ByAppID(appid string) Filter { return func(e *Entry) bool { return e.AppID == appid } }

// ByComponent selects the requests made with the authorizer tokens of a third-party platform.
func ByComponent(appid string) Filter { return func(e *Entry) bool { return e.Component == appid } }

// ByEnv selects the getenvinfo requests that asked for env.
func ByEnv(env string) Filter { return func(e *Entry) bool { return e.Env == env } }

// ByScenario selects the requests a scenario answered.
func ByScenario(name string) Filter { return func(e *Entry) bool { return e.Scenario == name } }

// ByErrcode selects the requests answered with a body that carried errcode
// code: not fault pages, nor token answers, which carry none.
func ByErrcode(code int) Filter {
	return func(e *Entry) bool { return e.Errcode != nil && *e.Errcode == code }
}

// ByStatus selects the requests answered with the HTTP status code.
func ByStatus(code int) Filter { return func(e *Entry) bool { return e.Status == code } }

// ByCause selects the requests the world refused for cause, such as
// tcbmock.CauseExpiredToken: "no call used an expired token" is
// Count(ByCause(tcbmock.CauseExpiredToken)) == 0.
func ByCause(cause string) Filter { return func(e *Entry) bool { return e.Cause == cause } }

// ByFault selects the requests answered with a fault.
func ByFault(fault string) Filter { return func(e *Entry) bool { return e.Fault == fault } }

// ByRID selects the request with the request id rid.
func ByRID(rid string) Filter { return func(e *Entry) bool { return e.RID == rid } }

// Since selects the requests at or after t on the fake's clock.
func Since(t time.Time) Filter { return func(e *Entry) bool { return !e.Time.Before(t) } }

// All selects the entries every filter selects.
func All(filters ...Filter) Filter {
	return func(e *Entry) bool {
		for _, f := range filters {
			if !f(e) {
				return false
			}
		}
		return true
	}
}

// queryFilters are the filters of GET requests, by query parameter.
var queryFilters = map[string]func(string) (Filter, error){
	"path":      plain(ByPath),
	"operation": plain(ByOperation),
	"appid":     plain(ByAppID),
	"component": plain(ByComponent),
	"env":       plain(ByEnv),
	"scenario":  plain(ByScenario),
	"cause":     plain(ByCause),
	"fault":     plain(ByFault),
	"rid":       plain(ByRID),
	"errcode": func(v string) (Filter, error) {
		code, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("errcode %q is not a number", v)
		}
		return ByErrcode(code), nil
	},
	"status": func(v string) (Filter, error) {
		code, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("status %q is not a number", v)
		}
		return ByStatus(code), nil
	},
	"since": func(v string) (Filter, error) {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, fmt.Errorf("since %q is not an RFC 3339 time", v)
		}
		return Since(t), nil
	},
}

func plain(f func(string) Filter) func(string) (Filter, error) {
	return func(v string) (Filter, error) { return f(v), nil }
}

// journalFilter builds the filter of GET requests' query: every given field must match.
func journalFilter(q url.Values) (Filter, error) {
	var filters []Filter
	for key := range q {
		parse, ok := queryFilters[key]
		if !ok {
			return nil, fmt.Errorf("unknown filter %q: want one of %s", key, quoteList(filterNames()))
		}
		f, err := parse(q.Get(key))
		if err != nil {
			return nil, err
		}
		filters = append(filters, f)
	}
	return All(filters...), nil
}

func filterNames() []string { return slices.Sorted(maps.Keys(queryFilters)) }
