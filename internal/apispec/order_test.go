package apispec

import (
	"slices"
	"testing"
)

func TestWrittenOrderIsTheTextsOrder(t *testing.T) {
	data := []byte("paths:\n  /b:\n    post: {}\n  \"/a\":\n    get: {}\n  /c/{x}:\n    get: {}\n")
	got := writtenOrder(data, []string{"/c/{x}", "/a", "/b", "/elsewhere"})
	if want := []string{"/b", "/a", "/c/{x}", "/elsewhere"}; !slices.Equal(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}
}
