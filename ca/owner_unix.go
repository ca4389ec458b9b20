//go:build unix

package ca

import (
	"io/fs"
	"os"
	"syscall"
)

// owner returns the user id that owns a file, and whether the system says.
func owner(info fs.FileInfo) (int, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// currentUser is the user id files of the CA must belong to.
func currentUser() int { return os.Geteuid() }
