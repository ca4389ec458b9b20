// Package compute compiles and evaluates the expressions that compute
// answers: a property of an operation's success answer (x-answer's
// compute) or a field of a world entity whose schema says x-expression.
//
// The language is expr (github.com/expr-lang/expr: its builtins, and
// json(v), v as compact JSON), typed against [Vars] when compiled, so a
// misspelt name or a value of the wrong kind is refused at load with its
// line and column, and evaluated within bounds: at most
// [MaxNodes] nodes per expression, [MemoryBudget] units of the VM's memory
// accounting per evaluation (which bounds every loop and every string or
// list it builds, and so its time) and [MaxResult] bytes of result.
package compute

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// The bounds of one expression.
const (
	MaxNodes     = 2000    // nodes of one compiled expression
	MemoryBudget = 1 << 20 // the VM's memory units per evaluation
	MaxResult    = 1 << 20 // bytes of a string result
)

// Vars is what an expression reads, by the names in its tags.
type Vars struct {
	// Query holds the request's query parameters that the operation
	// declares, by name (the first value of each).
	Query map[string]string `expr:"query"`
	// Header holds the request's headers, by canonical name (the first
	// value of each).
	Header map[string]string `expr:"header"`
	// Body is the request's JSON body, decoded (nil when there is none).
	Body any `expr:"body"`
	// Raw is the request's body as sent.
	Raw string `expr:"raw"`
	// AppID is the account the request's token belongs to.
	AppID string `expr:"appid"`
	// App holds the account's entities of the world, by list name
	// (app.envs, app.functions, …), each a list of mappings.
	App map[string]any `expr:"app"`
	// Item is the entity the request names (x-answer's pick), with its
	// expression fields computed; nil when the operation picks none.
	Item map[string]any `expr:"item"`
}

// Kind is the JSON type an expression must give.
type Kind int

// The kinds an expression may be compiled for.
const (
	Any Kind = iota
	String
	Integer
	Number
	Boolean
)

// KindOf returns the kind of an OpenAPI type name ("string", "integer"…).
func KindOf(openapiType string) Kind {
	return map[string]Kind{"string": String, "integer": Integer, "number": Number, "boolean": Boolean}[openapiType]
}

// Program is a compiled expression.
type Program struct {
	src  string
	kind Kind
	prog *vm.Program
	uses map[string]bool // the names of Vars it reads
	// machines are VMs to reuse: Run resets one, and keeps its stacks.
	machines sync.Pool
}

// Error is a problem of an expression, at its line and column (from 1).
type Error struct {
	Line, Column int
	Msg          string
}

var _ error = (*Error)(nil)

func (e *Error) Error() string {
	return fmt.Sprintf("expression line %d column %d: %s", e.Line, e.Column, e.Msg)
}

// Compile compiles src, type-checked against [Vars] to give kind.
func Compile(src string, kind Kind) (*Program, error) {
	opts := []expr.Option{expr.Env(Vars{}), expr.MaxNodes(MaxNodes),
		expr.Function("json", compactJSON, new(func(any) string))}
	p, err := expr.Compile(src, opts...)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			return nil, &Error{Line: max(fe.Line, 1), Column: fe.Column + 1, Msg: fe.Message}
		}
		return nil, &Error{Line: 1, Column: 1, Msg: firstLine(err.Error())}
	}
	if t := p.Node().Type(); !kind.mayBe(t) {
		return nil, &Error{Line: 1, Column: 1, Msg: fmt.Sprintf("gives %s, not a %s", t, kind)}
	}
	uses := map[string]bool{}
	node := p.Node()
	ast.Walk(&node, visitor(func(n ast.Node) {
		if id, ok := n.(*ast.IdentifierNode); ok {
			uses[id.Value] = true
		}
	}))
	return &Program{src: src, kind: kind, prog: p, uses: uses}, nil
}

// MustCompile is Compile for tests: it panics on an error.
func MustCompile(src string, kind Kind) *Program {
	p, err := Compile(src, kind)
	if err != nil {
		panic(err)
	}
	return p
}

// visitor is an ast.Visitor of a function.
type visitor func(ast.Node)

func (f visitor) Visit(n *ast.Node) { f(*n) }

// Needs is a set of the parts of a request that expressions read.
type Needs uint8

// The parts of a request an expression may read.
const (
	NeedsQuery Needs = 1 << iota
	NeedsHeader
	NeedsBody
	NeedsRaw
)

// Needs returns the parts of the request the expression reads.
func (p *Program) Needs() Needs {
	var n Needs
	for name, bit := range map[string]Needs{"query": NeedsQuery, "header": NeedsHeader, "body": NeedsBody, "raw": NeedsRaw} {
		if p.uses[name] {
			n |= bit
		}
	}
	return n
}

// Uses reports whether the expression reads the variable name of [Vars]
// ("query", "header", "body", "raw", "appid", "app", "item"): what it does
// not read need not be made.
func (p *Program) Uses(name string) bool { return p.uses[name] }

// String returns the expression's source.
func (p *Program) String() string { return p.src }

// ErrTooLarge is returned when an evaluation's string result is larger
// than MaxResult bytes.
var ErrTooLarge = errors.New("compute: result larger than the bound")

// Eval evaluates the program on v within the bounds.
func (p *Program) Eval(v *Vars) (any, error) {
	machine, _ := p.machines.Get().(*vm.VM)
	if machine == nil {
		machine = &vm.VM{MemoryBudget: MemoryBudget}
	}
	out, err := machine.Run(p.prog, v)
	p.machines.Put(machine)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", p.src, firstLine(err.Error()))
	}
	if s, ok := out.(string); ok && len(s) > MaxResult {
		return nil, ErrTooLarge
	}
	if f, ok := out.(float64); ok && p.kind == Integer && f == float64(int(f)) {
		out = int(f) // a JSON number of the world or the request, whole
	}
	if !p.kind.fits(out) {
		return nil, fmt.Errorf("%s: gave %T, not a %s", p.src, out, p.kind)
	}
	return out, nil
}

// mayBe reports whether a value of type t, as the checker typed it, may
// be of the kind: an interface is known only when run.
func (k Kind) mayBe(t reflect.Type) bool {
	if k == Any || t == nil || t.Kind() == reflect.Interface {
		return true
	}
	switch t.Kind() {
	case reflect.String:
		return k == String
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return k == Integer || k == Number
	case reflect.Float32, reflect.Float64:
		return k == Integer || k == Number // an integer when whole, checked when run
	case reflect.Bool:
		return k == Boolean
	}
	return false
}

// fits reports whether v is a value of the kind.
func (k Kind) fits(v any) bool {
	switch v.(type) {
	case string:
		return k == Any || k == String
	case int:
		return k == Any || k == Integer || k == Number
	case float64:
		return k == Any || k == Number
	case bool:
		return k == Any || k == Boolean
	}
	return k == Any
}

func (k Kind) String() string {
	return [...]string{"value", "string", "integer", "number", "boolean"}[k]
}

// compactJSON is json(v): v as compact JSON, with <, > and & as they are.
func compactJSON(params ...any) (any, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(params[0]); err != nil {
		return nil, err
	}
	if buf.Len() > MaxResult {
		return nil, ErrTooLarge
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
