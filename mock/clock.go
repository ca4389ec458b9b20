package mock

import (
	"sync/atomic"
	"time"
)

// clock is the fake's time: a base clock moved on by the admin API.
type clock struct {
	base   func() time.Time
	offset atomic.Int64 // nanoseconds added to base
}

func (c *clock) Now() time.Time { return c.base().Add(time.Duration(c.offset.Load())) }

// Advance moves the clock d on and returns the new time.
func (c *clock) Advance(d time.Duration) time.Time {
	c.offset.Add(int64(d))
	return c.Now()
}

func (c *clock) reset() { c.offset.Store(0) }
