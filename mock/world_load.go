package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// fileDoc is one parsed scenario file.
type fileDoc struct {
	doc  *yamlfile.Doc
	file fileYAML
}

// fileYAML is the shape of a scenario file. An app is a mapping whose keys
// the spec decides (its lists of entities), so it is read node by node.
type fileYAML struct {
	Apps              []yaml.Node    `yaml:"apps"`
	Components        []Component    `yaml:"components"`
	UnknownEnvErrcode *int           `yaml:"unknown_env_errcode"`
	Scenarios         []scenarioYAML `yaml:"scenarios"`
}

// parseFile parses and decodes one file: nil if it cannot be parsed.
func parseFile(f fileBytes) (*fileDoc, error) {
	if f.err != nil {
		return nil, &yamlfile.Error{File: f.shown, Msg: readError(f.err)}
	}
	doc, err := yamlfile.Parse(f.shown, f.data)
	if err != nil {
		return nil, err
	}
	// An unknown key leaves the rest of the file decoded: it is returned
	// with them, so that its other problems are found too.
	d := &fileDoc{doc: doc}
	unknown, err := doc.DecodeKnown(&d.file)
	if err != nil {
		var errs yamlfile.List
		errs.Add(unknown)
		errs.Add(err)
		return nil, errs
	}
	return d, unknown
}

// loadWorld reads the apps and platforms of every file, checked against
// the spec, and renders each app's listings.
func (c *Config) loadWorld(ctx context.Context, docs []*fileDoc) (*world, error) {
	w := &world{appByID: map[string]*App{}, compByID: map[string]*Component{}}
	defined := map[string]string{} // appid: where it is defined
	// define notes where appid is defined, unless it is already: an error.
	define := func(d *fileDoc, at []any, what, appid string) error {
		if prev, ok := defined[appid]; ok {
			return d.doc.Errorf(at, "%s %q is already defined at %s", what, appid, prev)
		}
		defined[appid] = fmt.Sprintf("%s:%d", d.doc.File, d.doc.Line(at...))
		return nil
	}
	var errs yamlfile.List
	in := interner{}
	for _, d := range docs {
		errs.Add(c.setUnknownEnv(w, d))
		for i := range d.file.Apps {
			at := []any{"apps", i}
			a, err := c.readApp(ctx, in, d.doc, &d.file.Apps[i], at)
			if err != nil {
				errs.Add(err)
				continue
			}
			if err := define(d, at, "app", a.AppID); err != nil {
				errs.Add(err)
				continue
			}
			a.Origin = defined[a.AppID]
			w.apps = append(w.apps, a)
			w.appByID[a.AppID] = a
		}
	}
	for _, d := range docs {
		for i := range d.file.Components {
			comp, err := c.readComponent(w, d, i)
			if err != nil {
				errs.Add(err)
				continue
			}
			if err := define(d, []any{"components", i}, "appid", comp.AppID); err != nil {
				errs.Add(err)
				continue
			}
			comp.Origin = defined[comp.AppID]
			w.components = append(w.components, comp)
			w.compByID[comp.AppID] = comp
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	rendered := make([][]rendering, len(w.apps))
	for i, a := range w.apps {
		var err error
		rendered[i], err = c.renderListings(ctx, w, a)
		errs.Add(err)
		a.computeItems()
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	w.settle(rendered)
	return w, nil
}

// readComponent reads component i of a file, checked against the world w.
func (c *Config) readComponent(w *world, d *fileDoc, i int) (*Component, error) {
	comp := &d.file.Components[i]
	if err := c.checkComponent(w, comp); err != nil {
		return nil, d.doc.Errorf(append([]any{"components", i}, fieldOf(err)...), "component %q: %v", comp.AppID, err)
	}
	return comp, nil
}

// The keys of an app that are not lists of entities.
var appKeys = []string{"appid", "secret", "description", "scenario"}

// readApp reads one app: its credentials and binding, and its entities,
// each checked against the schema of the operation that lists them.
func (c *Config) readApp(ctx context.Context, in interner, doc *yamlfile.Doc, n *yaml.Node, at []any) (*App, error) {
	if n.Kind != yaml.MappingNode {
		return nil, doc.Errorf(at, "an app is a mapping of appid, secret, … and its entities")
	}
	lists := c.spec.Lists()
	known := slices.Concat(appKeys, accessKeys, slices.Sorted(maps.Keys(lists)))
	a := &App{Entities: map[string][]Entity{}}
	var errs, entityErrs yamlfile.List
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		where := append(slices.Clone(at), key.Value)
		if lists[key.Value] != nil {
			entities, err := readEntities(ctx, in, c.spec, doc, lists[key.Value], value, where)
			if err == nil {
				err = a.compileEntities(doc, lists[key.Value].ItemSchema(), key.Value, entities, where)
			}
			entityErrs.Add(err)
			a.Entities[key.Value] = entities
			continue
		}
		if handled, err := a.Access.readKey(doc, key.Value, value, where); handled {
			errs.Add(err)
			continue
		}
		var s string
		switch {
		case !slices.Contains(appKeys, key.Value):
			errs.Add(&yamlfile.Error{File: doc.File, Line: key.Line, Msg: fmt.Sprintf("unknown key %q (known: %s)", key.Value, strings.Join(known, ", "))})
			continue
		case value.Kind != yaml.ScalarNode || value.Decode(&s) != nil:
			errs.Add(doc.Errorf(where, "want a string"))
			continue
		}
		*map[string]*string{"appid": &a.AppID, "secret": &a.Secret, "description": &a.Description, "scenario": &a.Scenario}[key.Value] = s
	}
	for _, err := range entityErrs {
		if fe, ok := err.(*yamlfile.Error); ok {
			fe.Msg = fmt.Sprintf("app %q: %s", a.AppID, fe.Msg)
		}
		errs.Add(err)
	}
	if err := c.checkApp(a); err != nil {
		errs.Add(doc.Errorf(append(at, fieldOf(err)...), "app %q: %v", a.AppID, err))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	for name := range lists {
		if a.Entities[name] == nil {
			a.Entities[name] = []Entity{}
		}
	}
	return a, nil
}

// readEntities reads the entities of list value: each a mapping of the
// fields the listing operation's item schema defines, and valid against it.
func readEntities(ctx context.Context, in interner, spec *apispec.Spec, doc *yamlfile.Doc, op *apispec.Operation, value *yaml.Node, at []any) ([]Entity, error) {
	schema := op.ItemSchema()
	if value.Kind != yaml.SequenceNode {
		return nil, doc.Errorf(at, "want a list of %s's entities", op.ListName())
	}
	out := []Entity{}
	var errs yamlfile.List
	for i, item := range value.Content {
		where := append(slices.Clone(at), i)
		if item.Kind != yaml.MappingNode {
			errs.Add(doc.Errorf(where, "an entity is a mapping of %s", strings.Join(spec.Properties(schema), ", ")))
			continue
		}
		for j := 0; j < len(item.Content); j += 2 {
			if k := item.Content[j]; schema.Properties[k.Value] == nil {
				errs.Add(&yamlfile.Error{File: doc.File, Line: k.Line, Msg: fmt.Sprintf("unknown key %q (known: %s)", k.Value, strings.Join(spec.Properties(schema), ", "))})
			}
		}
		e, err := jsonValue(item)
		if err != nil {
			errs.Add(doc.Errorf(where, "%v", err))
			continue
		}
		if err := schema.VisitJSON(e, openapi3.MultiErrors()); err != nil {
			for _, se := range apispec.SchemaErrors(err) {
				m := apispec.MismatchOf(se)
				m.Field = fmt.Sprintf("%s/%d%s", op.ListName(), i, m.Field)
				errs.Add(doc.Errorf(append(slices.Clone(where), pointerPath(m.Field)[2:]...), "breaks the spec (%s): %s", schemaName(op), m))
			}
			continue
		}
		out = append(out, in.entity(e.(map[string]any)))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	for i, e := range out {
		if key := op.Answer.Match; key != "" && slices.ContainsFunc(out[:i], func(p Entity) bool { return p[key] == e[key] }) {
			return nil, doc.Errorf(append(slices.Clone(at), i), "%s %v is listed twice", key, e[key])
		}
	}
	return out, nil
}

// schemaName says whose schema a list's entities follow.
func schemaName(op *apispec.Operation) string {
	if op.Answer.Pick != nil {
		return op.Answer.Pick.Items
	}
	return fmt.Sprintf("%s's %s", op.ID, op.Answer.Into)
}

// jsonValue returns a YAML value as encoding/json would decode its JSON:
// what the spec's validators take.
func jsonValue(n *yaml.Node) (any, error) {
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	var out any
	return out, json.Unmarshal(data, &out)
}

// checkApp checks an app's credentials against the schemas of the fields
// the token operations read them from, and its binding.
func (c *Config) checkApp(a *App) error {
	if a.AppID == "" || a.Secret == "" {
		return &fieldError{msg: "an app needs an appid and a secret"}
	}
	if err := c.fitSpec(map[string]string{"appid": a.AppID, "secret": a.Secret}, apispec.IssueAppToken, apispec.IssueStableToken); err != nil {
		return err
	}
	if a.Scenario != "" && c.Scenario(a.Scenario) == nil {
		return &fieldError{path: []any{"scenario"}, msg: fmt.Sprintf("no scenario is named %q", a.Scenario)}
	}
	return a.Access.check()
}

func (c *Config) checkComponent(w *world, comp *Component) error {
	if comp.AppID == "" || comp.Secret == "" || comp.VerifyTicket == "" {
		return &fieldError{msg: "a component needs a component_appid, a component_appsecret and a component_verify_ticket"}
	}
	if err := c.fitSpec(map[string]string{
		"component_appid": comp.AppID, "component_appsecret": comp.Secret, "component_verify_ticket": comp.VerifyTicket,
	}, apispec.IssueComponentToken); err != nil {
		return err
	}
	comp.access = Access{IPWhitelist: comp.IPWhitelist}
	if err := comp.access.check(); err != nil {
		return err
	}
	for i, a := range comp.Authorizations {
		at := []any{"authorizations", i}
		switch {
		case w.app(a.AppID) == nil:
			return &fieldError{path: append(at, "authorizer_appid"), msg: fmt.Sprintf("authorizer_appid %q is no app of the world", a.AppID)}
		case slices.ContainsFunc(comp.Authorizations[:i], func(p Authorization) bool { return p.AppID == a.AppID }):
			return &fieldError{path: at, msg: fmt.Sprintf("app %q authorizes the platform twice", a.AppID)}
		}
		if err := c.fitSpec(map[string]string{"authorizer_refresh_token": a.RefreshToken}, apispec.IssueAuthorizerToken); err != nil {
			return &fieldError{path: append(at, fieldOf(err)...), msg: err.Error()}
		}
	}
	return nil
}

// fitSpec checks values against the schemas of the request fields of every
// operation that issues tokens with one of the behaviours issue.
func (c *Config) fitSpec(values map[string]string, issue ...string) error {
	for _, o := range c.spec.Operations() {
		if o.Answer == nil || !slices.Contains(issue, o.Answer.Issue) {
			continue
		}
		for _, name := range slices.Sorted(maps.Keys(values)) {
			if schema := o.FieldSchema(name); schema != nil {
				if err := schema.VisitJSON(values[name]); err != nil {
					return &fieldError{path: []any{name}, msg: fmt.Sprintf("%s %q does not fit the spec: %s", name, values[name], firstLine(err))}
				}
			}
		}
	}
	return nil
}

// setUnknownEnv reads unknown_env_errcode: what a listing answers when its
// env names nothing the app has.
func (c *Config) setUnknownEnv(w *world, d *fileDoc) error {
	code := d.file.UnknownEnvErrcode
	if code == nil {
		return nil
	}
	at := []any{"unknown_env_errcode"}
	if w.unknownEnv != nil {
		return d.doc.Errorf(at, "unknown_env_errcode is set in more than one file")
	}
	for _, o := range c.spec.Operations() {
		if c.usesEnv(o) {
			if _, ok := o.Errcode(*code); !ok {
				return d.doc.Errorf(at, "errcode %d is not in %s's x-errcodes", *code, o.ID)
			}
		}
	}
	w.unknownEnv = code
	return nil
}

// usesEnv reports whether a listing operation selects by a field named env.
func (c *Config) usesEnv(o *apispec.Operation) bool {
	r := o.Answer
	return r != nil && r.List != "" && (r.Match == "env" || (r.Within != nil && r.Within.Field == "env"))
}

// fieldError is a problem with one field of a YAML value, at a path below it.
type fieldError struct {
	path []any
	msg  string
}

func (e *fieldError) Error() string { return e.msg }

func fieldOf(err error) []any {
	if fe, ok := err.(*fieldError); ok {
		return fe.path
	}
	return nil
}

// pointerPath splits a JSON pointer into a YAML path.
func pointerPath(ptr string) []any {
	var out []any
	for _, part := range strings.Split(strings.Trim(ptr, "/"), "/") {
		if part == "" {
			continue
		}
		var n int
		if _, err := fmt.Sscanf(part, "%d", &n); err == nil && fmt.Sprint(n) == part {
			out = append(out, n)
		} else {
			out = append(out, part)
		}
	}
	return out
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
