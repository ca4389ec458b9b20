package mocktest

import "context"

// contextOf returns the test's context when it has one (Go 1.24's t.Context).
func contextOf(tb TB) context.Context {
	if c, ok := tb.(interface{ Context() context.Context }); ok {
		return c.Context()
	}
	return context.Background()
}
