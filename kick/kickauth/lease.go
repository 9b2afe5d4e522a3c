package kickauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"golang.org/x/oauth2"
)

// ErrFenced is matched by errors.Is when a FencedStore refuses a save because it holds a token
// saved later: under a later lease of the key's lock, or by a plain Save (a new authorization).
// Nothing was saved, and the stored token is the newer one.
var ErrFenced = errors.New("kickauth: refused by the fencing check: the store holds a newer token")

// ErrLeaseLost is matched by errors.Is when the lease on a store's lock ended (its holder could
// not renew it in time) before the work it protects began. Nothing was sent to Kick.
var ErrLeaseLost = errors.New("kickauth: the lease on the store's lock was lost")

// A Lease is a lock on one key of a store shared by several hosts, granted for a limited time
// and renewed by its holder while the holder lives. A holder that dies (a crash, kill -9, a lost
// host) stops renewing, and the lock frees itself when the lease runs out, so that another process
// can take over; no lock is held forever.
//
// A holder that is merely slow (a long pause, a network partition) can lose its lease while it
// still works, and another process can then take the lock too. The fencing token protects the
// store from the slow one: every lease of a key has a greater Fence than the leases before it,
// and a FencedStore refuses a save under a fence older than that of the token it holds.
type Lease interface {
	// Fence returns the lease's fencing token: greater than that of every earlier lease of the
	// same key.
	Fence() int64
	// Done returns a channel closed when the lease ends: it was released, or its holder could
	// not renew it before it ran out.
	Done() <-chan struct{}
	// Unlock releases the lock and ends the lease.
	Unlock() error
}

// LeaseLocker is implemented by a TokenStore whose locks are leases (see Lease): a store shared
// by hosts, such as Redis or a database, where a dead holder must not keep a key locked. Token
// sources prefer LockLease to Locker's Lock when a store has both; implement Locker too, for
// callers that know only Locker.
type LeaseLocker interface {
	// LockLease blocks until it holds the lock of key or ctx is done, and returns the lease.
	LockLease(ctx context.Context, key string) (Lease, error)
}

// FencedStore is implemented by a TokenStore that checks fencing tokens (see Lease), so that a
// process that lost its lease cannot overwrite a newer token. A token source that holds a lease
// saves with SaveFenced; Save stays for saves without a lock, such as a new authorization, and
// must make the saved token newer than every lease granted so far.
type FencedStore interface {
	// SaveFenced is Save on behalf of the holder of the lease with fence: it saves tok unless the
	// store holds a token saved under a greater fence, or by Save after that lease was granted; then
	// it saves nothing and returns an error matching ErrFenced. A save under the same fence again
	// is allowed.
	SaveFenced(ctx context.Context, key string, tok *oauth2.Token, fence int64) error
}

// storeLock is the lock of one key held on a store: a lease when the store grants them, a plain
// lock when it is only a Locker, nothing when it is neither.
type storeLock struct {
	unlock func() error
	lease  Lease
}

// lockStore takes the lock of key on store, preferring a lease (LeaseLocker) to a plain lock
// (Locker). A store that is neither gives a storeLock that holds nothing.
func lockStore(ctx context.Context, store TokenStore, key string) (*storeLock, error) {
	if l, ok := store.(LeaseLocker); ok {
		lease, err := l.LockLease(ctx, key)
		if err != nil {
			return nil, err
		}
		return &storeLock{unlock: lease.Unlock, lease: lease}, nil
	}
	if l, ok := store.(Locker); ok {
		unlock, err := l.Lock(ctx, key)
		if err != nil {
			return nil, err
		}
		return &storeLock{unlock: unlock}, nil
	}
	return &storeLock{}, nil
}

// release releases the lock, if one is held.
func (l *storeLock) release() error {
	if l.unlock == nil {
		return nil
	}
	return l.unlock()
}

// fence returns the fence of the lease, or 0 without one.
func (l *storeLock) fence() int64 {
	if l.lease == nil {
		return 0
	}
	return l.lease.Fence()
}

// lost reports whether the lease has ended: the lock may be someone else's now.
func (l *storeLock) lost() bool {
	if l.lease == nil {
		return false
	}
	select {
	case <-l.lease.Done():
		return true
	default:
		return false
	}
}

// saveFenced saves tok under key with fence when the store is a FencedStore and fence is a
// lease's (not 0), and with Save otherwise.
func saveFenced(ctx context.Context, store TokenStore, key string, tok *oauth2.Token, fence int64) error {
	if fs, ok := store.(FencedStore); ok && fence != 0 {
		return fs.SaveFenced(ctx, key, tok, fence)
	}
	return store.Save(ctx, key, tok)
}

// adoptNewer follows a refresh whose save the store refused with ErrFenced: this process lost its
// lease while it refreshed, and a later holder of the lock saved a newer token (or the user
// authorized again). The token this refresh got is dropped, and the stored one becomes current.
func (s *UserSource) adoptNewer(ctx context.Context, fenced error, dropped *oauth2.Token) (*oauth2.Token, error) {
	s.opts.logger.LogAttrs(ctx, slog.LevelWarn, "kickauth: the store holds a newer user token than this refresh got; adopting it",
		slog.String("key", s.key))
	stored, err := s.store.Load(ctx, s.key)
	if err != nil {
		return nil, &redactedError{
			msg: fmt.Sprintf("kickauth: refresh the user token of key %q: %s; loading the newer token: %s", s.key, scrubToken(fenced.Error(), dropped), scrubToken(err.Error(), dropped)),
			err: errors.Join(fenced, err),
		}
	}
	s.c.mu.Lock()
	s.c.setLocked(stored, false)
	ok := s.c.stillValidLocked()
	s.c.mu.Unlock()
	if !ok {
		return nil, &redactedError{msg: fmt.Sprintf("kickauth: refresh the user token of key %q: %s; the newer token has expired", s.key, scrubToken(fenced.Error(), dropped)), err: fenced}
	}
	return stored, nil
}
