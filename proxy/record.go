package proxy

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock"
)

// recorder keeps what the answers reveal, to write it as a scenario file
// that tcbmock serve replays: the apps with the entities their listings
// answered, the platforms and their authorizations, and a scenario for
// each errcode of a table an operation answered. Credentials are
// stand-ins; an errmsg comes from the journal, redacted.
type recorder struct {
	dir      string
	specFile mock.File
	spec     *apispec.Spec
	upstream string
	logger   *slog.Logger

	mu        sync.Mutex
	apps      []*recApp
	comps     []*recComp
	scenarios []*recScenario
	noted     map[string]bool // what was logged as not recorded, once each
	changes   int             // how many changes were recorded
	flushMu   sync.Mutex      // one flush at a time
	flushed   int             // changes when the file was last written
}

type recApp struct {
	appid string
	lists map[string][]map[string]any // entities by list name, in the order seen
}

type recComp struct {
	appid string
	auths []*recAuth
}

type recAuth struct {
	appid   string
	granted []int // the permission sets its listings showed granted; nil if none was seen
	seen    bool  // whether a listing showed what it grants
}

type recScenario struct {
	op     string
	code   int
	errmsg string // before the rid suffix
}

func newRecorder(dir string, specFile mock.File, spec *apispec.Spec, upstream string, logger *slog.Logger) (*recorder, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("proxy: recording into %s: %w", dir, err)
	}
	return &recorder{dir: dir, specFile: specFile, spec: spec, upstream: upstream, logger: logger, noted: map[string]bool{}}, nil
}

// observe records what an exchange reveals: an errcode of its operation's
// table; or, from an answer that broke nothing, the credentials a token
// answer proves and the entities a listing answered.
func (rc *recorder) observe(x *exchange, who owner, e mock.Entry) {
	if x.route == nil || x.obj == nil { // not in the spec, or not read: too large, encoded, failed
		return
	}
	op := x.route.Operation
	rc.mu.Lock()
	defer rc.mu.Unlock()
	code, hasCode := errcodeOf(x.obj)
	_, listed := op.Errcode(code)
	switch {
	case hasCode && code != 0 && !listed:
		rc.errcode(op, code, e.Answer, who) // which says why it is not recorded
		return
	case len(x.violations) > 0: // flagged by the spec's judge, errcode or not
		rc.note(op.ID+" breaks the spec", "an answer that breaks the spec is not recorded", "operation", op.ID)
		return
	case hasCode && code != 0:
		rc.errcode(op, code, e.Answer, who)
		return
	}
	switch r := op.Answer; {
	case r == nil:
	case r.Issue != "":
		rc.issued(x, r.Issue, who)
	case r.List != "":
		rc.listed(x, op, who)
	}
}

// errcode records a scenario of the operation's errcode, with the errmsg
// the upstream gave (as journaled, redacted), before its rid suffix.
func (rc *recorder) errcode(op *apispec.Operation, code int, redacted string, who owner) {
	row, ok := op.Errcode(code)
	if !ok {
		rc.note(fmt.Sprint(op.ID, code), "an errcode outside the operation's x-errcodes is not recorded: add a row to the spec to replay it",
			"operation", op.ID, "errcode", code)
		return
	}
	if slices.Contains(row.When, tcbmock.CauseUnauthorized) && who.kind == apispec.KindAuthorizer {
		a := rc.comp(who.component).auth(who.appid)
		a.granted, a.seen = nil, true
		rc.changes++
	}
	if slices.ContainsFunc(rc.scenarios, func(s *recScenario) bool { return s.op == op.ID && s.code == code }) {
		return
	}
	var answer struct {
		Errmsg string `json:"errmsg"`
	}
	_ = json.Unmarshal([]byte(redacted), &answer)
	errmsg := strings.TrimSpace(apispec.RIDPattern.ReplaceAllString(answer.Errmsg, ""))
	if errmsg == "" {
		errmsg = row.Errmsg
	}
	rc.scenarios = append(rc.scenarios, &recScenario{op: op.ID, code: code, errmsg: errmsg})
	rc.changes++
}

// issued records who a token answer proves exists.
func (rc *recorder) issued(x *exchange, issue string, who owner) {
	if x.issued("token") == "" || who.appid == "" {
		return
	}
	switch issue {
	case apispec.IssueAppToken, apispec.IssueStableToken:
		rc.app(who.appid)
	case apispec.IssueComponentToken:
		rc.comp(who.appid)
	case apispec.IssueAuthorizerToken:
		rc.app(who.appid)
		rc.comp(who.component).auth(who.appid)
	}
	rc.changes++
}

// listed records the entities a listing answered the token's app: every
// one, or the one its match field asked for.
func (rc *recorder) listed(x *exchange, op *apispec.Operation, who owner) {
	if who.appid == "" {
		rc.note("unknown token", "a listing for a token the proxy did not see issued is not recorded: get the token through the proxy",
			"operation", op.ID)
		return
	}
	r := op.Answer
	a := rc.app(who.appid)
	items, _ := x.obj[r.Into].([]any)
	entities := rc.entities(op, items)
	if match := x.field(r.Match); r.Match != "" && match != "" {
		for _, e := range entities {
			i := slices.IndexFunc(a.lists[r.List], func(old map[string]any) bool { return old[r.Match] == e[r.Match] })
			if i < 0 {
				a.lists[r.List] = append(a.lists[r.List], e)
			} else {
				a.lists[r.List][i] = e
			}
		}
	} else {
		a.lists[r.List] = entities
	}
	if who.kind == apispec.KindAuthorizer && len(op.PermissionSets) > 0 {
		auth := rc.comp(who.component).auth(who.appid)
		if !slices.ContainsFunc(auth.granted, func(set int) bool { return slices.Contains(op.PermissionSets, set) }) {
			auth.granted = append(auth.granted, op.PermissionSets[0])
		}
		auth.seen = true
	}
	rc.changes++
}

// entities keeps, of each item a listing answered, the fields its schema
// has, once each by the match field.
func (rc *recorder) entities(op *apispec.Operation, items []any) []map[string]any {
	schema := op.ItemSchema()
	out := []map[string]any{}
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok || schema == nil {
			continue
		}
		e := map[string]any{}
		for k, v := range m {
			if schema.Properties[k] == nil {
				rc.note(op.ID+" field "+k, "a field the spec does not have is not recorded", "operation", op.ID, "field", k)
				continue
			}
			e[k] = v
		}
		if key := op.Answer.Match; key != "" && slices.ContainsFunc(out, func(p map[string]any) bool { return p[key] == e[key] }) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// app, comp and auth return the app, platform or authorization of appid,
// added when first seen: the recording keeps them in the order seen.
func (rc *recorder) app(appid string) *recApp {
	return findOrAppend(&rc.apps, appid, func() *recApp { return &recApp{appid: appid, lists: map[string][]map[string]any{}} })
}

func (rc *recorder) comp(appid string) *recComp {
	return findOrAppend(&rc.comps, appid, func() *recComp { return &recComp{appid: appid} })
}

func (c *recComp) auth(appid string) *recAuth {
	return findOrAppend(&c.auths, appid, func() *recAuth { return &recAuth{appid: appid} })
}

// recorded is what the recording keeps by appid.
type recorded interface{ id() string }

func (a *recApp) id() string  { return a.appid }
func (c *recComp) id() string { return c.appid }
func (a *recAuth) id() string { return a.appid }

// findOrAppend returns the element of *list whose id is appid, appending
// the one made by create when there is none.
func findOrAppend[T recorded](list *[]T, appid string, create func() T) T {
	for _, x := range *list {
		if x.id() == appid {
			return x
		}
	}
	x := create()
	*list = append(*list, x)
	return x
}

// note logs once what is not recorded, and why.
func (rc *recorder) note(key, msg string, attrs ...any) {
	if rc.noted[key] {
		return
	}
	rc.noted[key] = true
	rc.logger.Info("recording: "+msg, attrs...)
}
