package kickauthtest_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kickauth/kickauthtest"
)

// Stores with one bug each, which the suite must catch.
var brokenStores = map[string]struct {
	newStore func() kickauth.TokenStore
	failing  []string // subtests that must fail
}{
	"lock is not exclusive": {
		func() kickauth.TokenStore { return &noLockStore{kickauth.NewMemoryStore()} },
		[]string{"Lock", "OneRefresh"},
	},
	"scope is dropped": {
		func() kickauth.TokenStore { return &scopelessStore{kickauth.NewMemoryStore()} },
		[]string{"LoadSave", "Copies"},
	},
	"loaded token is shared": {
		func() kickauth.TokenStore { return &sharingStore{toks: map[string]*oauth2.Token{}} },
		[]string{"Copies"},
	},
	"fence is not checked": {
		func() kickauth.TokenStore { return &unfencedStore{MemoryStore: kickauth.NewMemoryStore()} },
		[]string{"Fencing"},
	},
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

// unfencedStore grants leases with increasing fences but saves whatever the fence.
type unfencedStore struct {
	*kickauth.MemoryStore
	mu    sync.Mutex
	fence int64
}

type lease struct {
	fence  int64
	done   chan struct{}
	unlock func() error
}

func (l *lease) Fence() int64          { return l.fence }
func (l *lease) Done() <-chan struct{} { return l.done }
func (l *lease) Unlock() error         { close(l.done); return l.unlock() }

func (s *unfencedStore) LockLease(ctx context.Context, key string) (kickauth.Lease, error) {
	unlock, err := s.Lock(ctx, key)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fence++
	return &lease{fence: s.fence, done: make(chan struct{}), unlock: unlock}, nil
}

func (s *unfencedStore) SaveFenced(ctx context.Context, key string, tok *oauth2.Token, _ int64) error {
	return s.Save(ctx, key, tok)
}

// The suite fails each broken store, in the subtests that test what it breaks.
func TestTokenStoreCatchesBrokenStores(t *testing.T) {
	t.Parallel()
	for name, b := range brokenStores {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestBrokenStoreHelper$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), "KICKAUTHTEST_BROKEN_STORE="+name)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a store whose %s:\n%s", name, out)
			}
			for _, sub := range b.failing {
				if !strings.Contains(string(out), "--- FAIL: TestBrokenStoreHelper/"+sub+" ") {
					t.Errorf("subtest %s did not fail:\n%s", sub, out)
				}
			}
		})
	}
}

// TestBrokenStoreHelper is not a test: TestTokenStoreCatchesBrokenStores runs it in a child
// process.
func TestBrokenStoreHelper(t *testing.T) {
	name := os.Getenv("KICKAUTHTEST_BROKEN_STORE")
	if name == "" {
		t.Skip("runs only as a helper process")
	}
	kickauthtest.TestTokenStore(t, func(*testing.T) kickauth.TokenStore { return brokenStores[name].newStore() })
}
