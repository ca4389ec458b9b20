//go:build unix

package ca

import (
	"os"
	"strings"
	"testing"
)

func TestCheckOwner(t *testing.T) {
	info, err := os.Stat(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := checkOwner("dir", info, currentUser()); err != nil {
		t.Errorf("a directory of the current user: %v", err)
	}
	if err := checkOwner("dir", info, currentUser()+1); err == nil || !strings.Contains(err.Error(), "owned by user") {
		t.Errorf("a directory of another user: got %v; want it refused", err)
	}
}
