package webhooktest_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// Stores with one bug each, which the suite must catch.
var brokenStores = map[string]struct {
	newStore func() webhook.Store
	failing  []string // subtests that must fail
}{
	"release forgets completed ids": {
		func() webhook.Store { return &forgetfulStore{MemoryStore: webhook.NewMemoryStore(0)} },
		[]string{"Lifecycle"},
	},
	"claims never expire": {
		func() webhook.Store { return &eternalStore{MemoryStore: webhook.NewMemoryStore(0)} },
		[]string{"ClaimExpires", "CompletionExpires"},
	},
	"claim is not atomic": {
		func() webhook.Store { return &racyStore{MemoryStore: webhook.NewMemoryStore(0)} },
		[]string{"ConcurrentClaims"},
	},
}

type forgetfulStore struct{ *webhook.MemoryStore }

// Release drops the id whatever its state, as a plain DEL would.
func (s *forgetfulStore) Release(ctx context.Context, id string) error {
	_ = s.Complete(ctx, id, time.Nanosecond)
	return nil
}

type eternalStore struct{ *webhook.MemoryStore }

func (s *eternalStore) Claim(ctx context.Context, id string, _ time.Duration) error {
	return s.MemoryStore.Claim(ctx, id, 24*time.Hour)
}

func (s *eternalStore) Complete(ctx context.Context, id string, _ time.Duration) error {
	return s.MemoryStore.Complete(ctx, id, 24*time.Hour)
}

// racyStore checks, then claims, as a GET followed by a SET would.
type racyStore struct{ *webhook.MemoryStore }

func (s *racyStore) Claim(ctx context.Context, id string, ttl time.Duration) error {
	if err := s.MemoryStore.Claim(ctx, id, time.Nanosecond); err != nil { // the check
		return err
	}
	time.Sleep(time.Millisecond)
	_ = s.Release(ctx, id)
	_ = s.MemoryStore.Claim(ctx, id, ttl) // the set
	return nil
}

// The suite fails each broken store, in the subtests that test what it breaks.
func TestStoreCatchesBrokenStores(t *testing.T) {
	t.Parallel()
	for name, b := range brokenStores {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestBrokenStoreHelper$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), "WEBHOOKTEST_BROKEN_STORE="+name)
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

// TestBrokenStoreHelper is not a test: TestStoreCatchesBrokenStores runs it in a child process.
func TestBrokenStoreHelper(t *testing.T) {
	name := os.Getenv("WEBHOOKTEST_BROKEN_STORE")
	if name == "" {
		t.Skip("runs only as a helper process")
	}
	webhooktest.TestStore(t, func(*testing.T) webhook.Store { return brokenStores[name].newStore() })
}
