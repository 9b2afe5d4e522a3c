//go:build unix && !solaris && !aix

package kickauth

import (
	"context"
	"errors"
	"os"
	"syscall"
	"time"
)

// crossProcessLocks tells whether FileStore's locks hold across processes.
const crossProcessLocks = true

// lockFile takes an exclusive flock(2) lock on path, polling so that ctx can end the wait. The
// kernel releases the lock when the process dies, so a crash never leaves a key locked. A symbolic
// link at path is not followed (nor its target created): the lock fails.
func lockFile(ctx context.Context, path string) (unlock func() error, err error) {
	f, err := openNoFollow(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	fd := int(f.Fd())
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() error {
				err := syscall.Flock(fd, syscall.LOCK_UN)
				return errors.Join(err, f.Close())
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			_ = f.Close()
			return nil, err
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			_ = f.Close()
			return nil, context.Cause(ctx)
		}
	}
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir) //nolint:gosec // dir is the store's own directory
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }()
	return d.Sync()
}
