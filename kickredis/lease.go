package kickredis

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// lease is a held TokenStore lock, renewed by a goroutine every third of the lease until Unlock
// or until it is lost: Redis says another owner holds the lock, or no renewal got through before
// the lease, as counted from before the last successful one, ran out.
type lease struct {
	ctx     context.Context // LockLease's, without its cancellation: for the values it carries
	s       *TokenStore
	key     string // the store key, for logs
	lockKey string
	value   string // "<fence>:<owner>"
	fence   int64

	done    chan struct{} // closed when the lease ends
	stop    chan struct{} // closed by Unlock
	stopped chan struct{} // closed when the renewal goroutine has returned

	mu    sync.Mutex
	state leaseState
}

type leaseState int

const (
	held leaseState = iota
	lost
	unlocked
)

var _ kickauth.Lease = (*lease)(nil)

// newLease starts renewing the lock taken at start (before the command that took it was sent).
func (s *TokenStore) newLease(ctx context.Context, key, lockKey, value string, fence int64, start time.Time) *lease {
	l := &lease{ctx: context.WithoutCancel(ctx), s: s, key: key, lockKey: lockKey, value: value, fence: fence,
		done: make(chan struct{}), stop: make(chan struct{}), stopped: make(chan struct{})}
	go l.renew(context.WithoutCancel(ctx), start.Add(s.cfg.lease))
	return l
}

// Fence returns the lease's fencing token.
func (l *lease) Fence() int64 { return l.fence }

// Done returns a channel closed when the lease ends: Unlock, or a lost lease.
func (l *lease) Done() <-chan struct{} { return l.done }

func (l *lease) renew(ctx context.Context, expires time.Time) {
	defer close(l.stopped)
	period := l.s.cfg.lease / 3
	t := time.NewTimer(period)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		start := time.Now()
		rctx, cancel := context.WithDeadline(ctx, expires)
		ok, err := bounded(rctx, l.s.cfg.timeout, l.s.cfg.direct, func(ctx context.Context) (int64, error) {
			return renewLock.Run(ctx, l.s.client, []string{l.lockKey}, l.value, ms(l.s.cfg.lease)).Int64()
		}, nil)
		cancel()
		switch {
		case err == nil && ok == 1:
			expires = start.Add(l.s.cfg.lease)
		case err == nil:
			l.end(ctx, "another process holds the lock")
			return
		case !time.Now().Before(expires):
			l.end(ctx, "no renewal got through before the lease ran out: "+err.Error())
			return
		default:
			l.s.cfg.logger.LogAttrs(ctx, slog.LevelWarn, "kickredis: renewing a token lock failed; retrying",
				slog.String("key", l.key), slog.String("error", err.Error()))
		}
		t.Reset(max(min(period, time.Until(expires)/2), time.Millisecond))
	}
}

// end ends a lease that was lost, unless Unlock ended it first.
func (l *lease) end(ctx context.Context, why string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state != held {
		return
	}
	l.state = lost
	close(l.done)
	l.s.cfg.logger.LogAttrs(ctx, slog.LevelWarn, "kickredis: lost the lease on a token lock",
		slog.String("key", l.key), slog.Int64("fence", l.fence), slog.String("why", why))
}

// Unlock stops the renewals and releases the lock (a Lua compare-and-delete), within the store's
// timeout. It returns an error matching kickauth.ErrLeaseLost if the lease had been lost, and one
// matching ErrUnavailable if Redis failed. Calling it again returns nil.
func (l *lease) Unlock() error {
	l.mu.Lock()
	was := l.state
	if was == held {
		l.state = unlocked
		close(l.done)
	}
	l.mu.Unlock()
	switch was {
	case lost:
		return fmt.Errorf("kickredis: unlock %q: %w", l.lockKey, kickauth.ErrLeaseLost)
	case unlocked:
		return nil
	}
	close(l.stop)
	<-l.stopped
	ctx, cancel := context.WithTimeout(l.ctx, l.s.cfg.timeout)
	defer cancel()
	_, err := bounded(ctx, l.s.cfg.timeout, l.s.cfg.direct, func(ctx context.Context) (int64, error) {
		return deleteIfValue.Run(ctx, l.s.client, []string{l.lockKey}, l.value).Int64()
	}, nil)
	if err != nil {
		return &Error{Op: "unlock", Key: l.lockKey, Err: err}
	}
	return nil
}
