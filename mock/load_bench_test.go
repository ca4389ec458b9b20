package mock_test

import (
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// BenchmarkLoad measures reading and checking the embedded spec and scenarios: most of serve's startup.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mock.Load(b.Context(), mock.Embedded()); err != nil {
			b.Fatal(err)
		}
	}
}
