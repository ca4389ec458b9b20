package mock

import "sync"

// sequences keeps each sequence's position per selector.
type sequences struct {
	mu  sync.Mutex
	pos map[string]int
}

func newSequences() *sequences { return &sequences{pos: map[string]int{}} }

// next returns the step the selector key is at in sc, and moves it on; the
// last step repeats.
func (q *sequences) next(sc *Scenario, key string) Step {
	if len(sc.Steps) == 1 {
		return sc.Steps[0]
	}
	k := sc.Name + "\x00" + key
	q.mu.Lock()
	i := q.pos[k]
	if i < len(sc.Steps)-1 {
		q.pos[k] = i + 1
	}
	q.mu.Unlock()
	return sc.Steps[i]
}

func (q *sequences) reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	clear(q.pos)
}
