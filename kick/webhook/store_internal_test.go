package webhook

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// testStore returns a MemoryStore whose clock the test moves.
func testStore(bound int) (*MemoryStore, *time.Time) {
	s := NewMemoryStore(bound)
	now := time.Date(2025, 1, 14, 16, 8, 6, 0, time.UTC)
	s.now = func() time.Time { return now }
	return s, &now
}

func TestMemoryStoreLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := testStore(10)
	if err := s.Claim(ctx, "a", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Claim(ctx, "a", time.Minute); !errors.Is(err, ErrInFlight) {
		t.Errorf("second claim: got %v, want ErrInFlight", err)
	}
	if err := s.Release(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Claim(ctx, "a", time.Minute); err != nil {
		t.Errorf("claim after release: %v", err)
	}
	if err := s.Complete(ctx, "a", time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.Claim(ctx, "a", time.Minute); !errors.Is(err, ErrDuplicate) {
		t.Errorf("claim after complete: got %v, want ErrDuplicate", err)
	}
	if err := s.Release(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Claim(ctx, "a", time.Minute); !errors.Is(err, ErrDuplicate) {
		t.Errorf("release must not forget a completed id: got %v", err)
	}
}

func TestMemoryStoreExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, now := testStore(10)
	_ = s.Claim(ctx, "claimed", time.Minute)
	_ = s.Complete(ctx, "done", time.Hour)

	*now = now.Add(time.Minute + time.Nanosecond)
	if err := s.Claim(ctx, "claimed", time.Minute); err != nil {
		t.Errorf("an expired claim blocks: %v", err)
	}
	// An entry is present through the instant it expires, as the Handler's replay protection
	// needs (see WithDedupTTL).
	*now = now.Add(time.Hour - time.Minute - time.Nanosecond)
	if err := s.Claim(ctx, "done", time.Minute); !errors.Is(err, ErrDuplicate) {
		t.Errorf("at the instant of expiry: got %v, want ErrDuplicate", err)
	}
	*now = now.Add(time.Nanosecond)
	if err := s.Claim(ctx, "done", time.Minute); err != nil {
		t.Errorf("after expiry: %v", err)
	}
	// Expired entries are dropped as time goes on, not kept until the bound.
	*now = now.Add(2 * time.Hour)
	_ = s.Claim(ctx, "new", time.Minute)
	if n := s.Len(); n != 1 {
		t.Errorf("Len = %d after everything else expired, want 1", n)
	}
}

// The store never holds more than its bound: the oldest entry goes first.
func TestMemoryStoreBound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := testStore(100)
	for i := range 1000 {
		id := fmt.Sprint(i)
		if err := s.Claim(ctx, id, time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := s.Complete(ctx, id, time.Hour); err != nil {
			t.Fatal(err)
		}
		if n := s.Len(); n > 100 {
			t.Fatalf("Len = %d, over the bound", n)
		}
	}
	if err := s.Claim(ctx, "999", time.Hour); !errors.Is(err, ErrDuplicate) {
		t.Errorf("newest id forgotten: %v", err)
	}
	if err := s.Claim(ctx, "0", time.Hour); err != nil {
		t.Errorf("oldest id kept past the bound: %v", err)
	}
	if NewMemoryStore(0).max != DefaultMaxEntries {
		t.Error("NewMemoryStore(0) has no default bound")
	}
}

// Of many concurrent claims of one id, exactly one wins.
func TestMemoryStoreConcurrentClaims(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := NewMemoryStore(0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 64 {
		wg.Go(func() {
			if s.Claim(ctx, "id", time.Minute) == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d claims won, want 1", wins)
	}
}
