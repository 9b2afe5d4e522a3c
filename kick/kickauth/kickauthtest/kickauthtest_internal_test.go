package kickauthtest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/internal/checktest"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// check runs fn on s as a subtest would.
func check(t *testing.T, fn func(tb, kickauth.TokenStore), s kickauth.TokenStore) *checktest.Recorder {
	t.Helper()
	return checktest.Run(t, func(r *checktest.Recorder) { fn(r, s) })
}

// Stores with one bug each, which the suite must catch.
var brokenStores = map[string]struct {
	newStore func() kickauth.TokenStore
	failing  map[string]func(tb, kickauth.TokenStore) // checks that must fail
}{
	"lock is not exclusive": {
		func() kickauth.TokenStore { return &noLockStore{kickauth.NewMemoryStore()} },
		map[string]func(tb, kickauth.TokenStore){"Lock": testLock, "OneRefresh": testOneRefresh, "SharedAppToken": testSharedAppToken},
	},
	"scope is dropped": {
		func() kickauth.TokenStore { return &scopelessStore{kickauth.NewMemoryStore()} },
		map[string]func(tb, kickauth.TokenStore){"LoadSave": testLoadSave, "Keys": testKeys},
	},
	"loaded token is shared": {
		func() kickauth.TokenStore { return &sharingStore{toks: map[string]*oauth2.Token{}} },
		map[string]func(tb, kickauth.TokenStore){"Copies": testCopies},
	},
	"keys collide": {
		func() kickauth.TokenStore { return &foldingStore{kickauth.NewMemoryStore()} },
		map[string]func(tb, kickauth.TokenStore){"Keys": testKeys},
	},
	"delete deletes everything": {
		func() kickauth.TokenStore { return &clearingStore{kickauth.NewMemoryStore()} },
		map[string]func(tb, kickauth.TokenStore){"Delete": testDelete},
	},
	"fence is not checked": {
		func() kickauth.TokenStore { return &unfencedStore{fencedStore: newFencedStore()} },
		map[string]func(tb, kickauth.TokenStore){"Fencing": testFencing},
	},
	"expiry loses its date": {
		func() kickauth.TokenStore { return &truncatingStore{kickauth.NewMemoryStore()} },
		map[string]func(tb, kickauth.TokenStore){"LoadSave": testLoadSave},
	},
	"saves after the first are lost": {
		func() kickauth.TokenStore { return &writeOnceStore{kickauth.NewMemoryStore()} },
		map[string]func(tb, kickauth.TokenStore){"LoadSave": testLoadSave, "OneRefresh": testOneRefresh},
	},
	"loads mix two tokens": {
		func() kickauth.TokenStore { return &tornStore{MemoryStore: kickauth.NewMemoryStore()} },
		map[string]func(tb, kickauth.TokenStore){"Concurrent": testConcurrent},
	},
	"unlock fails": {
		func() kickauth.TokenStore { return &badUnlockStore{kickauth.NewMemoryStore()} },
		map[string]func(tb, kickauth.TokenStore){"Lock": testLock},
	},
	"delete of a missing key fails": {
		func() kickauth.TokenStore { return &strictDeleteStore{kickauth.NewMemoryStore()} },
		map[string]func(tb, kickauth.TokenStore){"Delete": testDelete},
	},
	"leases are not exclusive": {
		func() kickauth.TokenStore { return &sharedLeaseStore{fencedStore: newFencedStore()} },
		map[string]func(tb, kickauth.TokenStore){"Lease": testLease},
	},
	"lease ends at once": {
		func() kickauth.TokenStore { return &doneLeaseStore{fencedStore: newFencedStore()} },
		map[string]func(tb, kickauth.TokenStore){"Lease": testLease},
	},
	"fences do not increase": {
		func() kickauth.TokenStore { return &constantFenceStore{fencedStore: newFencedStore()} },
		map[string]func(tb, kickauth.TokenStore){"Lease": testLease, "Fencing": testFencing},
	},
}

func TestChecksCatchBrokenStores(t *testing.T) {
	t.Parallel()
	for name, b := range brokenStores {
		for check1, fn := range b.failing {
			t.Run(name+"/"+check1, func(t *testing.T) {
				t.Parallel()
				r := check(t, fn, b.newStore())
				if !r.Failed() {
					t.Errorf("%s passed a store whose %s", check1, name)
				}
			})
		}
	}
}

// A store with leases and no plain Lock passes the checks of locks through its leases.
func TestChecksUseLeasesWithoutLocker(t *testing.T) {
	t.Parallel()
	for name, fn := range map[string]func(tb, kickauth.TokenStore){"Lock": testLock, "Lease": testLease,
		"Fencing": testFencing, "OneRefresh": testOneRefresh, "SharedAppToken": testSharedAppToken} {
		inner := newFencedStore()
		s := struct {
			kickauth.TokenStore
			kickauth.LeaseLocker
			kickauth.FencedStore
		}{inner, inner, inner}
		if r := check(t, fn, s); r.Failed() || r.Skipped() {
			t.Errorf("%s on a store with leases but no Lock: failed %v, skipped %v: %s", name, r.Failed(), r.Skipped(), r.Messages())
		}
	}
}

// A store without a lock, leases or Delete has those checks skipped, not failed.
func TestChecksSkipMissingInterfaces(t *testing.T) {
	t.Parallel()
	for name, fn := range map[string]func(tb, kickauth.TokenStore){"Delete": testDelete, "Lock": testLock,
		"Lease": testLease, "Fencing": testFencing, "OneRefresh": testOneRefresh, "SharedAppToken": testSharedAppToken} {
		r := check(t, fn, &sharingStore{toks: map[string]*oauth2.Token{}})
		if !r.Skipped() || r.Failed() {
			t.Errorf("%s on a plain TokenStore: skipped %v, failed %v: %s", name, r.Skipped(), r.Failed(), r.Messages())
		}
	}
}

// The suite passes a correct store with leases and fencing, every subtest included.
func TestTokenStoreWithLeases(t *testing.T) {
	t.Parallel()
	TestTokenStore(t, func(*testing.T) kickauth.TokenStore { return newFencedStore() })
}

type noLockStore struct{ *kickauth.MemoryStore }

func (s *noLockStore) Lock(context.Context, string) (func() error, error) {
	return func() error { return nil }, nil
}

type scopelessStore struct{ *kickauth.MemoryStore }

func (s *scopelessStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	return s.MemoryStore.Save(ctx, key, &oauth2.Token{AccessToken: tok.AccessToken, TokenType: tok.TokenType,
		RefreshToken: tok.RefreshToken, Expiry: tok.Expiry})
}

// foldingStore folds keys to lower case, as a case-insensitive database column would.
type foldingStore struct{ *kickauth.MemoryStore }

func (s *foldingStore) Load(ctx context.Context, key string) (*oauth2.Token, error) {
	return s.MemoryStore.Load(ctx, strings.ToLower(key))
}

func (s *foldingStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	return s.MemoryStore.Save(ctx, strings.ToLower(key), tok)
}

// clearingStore's Delete forgets every key.
type clearingStore struct{ *kickauth.MemoryStore }

func (s *clearingStore) Delete(context.Context, string) error {
	*s.MemoryStore = *kickauth.NewMemoryStore() //nolint:govet // a test double: nobody else holds its lock
	return nil
}

type sharingStore struct {
	mu   sync.Mutex
	toks map[string]*oauth2.Token
}

func (s *sharingStore) Load(_ context.Context, key string) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok, ok := s.toks[key]; ok {
		return tok, nil
	}
	return nil, kickauth.ErrNoToken
}

func (s *sharingStore) Save(_ context.Context, key string, tok *oauth2.Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.toks[key] = tok
	return nil
}

// fencedStore is a correct LeaseLocker and FencedStore within one process.
type fencedStore struct {
	*kickauth.MemoryStore
	mu    sync.Mutex
	fence int64
	saved map[string]int64 // key -> fence of the stored token
}

func newFencedStore() *fencedStore {
	return &fencedStore{MemoryStore: kickauth.NewMemoryStore(), saved: map[string]int64{}}
}

type lease struct {
	fence  int64
	done   chan struct{}
	once   sync.Once
	unlock func() error
}

func (l *lease) Fence() int64          { return l.fence }
func (l *lease) Done() <-chan struct{} { return l.done }
func (l *lease) Unlock() error {
	err := error(nil)
	l.once.Do(func() { close(l.done); err = l.unlock() })
	return err
}

func (s *fencedStore) LockLease(ctx context.Context, key string) (kickauth.Lease, error) {
	unlock, err := s.Lock(ctx, key)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fence++
	return &lease{fence: s.fence, done: make(chan struct{}), unlock: unlock}, nil
}

func (s *fencedStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fence++
	s.saved[key] = s.fence
	return s.MemoryStore.Save(ctx, key, tok)
}

func (s *fencedStore) SaveFenced(ctx context.Context, key string, tok *oauth2.Token, fence int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.saved[key] > fence {
		return kickauth.ErrFenced
	}
	s.saved[key] = fence
	return s.MemoryStore.Save(ctx, key, tok)
}

// unfencedStore saves whatever the fence.
type unfencedStore struct{ *fencedStore }

func (s *unfencedStore) SaveFenced(ctx context.Context, key string, tok *oauth2.Token, _ int64) error {
	return s.MemoryStore.Save(ctx, key, tok)
}

// constantFenceStore grants every lease fence 1.
type constantFenceStore struct{ *fencedStore }

func (s *constantFenceStore) LockLease(ctx context.Context, key string) (kickauth.Lease, error) {
	l, err := s.fencedStore.LockLease(ctx, key)
	if err != nil {
		return nil, err
	}
	l.(*lease).fence = 1
	return l, nil
}

// truncatingStore keeps the expiry's time of day and drops its date.
type truncatingStore struct{ *kickauth.MemoryStore }

func (s *truncatingStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	c := *tok
	if !c.Expiry.IsZero() {
		c.Expiry = c.Expiry.AddDate(-1, 0, 0)
	}
	return s.MemoryStore.Save(ctx, key, &c)
}

// writeOnceStore keeps the first token saved under a key.
type writeOnceStore struct{ *kickauth.MemoryStore }

func (s *writeOnceStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	if _, err := s.Load(ctx, key); err == nil {
		return nil
	}
	return s.MemoryStore.Save(ctx, key, tok)
}

// tornStore returns the access token of the latest save with the refresh token of the one before.
type tornStore struct {
	*kickauth.MemoryStore
	mu   sync.Mutex
	prev map[string]string
}

func (s *tornStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.prev == nil {
		s.prev = map[string]string{}
	}
	c := *tok
	if p, ok := s.prev[key]; ok {
		c.RefreshToken = p
	}
	s.prev[key] = tok.RefreshToken
	return s.MemoryStore.Save(ctx, key, &c)
}

type badUnlockStore struct{ *kickauth.MemoryStore }

func (s *badUnlockStore) Lock(ctx context.Context, key string) (func() error, error) {
	unlock, err := s.MemoryStore.Lock(ctx, key)
	if err != nil {
		return nil, err
	}
	return func() error { _ = unlock(); return errors.New("unlock failed") }, nil
}

type strictDeleteStore struct{ *kickauth.MemoryStore }

func (s *strictDeleteStore) Delete(ctx context.Context, key string) error {
	if _, err := s.Load(ctx, key); err != nil {
		return err
	}
	return s.MemoryStore.Delete(ctx, key)
}

// sharedLeaseStore's leases take no lock.
type sharedLeaseStore struct{ *fencedStore }

func (s *sharedLeaseStore) LockLease(context.Context, string) (kickauth.Lease, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fence++
	return &lease{fence: s.fence, done: make(chan struct{}), unlock: func() error { return nil }}, nil
}

// doneLeaseStore's leases end as soon as they are granted.
type doneLeaseStore struct{ *fencedStore }

func (s *doneLeaseStore) LockLease(ctx context.Context, key string) (kickauth.Lease, error) {
	l, err := s.fencedStore.LockLease(ctx, key)
	if err != nil {
		return nil, err
	}
	return endedLease{l}, nil
}

type endedLease struct{ kickauth.Lease }

var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (endedLease) Done() <-chan struct{} { return closed }
