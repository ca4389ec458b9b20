package mock

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// journalFilter builds the journal filter of GET requests' query: every
// given field must match.
func journalFilter(q url.Values) (func(*Entry) bool, error) {
	var tests []func(*Entry) bool
	for key := range q {
		v := q.Get(key)
		var test func(*Entry) bool
		switch key {
		case "rid":
			test = func(e *Entry) bool { return e.RID == v }
		case "path":
			test = func(e *Entry) bool { return e.Path == v }
		case "operation":
			test = func(e *Entry) bool { return e.Operation == v }
		case "appid":
			test = func(e *Entry) bool { return e.AppID == v }
		case "env":
			test = func(e *Entry) bool { return e.Env == v }
		case "scenario":
			test = func(e *Entry) bool { return e.Scenario == v }
		case "errcode":
			code, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("errcode %q is not a number", v)
			}
			test = func(e *Entry) bool { return e.Errcode == code }
		case "since":
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return nil, fmt.Errorf("since %q is not an RFC 3339 time", v)
			}
			test = func(e *Entry) bool { return !e.Time.Before(t) }
		default:
			return nil, fmt.Errorf("unknown filter %q: want rid, path, operation, appid, env, scenario, errcode or since", key)
		}
		tests = append(tests, test)
	}
	return func(e *Entry) bool {
		for _, t := range tests {
			if !t(e) {
				return false
			}
		}
		return true
	}, nil
}
