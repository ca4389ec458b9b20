package tokens

import "strings"

// DropOf forgets every token of the account or platform appid: its own,
// those of its authorizations, and its stable_token and refresh states.
// Refresh states are kept by "component/appid".
func (ts *Store) DropOf(appid string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var gone []*Token
	for i := range ts.shards {
		sh := &ts.shards[i]
		sh.mu.RLock()
		for _, t := range sh.byValue {
			if t.AppID == appid || t.Component == appid {
				gone = append(gone, t)
			}
		}
		sh.mu.RUnlock()
	}
	for _, t := range gone {
		ts.drop(t)
	}
	delete(ts.stable, appid)
	for key := range ts.refreshes {
		if comp, app, _ := strings.Cut(key, "/"); comp == appid || app == appid {
			delete(ts.refreshes, key)
		}
	}
}
