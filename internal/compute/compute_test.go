package compute

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCompileRefusesAnUnknownNameAtItsColumn(t *testing.T) {
	_, err := Compile(`appid + bdy.x`, String)
	var ce *Error
	if !errors.As(err, &ce) || ce.Line != 1 || ce.Column != 9 || !strings.Contains(ce.Msg, "unknown name bdy") {
		t.Fatalf("got %v; want line 1 column 9: unknown name bdy", err)
	}
}

func TestCompileRefusesTheWrongKind(t *testing.T) {
	for name, tc := range map[string]struct {
		src  string
		kind Kind
	}{
		"a number for a string":   {`len(app)`, String},
		"a string for an integer": {`appid`, Integer},
		"a string for a boolean":  {`"yes"`, Boolean},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Compile(tc.src, tc.kind); err == nil {
				t.Fatalf("%s compiled as kind %d; want an error", tc.src, tc.kind)
			}
		})
	}
}

func TestCompileRefusesAnExpressionOverMaxNodes(t *testing.T) {
	src := strings.Repeat("1 + ", MaxNodes) + "1"
	if _, err := Compile(src, Integer); err == nil {
		t.Fatal("an expression of more than MaxNodes nodes compiled")
	}
}

func TestEvalReadsTheRequestAndTheWorld(t *testing.T) {
	v := &Vars{
		Query:  map[string]string{"name": "login"},
		Header: map[string]string{"X-Trace": "t1"},
		Body:   map[string]any{"a": 1.0, "who": "me"},
		Raw:    `{"a":1,"who":"me"}`,
		AppID:  "wx1",
		App:    map[string]any{"envs": []any{map[string]any{"env": "e1"}, map[string]any{"env": "e2"}}},
		Item:   map[string]any{"answer": "hi"},
	}
	for src, want := range map[string]any{
		`query.name`:                         "login",
		`header["X-Trace"]`:                  "t1",
		`body.who`:                           "me",
		`raw`:                                `{"a":1,"who":"me"}`,
		`json({"appid": appid, "x": "<&>"})`: `{"appid":"wx1","x":"<&>"}`,
		`len(app.envs)`:                      2,
		`item.answer + "!"`:                  "hi!",
		`map(app.envs, .env)[1]`:             "e2",
		`body.who == "me" ? "yes" : "no"`:    "yes",
	} {
		got, err := MustCompile(src, Any).Eval(v)
		if err != nil || got != want {
			t.Errorf("%s = %#v, %v; want %#v", src, got, err, want)
		}
	}
}

func TestEvalStopsAtTheMemoryBudget(t *testing.T) {
	for _, src := range []string{
		`len(map(1..100000, map(1..100000, #)))`,
		`len(repeat("x", 1000000) + repeat("y", 1000000))`,
	} {
		// a bound in time far off: the budget, not the clock, stops it
		_, err := MustCompile(src, Any).EvalWithin(&Vars{}, Bound{Timeout: time.Hour})
		if err == nil || !strings.Contains(err.Error(), "memory budget exceeded") {
			t.Errorf("%s: got %v; want the memory budget exceeded", src, err)
		}
	}
}

func TestEvalRefusesAResultOverMaxResult(t *testing.T) {
	v := &Vars{Raw: strings.Repeat("x", MaxResult)}
	if _, err := MustCompile(`raw + "y"`, String).Eval(v); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v; want ErrTooLarge", err)
	}
}

func TestEvalOfTheWrongKindAtRunTimeIsAnError(t *testing.T) {
	p := MustCompile(`body.n`, String) // body is any: checked when run
	if _, err := p.Eval(&Vars{Body: map[string]any{"n": 1.0}}); err == nil {
		t.Fatal("a number came out of a string expression")
	}
}

func TestEvalGivesAWholeJSONNumberAsAnInteger(t *testing.T) {
	v := &Vars{App: map[string]any{"c": []any{map[string]any{"n": 3.0}, map[string]any{"n": 4.0}}}}
	if got, err := MustCompile(`sum(map(app.c, .n))`, Integer).Eval(v); err != nil || got != 7 {
		t.Fatalf("got %#v, %v; want the integer 7", got, err)
	}
	if _, err := MustCompile(`app.c[0].n / 2`, Integer).Eval(v); err == nil {
		t.Fatal("1.5 came out of an integer expression")
	}
}

// stepping is a clock that moves on by step each time it is read.
func stepping(step time.Duration) func() time.Time {
	now := time.Unix(0, 0)
	return func() time.Time {
		now = now.Add(step)
		return now
	}
}

// TestEvalStopsAtItsTimeBound: loops that the memory budget does not
// bound (iterations over the world's lists) or that finish within it
// stop once the clock passes the bound; a clock that moves a millisecond
// each time it is read passes 100 ms after some 1,600 iterations.
func TestEvalStopsAtItsTimeBound(t *testing.T) {
	list := make([]any, 100)
	for i := range list {
		list[i] = map[string]any{"n": i}
	}
	v := &Vars{App: map[string]any{"l": list}}
	for _, src := range []string{
		`count(app.l, any(app.l, any(app.l, .n < 0)))`,            // 10⁶ iterations over the world, in a few bytes
		`reduce(1..1000, reduce(1..1000, #acc + 1, 0) + #acc, 0)`, // 10⁶ iterations within the memory budget
	} {
		_, err := MustCompile(src, Any).EvalWithin(v, Bound{Now: stepping(time.Millisecond)})
		if !errors.Is(err, ErrTimeout) {
			t.Errorf("%s: got %v; want ErrTimeout", src, err)
		}
	}
}

func TestEvalWithLoopsWithinItsTimeBoundAnswers(t *testing.T) {
	v := &Vars{App: map[string]any{"l": []any{map[string]any{"n": 1.0}, map[string]any{"n": 2.0}}}}
	got, err := MustCompile(`count(app.l, .n > 1) + len(filter(1..10, # % 2 == 0))`, Integer).EvalWithin(v, Bound{Now: stepping(time.Millisecond)})
	if err != nil || got != 6 {
		t.Fatalf("got %#v, %v; want 6", got, err)
	}
}

// BenchmarkEvalLoop is an expression with a loop over the world's list,
// as a count over world data: its predicates read the clock every
// checkEvery iterations.
func BenchmarkEvalLoop(b *testing.B) {
	list := make([]any, 100)
	for i := range list {
		list[i] = map[string]any{"count": float64(i)}
	}
	v := &Vars{App: map[string]any{"collections": list}}
	p := MustCompile(`sum(map(app.collections, .count))`, Integer)
	for b.Loop() {
		if _, err := p.Eval(v); err != nil {
			b.Fatal(err)
		}
	}
}
