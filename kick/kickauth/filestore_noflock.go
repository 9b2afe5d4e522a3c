//go:build !unix || solaris || aix

package kickauth

import "context"

// crossProcessLocks tells whether FileStore's locks hold across processes.
const crossProcessLocks = false

// lockFile is a no-op where flock(2) does not exist: FileStore.Lock then locks within the process
// only (see FileStore).
func lockFile(context.Context, string) (func() error, error) {
	return func() error { return nil }, nil
}

// syncDir does nothing: directories cannot be synced here.
func syncDir(string) error { return nil }
