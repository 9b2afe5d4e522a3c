package webhook

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// Store remembers message ids for deduplication. The Handler claims a delivery's message id
// before it calls any user function, completes it after the function succeeded, and releases it
// after the function failed, so that Kick's retry of a failed delivery is processed again while a
// delivery that was processed is processed once. Implementations must be safe for concurrent
// use; one shared by several servers (Redis SET NX with an expiry, a SQL table with a unique key)
// deduplicates across them.
//
// The id is a delivery's message id, which Kick signs, or — for a delivery whose payload does not
// fit its unsigned type, or of a type or version this package does not know — the message id
// followed by ".unfit" (a message id has no '.'). One message id thus has at most two entries,
// whatever labels copies of it carry. The id is printable ASCII of at most 262 bytes.
//
// An entry must count as present until its TTL has fully passed, the instant it expires
// included: the Handler's replay protection relies on a completed id outliving the time window
// in which its timestamp is accepted (see WithDedupTTL).
type Store interface {
	// Claim marks id as in flight for ttl. It returns nil when the caller may process the
	// delivery, an error matching ErrDuplicate when id was completed, or one matching ErrInFlight
	// when id is claimed by another caller and neither completed nor released. A claim or
	// completion whose TTL has passed counts as absent.
	Claim(ctx context.Context, id string, ttl time.Duration) error
	// Complete marks id as processed for ttl.
	Complete(ctx context.Context, id string, ttl time.Duration) error
	// Release drops an in-flight claim of id, so a retry may claim it again. It leaves a
	// completed id alone.
	Release(ctx context.Context, id string) error
}

// ClaimRenewer is implemented by a Store shared by several processes, whose claims must not
// outlive a process that died or gave up for long: the Handler then claims a message id for
// RenewedClaimTTL only (not ClaimTTL) and renews the claim every third of it while the function
// runs. A claim that a failed or abandoned Claim left behind, or that a killed process held,
// thus holds Kick's retries back for at most RenewedClaimTTL. kickredis.WebhookStore implements
// it; MemoryStore, whose claims die with the process, need not.
type ClaimRenewer interface {
	// RenewClaim extends the claim of id to ttl from now if id is claimed and neither completed
	// nor released; it returns an error matching ErrClaimLost if id is not claimed (the claim
	// expired), and nil, doing nothing, if id was completed.
	RenewClaim(ctx context.Context, id string, ttl time.Duration) error
}

// DefaultMaxEntries is the size bound of NewMemoryStore(0).
const DefaultMaxEntries = 100_000

// MemoryStore is a Store in memory, for a single server. Entries expire after their TTL and the
// store never holds more than its size bound: when full, the entry updated longest ago is
// dropped, even if it has not expired. The bound should exceed the number of deliveries expected
// within the handler's dedup TTL; past it, an old duplicate may be processed again.
type MemoryStore struct {
	max int
	now func() time.Time

	mu      sync.Mutex
	entries map[string]*list.Element // of *memEntry
	order   *list.List               // least recently updated first
}

type memEntry struct {
	id      string
	done    bool
	expires time.Time
}

// NewMemoryStore returns an empty MemoryStore holding at most maxEntries ids
// (DefaultMaxEntries if maxEntries <= 0).
func NewMemoryStore(maxEntries int) *MemoryStore {
	if maxEntries <= 0 {
		maxEntries = DefaultMaxEntries
	}
	return &MemoryStore{max: maxEntries, now: time.Now, entries: make(map[string]*list.Element), order: list.New()}
}

// Len returns the number of ids held, expired ones not yet dropped included.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// Claim implements Store.
func (s *MemoryStore) Claim(_ context.Context, id string, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.prune(now)
	if el, ok := s.entries[id]; ok {
		e := el.Value.(*memEntry)
		if !now.After(e.expires) { // live through the instant it expires: see Store
			if e.done {
				return ErrDuplicate
			}
			return ErrInFlight
		}
		s.remove(el)
	}
	s.add(&memEntry{id: id, expires: now.Add(ttl)})
	return nil
}

// Complete implements Store.
func (s *MemoryStore) Complete(_ context.Context, id string, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if el, ok := s.entries[id]; ok {
		s.remove(el)
	}
	s.add(&memEntry{id: id, done: true, expires: now.Add(ttl)})
	return nil
}

// Release implements Store.
func (s *MemoryStore) Release(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.entries[id]; ok && !el.Value.(*memEntry).done {
		s.remove(el)
	}
	return nil
}

func (s *MemoryStore) add(e *memEntry) {
	s.entries[e.id] = s.order.PushBack(e)
	for len(s.entries) > s.max {
		s.remove(s.order.Front())
	}
}

func (s *MemoryStore) remove(el *list.Element) {
	delete(s.entries, el.Value.(*memEntry).id)
	s.order.Remove(el)
}

// prune drops expired entries from the front of the list. Entries are in update order, which is
// expiry order when TTLs do not vary, so this stops at the first live one; an expired entry behind
// it is dropped later, or by the size bound.
func (s *MemoryStore) prune(now time.Time) {
	for el := s.order.Front(); el != nil; el = s.order.Front() {
		if !now.After(el.Value.(*memEntry).expires) {
			return
		}
		s.remove(el)
	}
}
