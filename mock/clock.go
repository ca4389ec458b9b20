package mock

import (
	"fmt"
	"sync/atomic"
	"time"
)

// clock is the fake's time: a base clock moved on by the admin API.
type clock struct {
	base   func() time.Time
	offset atomic.Int64 // nanoseconds added to base
}

func (c *clock) Now() time.Time { return c.base().Add(time.Duration(c.offset.Load())) }

// Advance moves the clock d on and returns the new time. It refuses to move
// backwards, or further than MaxAdvance from the base clock.
func (c *clock) Advance(d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, fmt.Errorf("mock: the clock only moves forward, not %v", d)
	}
	for {
		old := c.offset.Load()
		if d > MaxAdvance-time.Duration(old) {
			return time.Time{}, fmt.Errorf("mock: the clock moves at most %v from its start in all; it has moved %v", MaxAdvance, time.Duration(old))
		}
		if c.offset.CompareAndSwap(old, old+int64(d)) {
			return c.Now(), nil
		}
	}
}

func (c *clock) reset() { c.offset.Store(0) }
