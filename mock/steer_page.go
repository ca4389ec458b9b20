package mock

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
)

// pageApps returns the apps of c that GET apps's query asks for: ?appid=ID
// the one app, ?after=APPID those after it, at most ?limit=N of them (all
// when no limit is given); and the appid to ask for the next page after,
// "" when the page holds the last app.
func pageApps(c *Config, q url.Values) ([]*App, string, error) {
	for key := range q {
		if !slices.Contains([]string{"appid", "after", "limit"}, key) {
			return nil, "", fmt.Errorf("unknown parameter %q: want appid, after or limit", key)
		}
	}
	apps := c.Apps()
	if id := q.Get("appid"); id != "" {
		apps = nil
		if a := c.App(id); a != nil {
			apps = []*App{a}
		}
	}
	if after := q.Get("after"); after != "" {
		i := slices.IndexFunc(apps, func(a *App) bool { return a.AppID == after })
		if i < 0 {
			return nil, "", fmt.Errorf("after %q: no app has that appid", after)
		}
		apps = apps[i+1:]
	}
	next := ""
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, "", fmt.Errorf("limit %q: want a number of apps, 1 or more", v)
		}
		if n < len(apps) {
			apps, next = apps[:n], apps[n-1].AppID
		}
	}
	if apps == nil {
		apps = []*App{}
	}
	return apps, next, nil
}
