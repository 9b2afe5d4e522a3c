package kick

import (
	"context"
	"errors"
	"sync"
	"time"
)

// SyncStore keeps Events.Sync's markers: which subscription Sync created for an event of a
// channel that Kick's listing has not shown yet, and which Sync is creating one right now. Kick's
// listing lags behind a subscription just created, or leaves it out for good (KickDevDocs#419),
// and nothing else tells that a subscription exists: with the markers, a Sync that does not see
// the subscription in the listing does not create it again, whatever process created it, so
// that there is never more than one subscription per event.
//
// It is a small key-value store with compare-and-swap. Every replica of an app must use the
// same one (kickredis.SyncStore, on the Redis they share); the default, a MemorySyncStore per
// Client, serves one process. One store, or one key prefix, per app: the keys name channels and
// events, not the app. Implementations must be safe for concurrent use.
type SyncStore interface {
	// Get returns the value under key, or "" when there is none or it expired.
	Get(ctx context.Context, key string) (string, error)
	// CompareAndSwap sets key to value, to expire after ttl, if key holds old ("" meaning
	// nothing), atomically, and reports whether it did. An empty value deletes key.
	CompareAndSwap(ctx context.Context, key, old, value string, ttl time.Duration) (bool, error)
}

// MemorySyncStore is a SyncStore in memory: for one process, the default of a Client. The zero
// value is not usable; call NewMemorySyncStore.
type MemorySyncStore struct {
	mu sync.Mutex
	m  map[string]memSyncEntry
}

type memSyncEntry struct {
	value   string
	expires time.Time
}

// NewMemorySyncStore returns an empty MemorySyncStore.
func NewMemorySyncStore() *MemorySyncStore {
	return &MemorySyncStore{m: map[string]memSyncEntry{}}
}

// Get implements SyncStore.
func (s *MemorySyncStore) Get(_ context.Context, key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.getLocked(key), nil
}

func (s *MemorySyncStore) getLocked(key string) string {
	e, ok := s.m[key]
	if !ok {
		return ""
	}
	if time.Now().After(e.expires) {
		delete(s.m, key)
		return ""
	}
	return e.value
}

// CompareAndSwap implements SyncStore.
func (s *MemorySyncStore) CompareAndSwap(_ context.Context, key, old, value string, ttl time.Duration) (bool, error) {
	if value != "" && ttl <= 0 {
		return false, errors.New("kick: MemorySyncStore: TTL is not positive")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.getLocked(key) != old {
		return false, nil
	}
	if value == "" {
		delete(s.m, key)
	} else {
		s.m[key] = memSyncEntry{value: value, expires: time.Now().Add(ttl)}
	}
	return true, nil
}

// WithSyncStore sets the store of Events.Sync's markers (see SyncStore): the same for every
// replica of an app, such as kickredis.SyncStore. Without it, each Client has a
// MemorySyncStore of its own.
func WithSyncStore(s SyncStore) Option {
	return func(cfg *config) error {
		if s == nil {
			return errors.New("kick: WithSyncStore: nil store")
		}
		cfg.syncStore = s
		return nil
	}
}
