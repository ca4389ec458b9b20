package apispec

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tcbmock/tcbmock/internal/compute"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// AnswerRule is an operation's x-answer: what its success answer is made
// of. It lists entities of the world, or issues a token; an operation
// without one answers the example of its HTTP 200 answer.
type AnswerRule struct {
	// List names the entities of the token's account that the answer
	// lists: the key under which each app of the world holds them.
	List string `yaml:"list,omitempty" json:"list,omitempty"`
	// Into is the array property of the success answer they go in; by
	// default its only array property.
	Into string `yaml:"into,omitempty" json:"into,omitempty"`
	// Match is a request field: when it is given, only the entities whose
	// field of the same name equals it are listed.
	Match string `yaml:"match,omitempty" json:"match,omitempty"`
	// Within requires a request field to name one of the account's
	// entities of another list.
	Within *Within `yaml:"within,omitempty" json:"within,omitempty"`
	// Unknown is the errcode answered when Match or Within names nothing
	// the account has; 0, the default, is an empty list.
	Unknown int `yaml:"unknown,omitempty" json:"unknown,omitempty"`

	// Issue names a token behaviour, one of the Issue constants.
	Issue string `yaml:"issue,omitempty" json:"issue,omitempty"`
	// Fields maps properties of the success answer to what the behaviour
	// gives: "token", "expires_in", "refresh_token".
	Fields map[string]string `yaml:"fields,omitempty" json:"fields,omitempty"`
	// Overlap is how many seconds a replaced token (or refresh token)
	// keeps working.
	Overlap int `yaml:"overlap,omitempty" json:"overlap,omitempty"`
	// ForceRefresh limits stable_token's force_refresh.
	ForceRefresh *ForceRefresh `yaml:"force_refresh,omitempty" json:"force_refresh,omitempty"`

	// Compute maps properties of the success answer to expressions
	// computed per request (see package internal/compute).
	Compute map[string]string `yaml:"compute,omitempty" json:"compute,omitempty"`
	// Pick names the entity of the world that the request names, which
	// Compute's expressions read as item.
	Pick *Pick `yaml:"pick,omitempty" json:"pick,omitempty"`
	// Failed is the errcode answered when an expression fails per request
	// (an error, a value of the wrong type, over its bounds); -1 by default.
	Failed int `yaml:"failed,omitempty" json:"failed,omitempty"`

	lifetime time.Duration               // the maximum of the property Fields maps expires_in to
	programs map[string]*compute.Program // Compute, compiled
}

// Within requires the request field Field to name one of the account's
// entities of List (by their field of the same name).
type Within struct {
	Field string `yaml:"field" json:"field"`
	List  string `yaml:"list" json:"list"`
}

// ForceRefresh limits force_refresh: at most once every Gap seconds and
// Daily times a day; past that the current token is answered.
type ForceRefresh struct {
	Gap   int `yaml:"gap" json:"gap"`
	Daily int `yaml:"daily" json:"daily"`
}

// The token behaviours an x-answer can issue.
const (
	IssueAppToken        = "app-token"        // a new token of the app each call; the previous one retires after the overlap
	IssueStableToken     = "stable-token"     // the app's current token while more than the overlap is left of it
	IssueComponentToken  = "component-token"  // a new token of the third-party platform each call
	IssueAuthorizerToken = "authorizer-token" // a new token of an account that authorized the platform of the request's token
)

// What each behaviour reads from the request and gives to the answer.
var behaviours = map[string]struct{ reads, gives []string }{
	IssueAppToken:        {[]string{"appid", "secret"}, []string{"token", "expires_in"}},
	IssueStableToken:     {[]string{"appid", "secret", "force_refresh"}, []string{"token", "expires_in"}},
	IssueComponentToken:  {[]string{"component_appid", "component_appsecret", "component_verify_ticket"}, []string{"token", "expires_in"}},
	IssueAuthorizerToken: {[]string{"component_appid", "authorizer_appid", "authorizer_refresh_token"}, []string{"token", "expires_in", "refresh_token"}},
}

// Lifetime is how long the tokens the rule issues live: the maximum of the
// answer property that says expires_in.
func (r *AnswerRule) Lifetime() time.Duration { return r.lifetime }

// OverlapTime is how long a replaced token keeps working.
func (r *AnswerRule) OverlapTime() time.Duration { return time.Duration(r.Overlap) * time.Second }

// loadAnswer reads the operation's x-answer.
func (o *Operation) loadAnswer(yd *yamlfile.Doc, at []any) error {
	value, ok := o.Op.Extensions["x-answer"]
	if !ok {
		return nil
	}
	at = append(slices.Clone(at), "x-answer")
	o.Answer = &AnswerRule{}
	if err := yd.DecodeValue(o.Answer, value, at...); err != nil {
		return err
	}
	r := o.Answer
	success := o.SuccessSchema()
	if success == nil {
		return yd.Errorf(at, "%s has x-answer but no JSON answer for HTTP 200 without an error", o)
	}
	switch {
	case count(r.List != "", r.Issue != "", r.Compute != nil) != 1:
		return yd.Errorf(at, "x-answer lists (list), issues a token (issue) or computes (compute): one of the three")
	case r.List != "":
		return o.checkList(yd, at, success)
	case r.Compute != nil:
		return o.checkCompute(yd, at, success)
	}
	return o.checkIssue(yd, at, success)
}

func (o *Operation) checkList(yd *yamlfile.Doc, at []any, success *openapi3.Schema) error {
	r := o.Answer
	var errs yamlfile.List
	if r.Issue != "" || r.Fields != nil || r.Overlap != 0 || r.ForceRefresh != nil || r.Pick != nil || r.Failed != 0 {
		errs.Add(yd.Errorf(at, "a listing x-answer takes list, into, match, within and unknown; issue, fields, overlap and force_refresh are for tokens"))
	}
	if (!o.Takes(KindApp) && !o.Takes(KindAuthorizer)) || o.Takes(KindComponent) {
		errs.Add(yd.Errorf(at, "x-answer lists the entities of the token's account, so %s takes an account's tokens alone (x-token kinds app, authorizer, or both)", o.ID))
	}
	if r.Into == "" {
		for name, p := range success.Properties {
			if p.Value != nil && p.Value.Type.Is("array") {
				if r.Into != "" {
					errs.Add(yd.Errorf(at, "the answer has several arrays (%s, %s): say which with into", r.Into, name))
				}
				r.Into = name
			}
		}
	}
	item := o.ItemSchema()
	if item == nil {
		return append(errs, yd.Errorf(append(slices.Clone(at), "into"), "into %q is no array of objects in the success answer of %s", r.Into, o.ID)).Err()
	}
	if r.Match != "" {
		if o.FieldSchema(r.Match) == nil {
			errs.Add(yd.Errorf(append(slices.Clone(at), "match"), "match %q is no query parameter or body field of %s", r.Match, o.ID))
		}
		if item.Properties[r.Match] == nil {
			errs.Add(yd.Errorf(append(slices.Clone(at), "match"), "match %q is no field of the entities listed in %s", r.Match, r.Into))
		}
	}
	if w := r.Within; w != nil && o.FieldSchema(w.Field) == nil {
		errs.Add(yd.Errorf(append(slices.Clone(at), "within", "field"), "within's field %q is no query parameter or body field of %s", w.Field, o.ID))
	}
	if _, ok := o.Errcode(r.Unknown); !ok {
		errs.Add(yd.Errorf(append(slices.Clone(at), "unknown"), "unknown: errcode %d is not in %s's x-errcodes", r.Unknown, o.ID))
	}
	return errs.Err()
}

func (o *Operation) checkIssue(yd *yamlfile.Doc, at []any, success *openapi3.Schema) error {
	r := o.Answer
	b, ok := behaviours[r.Issue]
	if !ok {
		names := slices.Sorted(maps.Keys(behaviours))
		return yd.Errorf(append(slices.Clone(at), "issue"), "unknown token behaviour %q: want one of %s", r.Issue, strings.Join(names, ", "))
	}
	var errs yamlfile.List
	if r.Into != "" || r.Match != "" || r.Within != nil || r.Unknown != 0 || r.Pick != nil || r.Failed != 0 {
		errs.Add(yd.Errorf(at, "a token x-answer takes issue, fields, overlap and force_refresh; list, into, match, within and unknown are for lists"))
	}
	if r.Issue == IssueAuthorizerToken && (o.Token == nil || !slices.Equal(o.Token.Kinds, []string{KindComponent})) {
		errs.Add(yd.Errorf(at, "%s issues for the platform of the request's token, so %s takes a platform's token alone (x-token kinds: [component])", r.Issue, o.ID))
	}
	for _, field := range b.reads {
		if o.FieldSchema(field) == nil {
			errs.Add(yd.Errorf(at, "%s reads %q, which is no query parameter or body field of %s", r.Issue, field, o.ID))
		}
	}
	mapped := map[string]string{}
	for prop, give := range r.Fields {
		where := append(slices.Clone(at), "fields", prop)
		switch {
		case success.Properties[prop] == nil:
			errs.Add(yd.Errorf(where, "%q is no property of %s's success answer", prop, o.ID))
		case !slices.Contains(b.gives, give):
			errs.Add(yd.Errorf(where, "%s gives %s, not %q", r.Issue, strings.Join(b.gives, ", "), give))
		}
		mapped[give] = prop
	}
	for _, give := range []string{"token", "expires_in"} {
		if mapped[give] == "" {
			errs.Add(yd.Errorf(append(slices.Clone(at), "fields"), "fields must say which property of the answer gets the %s", give))
		}
	}
	if p := success.Properties[mapped["expires_in"]]; p != nil && p.Value != nil {
		if p.Value.Max == nil || *p.Value.Max < 1 {
			errs.Add(yd.Errorf(append(slices.Clone(at), "fields", mapped["expires_in"]), "%s needs a maximum in the schema: the tokens' lifetime", mapped["expires_in"]))
		} else {
			r.lifetime = time.Duration(*p.Value.Max) * time.Second
		}
	}
	if r.Overlap <= 0 || (r.lifetime > 0 && r.OverlapTime() >= r.lifetime) {
		errs.Add(yd.Errorf(append(slices.Clone(at), "overlap"), "overlap: want the seconds a replaced token keeps working, more than 0 and less than the lifetime"))
	}
	switch fr := r.ForceRefresh; {
	case r.Issue == IssueStableToken && (fr == nil || fr.Gap < 0 || fr.Daily < 0):
		errs.Add(yd.Errorf(at, "%s needs force_refresh: {gap: SECONDS, daily: COUNT}", r.Issue))
	case r.Issue != IssueStableToken && fr != nil:
		errs.Add(yd.Errorf(append(slices.Clone(at), "force_refresh"), "only %s has force_refresh", IssueStableToken))
	}
	return errs.Err()
}

// ItemSchema returns the schema of the entities a listing operation lists,
// or nil.
func (o *Operation) ItemSchema() *openapi3.Schema {
	if o.Answer != nil && o.Answer.Pick != nil {
		return o.Answer.Pick.schema
	}
	if o.Answer == nil || o.Answer.List == "" {
		return nil
	}
	success := o.SuccessSchema()
	if success == nil {
		return nil
	}
	p := success.Properties[o.Answer.Into]
	if p == nil || p.Value == nil || p.Value.Items == nil || p.Value.Items.Value == nil || !p.Value.Items.Value.Type.Is("object") {
		return nil
	}
	return p.Value.Items.Value
}

// Lists returns the names of the world's entity lists, each with the
// operation that lists it first, in the spec's order.
func (s *Spec) Lists() map[string]*Operation {
	lists := map[string]*Operation{}
	for _, o := range s.ops {
		if name := o.ListName(); name != "" && lists[name] == nil {
			lists[name] = o
		}
	}
	return lists
}

// checkLists checks what the operations' lists say of each other: an
// entity list named in within is listed by some operation.
func (s *Spec) checkLists(yd *yamlfile.Doc) error {
	var errs yamlfile.List
	lists := s.Lists()
	for _, o := range s.ops {
		if r := o.Answer; r != nil && r.Within != nil {
			if lists[r.Within.List] == nil {
				errs.Add(yd.Errorf(o.At("x-answer", "within", "list"),
					"within's list %q is listed by no operation's x-answer", r.Within.List))
			} else if item := lists[r.Within.List].ItemSchema(); item != nil && item.Properties[r.Within.Field] == nil {
				errs.Add(yd.Errorf(o.At("x-answer", "within", "field"),
					"within's field %q is no field of the entities of %s", r.Within.Field, r.Within.List))
			}
		}
	}
	errs.Add(s.checkPicks(yd))
	errs.Add(s.checkQuotaWith(yd))
	return errs.Err()
}
