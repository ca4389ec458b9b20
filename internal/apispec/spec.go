package apispec

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// Spec is a loaded openapi.yaml.
type Spec struct {
	File string      // the name the spec was loaded under
	Doc  *openapi3.T // the document, as written

	router  routers.Router
	ops     []*Operation
	methods []string // every method some operation uses
	// exact holds the routes of paths without templates, as the router
	// found them at load, by method and path and, for a wrong method
	// (method ""), by path.
	exact map[routeKey]*Route
	yd    *yamlfile.Doc // the spec's YAML, for lines
	// origins are where each line of a spec with overlays was written.
	origins origins
	places  map[*openapi3.Schema]schemaPlace // where each schema is written
}

// Operation is one operation of the spec and the errcodes it can answer.
type Operation struct {
	ID       string
	Method   string
	Path     string
	Op       *openapi3.Operation
	Errcodes []Errcode // in the order of the spec: the order of checks
	// Token says how the operation takes its token (x-token), or is nil.
	Token *TokenRule
	// PermissionSets are the third-party permission sets that hold the API
	// (x-permission-sets).
	PermissionSets []int
	// Answer says what the success answer is made of (x-answer), or is nil.
	Answer *AnswerRule
	// Quota limits the calls of accounts that count them (x-quota), or is nil.
	Quota *QuotaRule
	// Clear says the operation clears quota counts (x-clear-quota), or is nil.
	Clear *ClearRule

	query       map[string]bool // the names of its query parameters
	appidFields []string        // the request fields that name an account
}

// At is the YAML path, in the spec, of the operation's part, such as
// At("x-answer", "within"); At() is the operation's own.
func (o *Operation) At(part ...any) []any {
	return append([]any{"paths", o.Path, strings.ToLower(o.Method)}, part...)
}

// Token kinds.
const (
	KindApp        = "app"        // an account's own token
	KindComponent  = "component"  // a third-party platform's component_access_token
	KindAuthorizer = "authorizer" // a platform's token for an account that authorized it
)

// TokenRule is an operation's x-token: the query parameters that carry its
// token, the first given counting, and the kinds of token it takes.
type TokenRule struct {
	Params []string `yaml:"params" json:"params"`
	Kinds  []string `yaml:"kinds" json:"kinds"`
}

// Embedded loads the spec built into tcbmock ([tcbmock.FS]): a copy of
// its own, which its caller may change.
func Embedded(ctx context.Context) (*Spec, error) {
	data, err := fs.ReadFile(tcbmock.FS(), tcbmock.SpecFile)
	if err != nil {
		return nil, err
	}
	return Load(ctx, tcbmock.SpecFile, data)
}

// Shared is the spec built into tcbmock, loaded once and shared by every
// caller in the process (fakes and runs of the suite alike): its callers
// only read it. [Embedded] gives a copy of one's own.
var Shared = sync.OnceValues(func() (*Spec, error) { return Embedded(context.Background()) })

// Load parses and validates the spec in data, named file in messages.
func Load(ctx context.Context, file string, data []byte) (*Spec, error) {
	// Line numbers cost a second parse, and origins a slower one: both are
	// had only when a problem needs its line.
	yd := yamlfile.Lazy(file, data)
	doc, err := loadDoc(ctx, data, false)
	if err != nil {
		return nil, &yamlfile.Error{File: file, Line: loaderLine(data, err), Msg: loaderMessage(err)}
	}
	if err := doc.Validate(ctx); err != nil {
		line := 1
		if withOrigins, lerr := loadDoc(ctx, data, true); lerr == nil {
			if verr := withOrigins.Validate(ctx); verr != nil {
				line = exampleLine(data, verr, originLine(verr))
			}
		}
		return nil, &yamlfile.Error{File: file, Line: line, Msg: loaderMessage(err)}
	}
	s := &Spec{File: file, Doc: doc, yd: yd}
	if err := s.loadOperations(yd, data); err != nil {
		return nil, err
	}
	if err := s.checkLists(yd); err != nil {
		return nil, err
	}
	s.placeSchemas(yd)
	// The router matches paths on any host: a copy of the document without
	// servers fits every listener, httptest's included.
	bare := *doc
	bare.Servers = nil
	if s.router, err = gorillamux.NewRouter(&bare); err != nil {
		return nil, &yamlfile.Error{File: file, Line: yd.Line("paths"), Msg: err.Error()}
	}
	s.cacheExactRoutes()
	return s, nil
}

// loadDoc reads the document with kin-openapi, recording where each
// element stands if origins.
func loadDoc(ctx context.Context, data []byte, origins bool) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.Context = ctx
	loader.IncludeOrigin = origins
	return loader.LoadFromData(data)
}

// cacheExactRoutes asks the router once for each path without templates,
// so that Match answers those from a map.
func (s *Spec) cacheExactRoutes() {
	s.exact = map[routeKey]*Route{}
	for _, o := range s.ops {
		if strings.Contains(o.Path, "{") {
			continue
		}
		r, err := http.NewRequest(o.Method, o.Path, nil)
		if err != nil {
			continue
		}
		rt := s.route(r)
		if rt == nil || rt.Operation != o {
			continue
		}
		s.exact[routeKey{o.Method, o.Path}] = rt
		if _, ok := s.exact[routeKey{"", o.Path}]; !ok {
			s.exact[routeKey{"", o.Path}] = rt
		}
	}
}

func (s *Spec) loadOperations(yd *yamlfile.Doc, data []byte) error {
	var errs yamlfile.List
	for _, path := range writtenOrder(data, s.Doc.Paths.InMatchingOrder()) {
		item := s.Doc.Paths.Value(path)
		for _, method := range httpMethods {
			op := item.GetOperation(method)
			if op == nil {
				continue
			}
			o := &Operation{ID: op.OperationID, Method: method, Path: path, Op: op, query: map[string]bool{}}
			for _, p := range op.Parameters {
				if p.Value != nil && p.Value.In == "query" {
					o.query[p.Value.Name] = true
				}
			}
			for _, name := range []string{"appid", "authorizer_appid", "component_appid"} {
				if o.FieldSchema(name) != nil {
					o.appidFields = append(o.appidFields, name)
				}
			}
			at := o.At()
			if o.ID == "" {
				errs.Add(yd.Errorf(at, "%s %s has no operationId", method, path))
			}
			errs.Add(o.loadErrcodes(yd, at))
			errs.Add(o.loadToken(yd, at))
			errs.Add(o.loadAnswer(yd, at))
			errs.Add(o.checkParams(yd, at))
			errs.Add(o.loadQuota(yd, at))
			s.ops = append(s.ops, o)
			if !slices.Contains(s.methods, method) {
				s.methods = append(s.methods, method)
			}
		}
	}
	return errs.Err()
}

var lineInMessage = regexp.MustCompile(`\bline (\d+)\b`)

// messageLine finds the line a loader error names in its message.
func messageLine(err error) int {
	if m := lineInMessage.FindStringSubmatch(err.Error()); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			return n
		}
	}
	return 1
}

// originLine finds the line kin-openapi recorded for the element a
// validation error is about: the first Origin along the error's chain.
func originLine(err error) int {
	for err != nil {
		v := reflect.ValueOf(err)
		for v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		if v.Kind() == reflect.Struct {
			if f := v.FieldByName("Origin"); f.IsValid() && f.Type() == reflect.TypeFor[*openapi3.Origin]() && !f.IsNil() {
				if o := f.Interface().(*openapi3.Origin); o.Key != nil {
					return o.Key.Line
				}
			}
		}
		err = errors.Unwrap(err)
	}
	return 1
}

// Operations returns every operation, in the order of the spec's paths.
func (s *Spec) Operations() []*Operation { return s.ops }

// Operation returns the operation with operationId id, or nil.
func (s *Spec) Operation(id string) *Operation {
	for _, o := range s.ops {
		if o.ID == id {
			return o
		}
	}
	return nil
}

// Route is an operation matched to a request.
type Route struct {
	*Operation
	route  *routers.Route
	params map[string]string
}

// Match returns the operation at r's path, or nil when there is none. The
// operation's Method may differ from r's: what a wrong method earns is the
// caller's to decide.
func (s *Spec) Match(r *http.Request) *Route {
	path := r.URL.EscapedPath()
	if rt := s.exact[routeKey{r.Method, path}]; rt != nil {
		return rt
	}
	if rt := s.exact[routeKey{"", path}]; rt != nil {
		return rt
	}
	return s.route(r)
}

// routeKey indexes the routes of paths without templates.
type routeKey struct{ method, path string }

// route asks the router for r's operation.
func (s *Spec) route(r *http.Request) *Route {
	route, params, err := s.router.FindRoute(r)
	if errors.Is(err, routers.ErrMethodNotAllowed) {
		for _, m := range s.methods {
			other := r.Clone(r.Context())
			other.Method = m
			if route, params, err = s.router.FindRoute(other); err == nil {
				break
			}
		}
	}
	if err != nil {
		return nil
	}
	for _, o := range s.ops {
		if o.Op == route.Operation {
			return &Route{Operation: o, route: route, params: params}
		}
	}
	return nil
}

// Errcode returns the row of code, if the operation lists it.
func (o *Operation) Errcode(code int) (Errcode, bool) {
	for _, e := range o.Errcodes {
		if e.Code == code {
			return e, true
		}
	}
	return Errcode{}, false
}

// Cause returns the first row whose When lists one of causes, and that
// cause: when several causes apply together, the row listed first wins.
func (o *Operation) Cause(causes ...string) (Errcode, string, bool) {
	for _, e := range o.Errcodes {
		for _, c := range causes {
			if slices.Contains(e.When, c) {
				return e, c, true
			}
		}
	}
	return Errcode{}, "", false
}

func (o *Operation) String() string { return fmt.Sprintf("%s (%s %s)", o.ID, o.Method, o.Path) }

var httpMethods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace,
}
