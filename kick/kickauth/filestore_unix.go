//go:build unix

package kickauth

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// checkDir refuses a token directory that another user could write to: one writable by its
// group or by others (the sticky bit does not help: another user's file could be planted under a
// key not yet saved), or one owned by another user (who can change its mode).
func checkDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("%s is writable by other users (mode %#o): make it private with chmod 700, or use another directory", dir, perm)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s is owned by uid %d, not by this process's user (uid %d)", dir, st.Uid, os.Geteuid())
	}
	return nil
}

// openNoFollow opens path in the token directory without following a symbolic link in its last
// element (O_NOFOLLOW), and without blocking on a FIFO, and checks that it is a regular file.
func openNoFollow(path string, flag int, perm os.FileMode) (*os.File, error) {
	f, err := os.OpenFile(path, flag|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, perm) //nolint:gosec // path is built from the store directory and a hashed key
	if err != nil {
		// Linux and macOS answer ELOOP for a symbolic link, FreeBSD EMLINK.
		if errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.EMLINK) {
			return nil, fmt.Errorf("%s is a symbolic link, which the token store does not follow", path)
		}
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", path)
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}
