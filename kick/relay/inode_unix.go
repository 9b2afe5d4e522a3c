//go:build unix

package relay

import (
	"os"
	"syscall"
)

// inode identifies a file across renames, so that a token file replaced by another of the same
// size within the clock's resolution is read again.
func inode(fi os.FileInfo) any {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino
	}
	return nil
}
