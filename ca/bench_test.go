package ca_test

import (
	"fmt"
	"testing"

	"github.com/tcbmock/tcbmock/ca"
)

// BenchmarkLeafCached is a handshake's cost in the CA: the leaf is made.
func BenchmarkLeafCached(b *testing.B) {
	c := ca.New(b.TempDir())
	if _, err := c.Leaf("api.weixin.qq.com"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.Leaf("api.weixin.qq.com"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLeafIssue makes a new leaf each time (a key, a signature, a
// verification): a name not asked for before.
func BenchmarkLeafIssue(b *testing.B) {
	c := ca.New(b.TempDir())
	if _, err := c.Load(); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		n++
		if _, err := c.Leaf(fmt.Sprintf("h%d.api.weixin.qq.com", n)); err != nil {
			b.Fatal(err)
		}
	}
}
