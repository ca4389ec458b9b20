// Package compute compiles and evaluates the expressions that compute
// answers: a property of an operation's success answer (x-answer's
// compute) or a field of a world entity whose schema says x-expression.
//
// The language is expr (github.com/expr-lang/expr: its builtins, and
// json(v), v as compact JSON), typed against [Vars] when compiled, so a
// misspelt name or a value of the wrong kind is refused at load with its
// line and column, and evaluated within bounds: at most
// [MaxNodes] nodes per expression, [MemoryBudget] units of the VM's memory
// accounting per evaluation (which bounds every range, string and list it
// builds), [MaxResult] bytes of result and [Timeout] of time.
//
// # The time bound
//
// expr's VM has no deadline of its own (its WithContext option hands a
// context to functions that take one, and the VM never looks at it), and
// its memory budget does not count the iterations of a loop over the
// world's lists: count(app.functions, any(app.functions, …)) nested four
// deep over a hundred entities runs 10⁸ iterations in a few bytes. So an
// expression with loops is compiled a second time, each predicate (the
// body of map, filter, any, count, reduce, …) patched to call a function
// first that reads the clock every [checkEvery] iterations and stops the
// evaluation, with [ErrTimeout], once [Timeout] has passed. The patched
// names cannot be written in an expression: they hold a space. The first
// compilation, unpatched, is the one whose type is checked, and the one
// that runs when the expression has no loop left once constants are
// folded: on Vars itself, with no clock to read.
package compute

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

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
	// Timeout is the time one evaluation may take, on the clock of its
	// [Bound]: past it, the evaluation stops with [ErrTimeout].
	Timeout = 100 * time.Millisecond
)

// checkEvery is how many iterations of an expression's loops pass between
// two readings of the clock.
const checkEvery = 16

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
	// loops says that prog has loops, patched to read the clock: it runs
	// on an env, which adds the clock to Vars.
	loops bool
	// machines are VMs to reuse: Run resets one, and keeps its stacks; for
	// a program with loops, each comes with its env and clock.
	machines sync.Pool
}

// Bound is an evaluation's bound in time: Timeout ([Timeout] when 0) on
// the clock Now ([time.Now] when nil). Tests inject a clock.
type Bound struct {
	Timeout time.Duration
	Now     func() time.Time
}

// env is what a program with loops runs on: Vars, and the evaluation's
// clock, under a name no expression can write.
type env struct {
	Vars
	Clock *deadline `expr:"tcbmock clock"`
}

// deadline is an evaluation's clock and the time it must end by.
type deadline struct {
	now   func() time.Time
	by    time.Time
	ticks int
}

// The names the patch calls and reads, with spaces, so that no
// expression can.
const (
	aliveName = "tcbmock alive"
	clockName = "tcbmock clock"
)

// alive is the function each iteration of a loop calls first: every
// checkEvery calls it reads the clock, and stops the evaluation past its
// deadline.
func alive(params ...any) (any, error) {
	d := params[0].(*deadline)
	d.ticks++
	if d.ticks%checkEvery == 0 && !d.now().Before(d.by) {
		return nil, ErrTimeout
	}
	return true, nil
}

// evaluation is what one evaluation of a program with loops reuses.
type evaluation struct {
	vm    vm.VM
	env   env
	clock deadline
}

// patchLoops makes each predicate's body call alive first.
type patchLoops struct{}

func (patchLoops) Visit(n *ast.Node) {
	p, ok := (*n).(*ast.PredicateNode)
	if !ok {
		return
	}
	check := &ast.CallNode{Callee: &ast.IdentifierNode{Value: aliveName}, Arguments: []ast.Node{&ast.IdentifierNode{Value: clockName}}}
	p.Node = &ast.SequenceNode{Nodes: []ast.Node{check, p.Node}}
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
	opts := []expr.Option{expr.MaxNodes(MaxNodes), expr.Function("json", compactJSON, new(func(any) string))}
	p, err := expr.Compile(src, append(opts, expr.Env(Vars{}))...)
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
	uses, loops := map[string]bool{}, false
	node := p.Node()
	ast.Walk(&node, visitor(func(n ast.Node) {
		switch n := n.(type) {
		case *ast.IdentifierNode:
			uses[n.Value] = true
		case *ast.PredicateNode:
			loops = true
		}
	}))
	if loops {
		// the same expression, each loop patched to read the clock: it
		// compiled once, so it compiles again
		opts = append(opts, expr.Env(env{}), expr.Function(aliveName, alive, new(func(*deadline) bool)), expr.Patch(patchLoops{}))
		if p, err = expr.Compile(src, opts...); err != nil {
			return nil, &Error{Line: 1, Column: 1, Msg: firstLine(err.Error())}
		}
	}
	return &Program{src: src, kind: kind, prog: p, uses: uses, loops: loops}, nil
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

// ErrTimeout is returned when an evaluation ran past its time bound.
var ErrTimeout = errors.New("compute: evaluation stopped at its time bound")

// Eval evaluates the program on v within the bounds, [Timeout] on the
// wall clock among them.
func (p *Program) Eval(v *Vars) (any, error) { return p.EvalWithin(v, Bound{}) }

// EvalWithin evaluates the program on v within the bounds, b's in time.
func (p *Program) EvalWithin(v *Vars, b Bound) (any, error) {
	out, err := p.run(v, b)
	if errors.Is(err, ErrTimeout) {
		return nil, fmt.Errorf("%s: %w", p.src, ErrTimeout)
	}
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

// run runs the program on v: one without loops on v itself, one with
// loops on v and a clock that ends it past b's time.
func (p *Program) run(v *Vars, b Bound) (any, error) {
	if !p.loops {
		machine, _ := p.machines.Get().(*vm.VM)
		if machine == nil {
			machine = &vm.VM{MemoryBudget: MemoryBudget}
		}
		out, err := machine.Run(p.prog, v)
		p.machines.Put(machine)
		return out, err
	}
	e, _ := p.machines.Get().(*evaluation)
	if e == nil {
		e = &evaluation{vm: vm.VM{MemoryBudget: MemoryBudget}}
	}
	now := b.Now
	if now == nil {
		now = time.Now
	}
	e.clock = deadline{now: now, by: now().Add(cmp.Or(b.Timeout, Timeout))}
	e.env = env{Vars: *v, Clock: &e.clock}
	out, err := e.vm.Run(p.prog, &e.env)
	e.env = env{} // keep nothing of the request
	p.machines.Put(e)
	return out, err
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
