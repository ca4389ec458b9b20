package mock_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/tcbmock/tcbmock/internal/benchkit"
	"github.com/tcbmock/tcbmock/mock"
)

// writeWorld writes a world of n apps, each with 3 envs, to a directory of
// its own, and returns the files to load with it.
func writeWorld(tb testing.TB, n int) mock.Files {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "world.yaml"), benchkit.World(n), 0o600); err != nil {
		tb.Fatal(err)
	}
	files := mock.Embedded()
	files.Scenarios = append(files.Scenarios, mock.File{FS: os.DirFS(dir), Path: ".", Name: "generated"})
	return files
}

// heapInUse returns the bytes of live heap objects, and of the heap's
// spans that hold them (what stays resident), after a collection.
func heapInUse() (live, spans uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc, m.HeapInuse
}

// BenchmarkLoadWorld measures loading a world of 1,000 and 10,000 apps of
// 3 envs each: the time per app, the heap a loaded app holds (B/app, live
// after a collection, the embedded configuration's part taken off), and
// the heap spans in use per app (span-B/app: a span stays in use, and
// resident, while one object in it lives).
func BenchmarkLoadWorld(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			files := writeWorld(b, n)
			b.ReportAllocs()
			var held, spans uint64
			for b.Loop() {
				live0, spans0 := heapInUse()
				c, err := mock.Load(b.Context(), files)
				if err != nil {
					b.Fatal(err)
				}
				live1, spans1 := heapInUse()
				held, spans = live1-live0, spans1-spans0
				runtime.KeepAlive(c)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/app")
			b.ReportMetric(float64(held)/float64(n), "B/app")
			b.ReportMetric(float64(spans)/float64(n), "span-B/app")
		})
	}
}
