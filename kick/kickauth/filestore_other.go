//go:build !unix

package kickauth

import (
	"fmt"
	"os"
)

// checkDir checks that dir is a directory. Who may write to it is a matter of ACLs here, which
// the store does not inspect.
func checkDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}

// openNoFollow opens path unless it is a symbolic link or not a regular file. Without O_NOFOLLOW
// the check and the open are two steps.
func openNoFollow(path string, flag int, perm os.FileMode) (*os.File, error) {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (a symbolic link?), which the token store does not follow", path)
	}
	return os.OpenFile(path, flag, perm) //nolint:gosec // path is built from the store directory and a hashed key
}
