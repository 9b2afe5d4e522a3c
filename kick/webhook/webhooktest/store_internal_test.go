package webhooktest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/internal/checktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// Stores with one bug each, which the checks must catch.
var brokenStores = map[string]struct {
	newStore func() webhook.Store
	failing  map[string]func(tb, webhook.Store) // checks that must fail
}{
	"release forgets completed ids": {
		func() webhook.Store { return &forgetfulStore{webhook.NewMemoryStore(0)} },
		map[string]func(tb, webhook.Store){"Lifecycle": testLifecycle},
	},
	"claims never expire": {
		func() webhook.Store { return &eternalStore{webhook.NewMemoryStore(0)} },
		map[string]func(tb, webhook.Store){"ClaimExpires": testClaimExpires, "CompletionExpires": testCompletionExpires},
	},
	"claim is not atomic": {
		func() webhook.Store { return &racyStore{webhook.NewMemoryStore(0)} },
		map[string]func(tb, webhook.Store){"ConcurrentClaims": testConcurrentClaims},
	},
	"complete keeps the claim's TTL": {
		func() webhook.Store { return &shortCompleteStore{webhook.NewMemoryStore(0)} },
		map[string]func(tb, webhook.Store){"CompleteOutlivesClaim": testCompleteOutlivesClaim},
	},
	"complete needs a claim": {
		func() webhook.Store { return &claimFirstStore{webhook.NewMemoryStore(0)} },
		map[string]func(tb, webhook.Store){"CompleteWithoutClaim": testCompleteWithoutClaim},
	},
	"ids are truncated": {
		func() webhook.Store { return &truncatingStore{webhook.NewMemoryStore(0)} },
		map[string]func(tb, webhook.Store){"Independent": testIndependent},
	},
	"renew does not extend": {
		func() webhook.Store { return &idleRenewer{webhook.NewMemoryStore(0)} },
		map[string]func(tb, webhook.Store){"RenewClaim": testRenewClaim},
	},
	"renew claims an unclaimed id": {
		func() webhook.Store { return &claimingRenewer{renewer{webhook.NewMemoryStore(0)}} },
		map[string]func(tb, webhook.Store){"RenewClaim": testRenewClaim},
	},
	"release of an unknown id fails": {
		func() webhook.Store { return &strictReleaseStore{webhook.NewMemoryStore(0)} },
		map[string]func(tb, webhook.Store){"ReleaseUnclaimed": testReleaseUnclaimed},
	},
}

func TestChecksCatchBrokenStores(t *testing.T) {
	t.Parallel()
	for name, b := range brokenStores {
		for check, fn := range b.failing {
			t.Run(name+"/"+check, func(t *testing.T) {
				t.Parallel()
				if r := checktest.Run(t, func(r *checktest.Recorder) { fn(r, b.newStore()) }); !r.Failed() {
					t.Errorf("%s passed a store whose %s", check, name)
				}
			})
		}
	}
}

type forgetfulStore struct{ *webhook.MemoryStore }

// Release drops the id whatever its state, as a plain DEL would.
func (s *forgetfulStore) Release(ctx context.Context, id string) error {
	return s.Complete(ctx, id, time.Nanosecond)
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

// shortCompleteStore completes with the TTL of a claim, as SET XX KEEPTTL would.
type shortCompleteStore struct{ *webhook.MemoryStore }

func (s *shortCompleteStore) Complete(ctx context.Context, id string, _ time.Duration) error {
	return s.MemoryStore.Complete(ctx, id, 100*time.Millisecond)
}

// claimFirstStore ignores a Complete of an id it has not seen claimed.
type claimFirstStore struct{ *webhook.MemoryStore }

func (s *claimFirstStore) Complete(ctx context.Context, id string, ttl time.Duration) error {
	if s.Claim(ctx, id, time.Nanosecond) == nil { // it was not there
		return nil
	}
	return s.MemoryStore.Complete(ctx, id, ttl)
}

// truncatingStore keys on the first 26 bytes of an id, a ULID's length.
type truncatingStore struct{ *webhook.MemoryStore }

func cut(id string) string { return id[:min(len(id), 26)] }

func (s *truncatingStore) Claim(ctx context.Context, id string, ttl time.Duration) error {
	return s.MemoryStore.Claim(ctx, cut(id), ttl)
}

func (s *truncatingStore) Complete(ctx context.Context, id string, ttl time.Duration) error {
	return s.MemoryStore.Complete(ctx, cut(id), ttl)
}

func (s *truncatingStore) Release(ctx context.Context, id string) error {
	return s.MemoryStore.Release(ctx, cut(id))
}

type strictReleaseStore struct{ *webhook.MemoryStore }

func (s *strictReleaseStore) Release(context.Context, string) error {
	return context.DeadlineExceeded
}

// renewer is a webhook.ClaimRenewer on a MemoryStore, good enough for one test at a time: it
// renews a claim by releasing it and claiming it again.
type renewer struct{ *webhook.MemoryStore }

func (s renewer) RenewClaim(ctx context.Context, id string, ttl time.Duration) error {
	switch err := s.Claim(ctx, id, time.Nanosecond); {
	case err == nil: // it was not claimed
		_ = s.Release(ctx, id)
		return webhook.ErrClaimLost
	case errors.Is(err, webhook.ErrInFlight):
		_ = s.Release(ctx, id)
		return s.Claim(ctx, id, ttl)
	case errors.Is(err, webhook.ErrDuplicate):
		return nil
	default:
		return err
	}
}

type idleRenewer struct{ *webhook.MemoryStore }

func (idleRenewer) RenewClaim(context.Context, string, time.Duration) error { return nil }

// claimingRenewer claims an id it finds unclaimed, as a SET PX without a check would.
type claimingRenewer struct{ renewer }

func (s claimingRenewer) RenewClaim(ctx context.Context, id string, ttl time.Duration) error {
	if err := s.renewer.RenewClaim(ctx, id, ttl); errors.Is(err, webhook.ErrClaimLost) {
		_ = s.Claim(ctx, id, ttl)
	}
	return nil
}

// A correct renewer passes the check of renewals.
func TestRenewClaimCheckPasses(t *testing.T) {
	t.Parallel()
	if r := checktest.Run(t, func(r *checktest.Recorder) { testRenewClaim(r, renewer{webhook.NewMemoryStore(0)}) }); r.Failed() {
		t.Error("the check of renewals failed a correct renewer")
	}
}
