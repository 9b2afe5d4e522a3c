package kickredis

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick"
)

// SyncStore is a kick.SyncStore on Redis: the markers of Events.Sync shared by every replica of
// an app, so that however many replicas sync, and however long Kick's listing lags behind a new
// subscription, each event has one subscription. Give it to every client with
// kick.WithSyncStore. Get is one round trip (GET), CompareAndSwap one (a Lua script).
//
// Keys are the prefix and Sync's key ("sync:<channel>:<event>:<version>"); each has a TTL. Use a
// prefix per app (WithPrefix) if apps share the Redis.
type SyncStore struct {
	client redis.UniversalClient
	cfg    config
}

var _ kick.SyncStore = (*SyncStore)(nil)

// NewSyncStore returns a SyncStore on client. Options other than WithPrefix and WithTimeout do
// not apply.
func NewSyncStore(client redis.UniversalClient, opts ...Option) (*SyncStore, error) {
	if client == nil {
		return nil, errors.New("kickredis: NewSyncStore: nil client")
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, fmt.Errorf("kickredis: NewSyncStore: %w", err)
	}
	cfg.direct = followsDeadlines(client)
	return &SyncStore{client: client, cfg: cfg}, nil
}

// Get implements kick.SyncStore.
func (s *SyncStore) Get(ctx context.Context, key string) (string, error) {
	rkey := s.cfg.prefix + key
	v, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (string, error) {
		return s.client.Get(ctx, rkey).Result()
	}, nil)
	switch {
	case errors.Is(err, redis.Nil):
		return "", nil
	case err != nil:
		return "", &Error{Op: "get", Key: rkey, Err: err}
	}
	return v, nil
}

// CompareAndSwap implements kick.SyncStore with a Lua script.
func (s *SyncStore) CompareAndSwap(ctx context.Context, key, old, value string, ttl time.Duration) (bool, error) {
	rkey := s.cfg.prefix + key
	n, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (int64, error) {
		return compareAndSwap.Run(ctx, s.client, []string{rkey}, old, value, ms(ttl)).Int64()
	}, nil)
	if err != nil {
		return false, &Error{Op: "swap", Key: rkey, Err: err}
	}
	return n == 1, nil
}

// String describes the store.
func (s *SyncStore) String() string {
	return fmt.Sprintf("kickredis.SyncStore{Prefix: %q}", s.cfg.prefix)
}
