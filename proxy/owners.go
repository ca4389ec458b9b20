package proxy

import (
	"crypto/sha256"
	"sync"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

// maxOwners bounds how many tokens the proxy remembers the owner of.
const maxOwners = 10_000

// owner is who a token acts for: an app, through a platform for an
// authorizer token; a platform itself for a component token.
type owner struct {
	appid     string
	component string
	kind      string // one of tcbmock's Kind constants
}

// owners remembers who the tokens the proxy saw issued belong to, by a
// hash of the token: the oldest are forgotten first.
type owners struct {
	mu    sync.Mutex
	max   int
	byKey map[[32]byte]owner
	order [][32]byte // a ring, oldest at next once full
	next  int
}

func newOwners(max int) *owners { return &owners{max: max, byKey: map[[32]byte]owner{}} }

func (o *owners) add(token string, who owner) {
	key := sha256.Sum256([]byte(token))
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.byKey[key]; ok {
		o.byKey[key] = who
		return
	}
	if len(o.order) < o.max {
		o.order = append(o.order, key)
	} else {
		delete(o.byKey, o.order[o.next])
		o.order[o.next] = key
		o.next = (o.next + 1) % o.max
	}
	o.byKey[key] = who
}

func (o *owners) lookup(token string) (owner, bool) {
	key := sha256.Sum256([]byte(token))
	o.mu.Lock()
	defer o.mu.Unlock()
	who, ok := o.byKey[key]
	return who, ok
}

// learn returns who the exchange acted for (the owner of its token, or
// the account its token request names) and, from a token answer that passed every check,
// remembers who the token issued belongs to.
func (p *Proxy) learn(x *exchange) owner {
	if x.route == nil {
		return owner{}
	}
	rule := x.route.Answer
	if rule == nil || rule.Issue == "" {
		who, _ := p.owners.lookup(x.token())
		return who
	}
	var who owner
	switch rule.Issue {
	case apispec.IssueAppToken, apispec.IssueStableToken:
		who = owner{appid: x.field("appid"), kind: apispec.KindApp}
	case apispec.IssueComponentToken:
		who = owner{appid: x.field("component_appid"), kind: apispec.KindComponent}
	case apispec.IssueAuthorizerToken:
		who = owner{appid: x.field("authorizer_appid"), component: x.field("component_appid"), kind: apispec.KindAuthorizer}
	}
	if token := x.issued("token"); token != "" && len(x.violations) == 0 && x.cause == "" {
		p.owners.add(token, who)
	}
	return who
}

// issued returns the property of a token answer that the operation's
// x-answer maps to what ("token", "refresh_token", …), as a string.
func (x *exchange) issued(what string) string {
	if x.route.Answer == nil {
		return ""
	}
	for prop, gives := range x.route.Answer.Fields {
		if gives == what {
			s, _ := x.obj[prop].(string)
			return s
		}
	}
	return ""
}
