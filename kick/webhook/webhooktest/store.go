package webhooktest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/webhook"
)

// TestStore tests a webhook.Store implementation against the semantics webhook.Handler relies
// on, those of webhook.MemoryStore: Claim, Complete and Release; an in-flight claim or a
// completion expiring after its TTL (a claim outlives its handler only when the process died,
// and must not block Kick's retries for longer); one winner among concurrent claims. newStore is
// called once per subtest. A store that is a webhook.ClaimRenewer has its RenewClaim tested too
// (the subtest skips otherwise). The subtests run in parallel, with message ids of their own (random,
// so that stores sharing a server do not collide). Expiry is tested on the real clock with TTLs
// of a fraction of a second: the suite takes about a second.
//
//	func TestRedisStore(t *testing.T) {
//		webhooktest.TestStore(t, func(t *testing.T) webhook.Store { return newRedisStore(t) })
//	}
func TestStore(t *testing.T, newStore func(t *testing.T) webhook.Store) {
	t.Helper()
	for _, st := range []struct {
		name string
		fn   func(tb, webhook.Store)
	}{
		{"Lifecycle", testLifecycle},
		{"CompleteWithoutClaim", testCompleteWithoutClaim},
		{"ReleaseUnclaimed", testReleaseUnclaimed},
		{"Independent", testIndependent},
		{"ClaimExpires", testClaimExpires},
		{"CompletionExpires", testCompletionExpires},
		{"CompleteOutlivesClaim", testCompleteOutlivesClaim},
		{"ConcurrentClaims", testConcurrentClaims},
		{"RenewClaim", testRenewClaim},
	} {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			if s == nil {
				t.Fatal("newStore returned nil")
			}
			st.fn(t, s)
		})
	}
}

// tb is the part of testing.TB the checks use; *testing.T has it. The package's own tests run the
// checks on a recorder, to prove that each fails the broken store it exists to catch.
type tb interface {
	Helper()
	Context() context.Context
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Skip(args ...any)
}

// claimIs checks the outcome of a Claim: nil, or an error matching want.
func claimIs(t tb, s webhook.Store, id string, ttl time.Duration, want error, what string) {
	t.Helper()
	err := s.Claim(t.Context(), id, ttl)
	switch {
	case want == nil && err != nil:
		t.Errorf("%s: Claim = %v, want nil", what, err)
	case want != nil && !errors.Is(err, want):
		t.Errorf("%s: Claim = %v, want an error matching %v", what, err, want)
	}
}

func must(t tb, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eventuallyClaimable claims id until that succeeds, for at most two seconds.
func eventuallyClaimable(t tb, s webhook.Store, id string, what string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		err := s.Claim(t.Context(), id, time.Hour)
		if err == nil {
			return
		}
		if !errors.Is(err, webhook.ErrInFlight) && !errors.Is(err, webhook.ErrDuplicate) {
			t.Fatalf("%s: Claim = %v", what, err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still %v two seconds after its TTL", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func testLifecycle(t tb, s webhook.Store) {
	ctx := t.Context()
	id := NewMessageID()
	claimIs(t, s, id, time.Minute, nil, "a new id")
	claimIs(t, s, id, time.Minute, webhook.ErrInFlight, "an id claimed and neither completed nor released")
	must(t, s.Release(ctx, id), "Release")
	claimIs(t, s, id, time.Minute, nil, "an id released")
	must(t, s.Complete(ctx, id, time.Hour), "Complete")
	claimIs(t, s, id, time.Minute, webhook.ErrDuplicate, "a completed id")
	must(t, s.Release(ctx, id), "Release of a completed id")
	claimIs(t, s, id, time.Minute, webhook.ErrDuplicate, "a completed id after Release (Release must leave it alone)")
}

func testCompleteWithoutClaim(t tb, s webhook.Store) {
	id := NewMessageID()
	must(t, s.Complete(t.Context(), id, time.Hour), "Complete of an id never claimed")
	claimIs(t, s, id, time.Minute, webhook.ErrDuplicate, "an id completed without a claim")
}

func testReleaseUnclaimed(t tb, s webhook.Store) {
	id := NewMessageID()
	must(t, s.Release(t.Context(), id), "Release of an id never claimed")
	claimIs(t, s, id, time.Minute, nil, "an id released before any claim")
}

// Ids are independent, whatever they contain: Kick's are ULIDs, but a store must not confuse
// ids that differ in case or by characters that mean something to a key-value store.
func testIndependent(t tb, s webhook.Store) {
	ctx := t.Context()
	base := NewMessageID()
	ids := []string{base, strings.ToLower(base), base + ":done", base + "*", base + "{x}", base + " ",
		base + "\x00", base + "ünï", base + strings.Repeat("x", 1000)}
	must(t, s.Complete(ctx, base, time.Hour), "Complete")
	for _, id := range ids[1:] {
		claimIs(t, s, id, time.Minute, nil, "an id beside a completed one")
	}
	for _, id := range ids[1:] {
		claimIs(t, s, id, time.Minute, webhook.ErrInFlight, "an id claimed beside others")
	}
	must(t, s.Release(ctx, ids[1]), "Release")
	claimIs(t, s, base, time.Minute, webhook.ErrDuplicate, "a completed id after another was released")
	claimIs(t, s, ids[2], time.Minute, webhook.ErrInFlight, "a claimed id after another was released")
}

// A replica that dies while it processes a delivery never completes or releases its claim: the
// claim expires after its TTL, and Kick's retry is processed.
func testClaimExpires(t tb, s webhook.Store) {
	id := NewMessageID()
	claimIs(t, s, id, 100*time.Millisecond, nil, "a new id")
	eventuallyClaimable(t, s, id, "a claim with a TTL of 100ms")
	claimIs(t, s, id, time.Minute, webhook.ErrInFlight, "the id claimed again after its first claim expired")
}

func testCompletionExpires(t tb, s webhook.Store) {
	id := NewMessageID()
	must(t, s.Complete(t.Context(), id, 100*time.Millisecond), "Complete")
	eventuallyClaimable(t, s, id, "a completion with a TTL of 100ms")
}

// Complete replaces the claim and its TTL: a completed id stays a duplicate after its claim's TTL.
func testCompleteOutlivesClaim(t tb, s webhook.Store) {
	id := NewMessageID()
	claimIs(t, s, id, 100*time.Millisecond, nil, "a new id")
	must(t, s.Complete(t.Context(), id, time.Hour), "Complete")
	time.Sleep(300 * time.Millisecond)
	claimIs(t, s, id, time.Minute, webhook.ErrDuplicate, "a completed id after its claim's TTL")
}

// Of concurrent claims of one id, as from replicas receiving Kick's retries at once, exactly one
// wins and the others get ErrInFlight.
func testConcurrentClaims(t tb, s webhook.Store) {
	ctx := t.Context()
	id := NewMessageID()
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, inFlight := 0, 0
	start := make(chan struct{})
	for range 32 {
		wg.Go(func() {
			<-start
			err := s.Claim(ctx, id, time.Minute)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, webhook.ErrInFlight):
				inFlight++
			default:
				t.Errorf("concurrent Claim: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if wins != 1 || inFlight != 31 {
		t.Errorf("32 concurrent claims: %d won, %d in flight; want 1 and 31", wins, inFlight)
	}
	// And after it completed, concurrent claims are all duplicates.
	must(t, s.Complete(ctx, id, time.Hour), "Complete")
	for range 8 {
		wg.Go(func() {
			if err := s.Claim(ctx, id, time.Minute); !errors.Is(err, webhook.ErrDuplicate) {
				t.Errorf("concurrent Claim of a completed id: %v, want ErrDuplicate", err)
			}
		})
	}
	wg.Wait()
}

// A claim renewed outlives its first TTL; renewing a completed id leaves it completed for its own
// TTL; renewing an id not claimed reports ErrClaimLost and claims nothing.
func testRenewClaim(t tb, s webhook.Store) {
	r, ok := s.(webhook.ClaimRenewer)
	if !ok {
		t.Skip("the store is not a webhook.ClaimRenewer")
	}
	ctx := t.Context()
	id := NewMessageID()
	claimIs(t, s, id, 200*time.Millisecond, nil, "a new id")
	must(t, r.RenewClaim(ctx, id, time.Minute), "RenewClaim of a claimed id")
	time.Sleep(400 * time.Millisecond)
	claimIs(t, s, id, time.Minute, webhook.ErrInFlight, "a claim renewed for a minute, past its first TTL of 200ms")
	must(t, s.Complete(ctx, id, time.Hour), "Complete")
	must(t, r.RenewClaim(ctx, id, 100*time.Millisecond), "RenewClaim of a completed id")
	time.Sleep(300 * time.Millisecond)
	claimIs(t, s, id, time.Minute, webhook.ErrDuplicate, "a completed id after a RenewClaim with a TTL of 100ms")
	other := NewMessageID()
	if err := r.RenewClaim(ctx, other, time.Minute); !errors.Is(err, webhook.ErrClaimLost) {
		t.Errorf("RenewClaim of an id never claimed: %v, want an error matching ErrClaimLost", err)
	}
	claimIs(t, s, other, time.Minute, nil, "an id after a RenewClaim that found no claim")
}
