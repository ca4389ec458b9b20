package mock

import (
	"container/list"
	"sync"
)

// maxSequencePositions bounds how many positions in sequences the fake
// keeps; past it, the least recently used is forgotten (and starts over).
const maxSequencePositions = 10000

// sequences keeps each sequence's position per selector, the least
// recently used forgotten first past maxSequencePositions.
type sequences struct {
	mu    sync.Mutex
	max   int
	pos   map[string]*list.Element // of *position, by scenario and selector
	order list.List                // most recently used first
}

// position is how far one selector is in one sequence.
type position struct {
	key  string
	step int
}

func newSequences(max int) *sequences {
	q := &sequences{max: max}
	q.reset()
	return q
}

// next returns the step the selector key is at in sc, and moves it on; the
// last step repeats.
func (q *sequences) next(sc *Scenario, key string) step {
	if len(sc.steps) == 1 {
		return sc.steps[0]
	}
	k := sc.Name + "\x00" + key
	q.mu.Lock()
	defer q.mu.Unlock()
	e := q.pos[k]
	if e == nil {
		if q.order.Len() >= q.max {
			delete(q.pos, q.order.Remove(q.order.Back()).(*position).key)
		}
		e = q.order.PushFront(&position{key: k})
		q.pos[k] = e
	} else {
		q.order.MoveToFront(e)
	}
	p := e.Value.(*position)
	i := min(p.step, len(sc.steps)-1) // a reload may have shortened the sequence
	if i < len(sc.steps)-1 {
		p.step++
	}
	return sc.steps[i]
}

// len returns how many positions the fake keeps.
func (q *sequences) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.order.Len()
}

func (q *sequences) reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pos = map[string]*list.Element{}
	q.order.Init()
}
