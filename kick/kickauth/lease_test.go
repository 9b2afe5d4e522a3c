package kickauth_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// leaseStore is a TokenStore with leases and fencing, as a store shared by hosts has: every lease
// gets the next fence, SaveFenced refuses a fence older than the stored token's, and Save counts
// as a save under a new fence. The test ends a lease with expire, as if its holder had stopped
// renewing it, and makes saves fail with setFail.
type leaseStore struct {
	*kickauth.MemoryStore

	mu       sync.Mutex
	fence    int64            // the last fence granted
	saved    map[string]int64 // key -> fence of the stored token
	holder   *fakeLease       // the current lease, nil when the lock is free
	free     chan struct{}    // closed when the lock becomes free
	fail     error            // returned by the next saves while set
	plain    int              // Lock calls
	fenced   []int64          // fences of SaveFenced calls, refused ones included
	expireOn func(l *fakeLease)
	// afterLoad, if set, runs after each Load, before it returns.
	afterLoad func()
}

type fakeLease struct {
	s     *leaseStore
	fence int64
	done  chan struct{}
	once  sync.Once
}

func newLeaseStore() *leaseStore {
	return &leaseStore{MemoryStore: kickauth.NewMemoryStore(), saved: map[string]int64{}}
}

func (s *leaseStore) LockLease(ctx context.Context, _ string) (kickauth.Lease, error) {
	for {
		s.mu.Lock()
		if s.holder == nil {
			s.fence++
			l := &fakeLease{s: s, fence: s.fence, done: make(chan struct{})}
			s.holder, s.free = l, make(chan struct{})
			hook := s.expireOn
			s.mu.Unlock()
			if hook != nil {
				hook(l)
			}
			return l, nil
		}
		free := s.free
		s.mu.Unlock()
		select {
		case <-free:
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
}

func (s *leaseStore) Lock(ctx context.Context, key string) (func() error, error) {
	s.mu.Lock()
	s.plain++
	s.mu.Unlock()
	l, err := s.LockLease(ctx, key)
	if err != nil {
		return nil, err
	}
	return l.Unlock, nil
}

// end ends the lease and frees the lock if the lease still holds it.
func (l *fakeLease) end() {
	l.once.Do(func() {
		close(l.done)
		l.s.mu.Lock()
		if l.s.holder == l {
			l.s.holder = nil
			close(l.s.free)
		}
		l.s.mu.Unlock()
	})
}

func (l *fakeLease) Fence() int64          { return l.fence }
func (l *fakeLease) Done() <-chan struct{} { return l.done }
func (l *fakeLease) Unlock() error         { l.end(); return nil }

// expire ends the lease as its running out would: the holder is not told, except through Done.
func (l *fakeLease) expire() { l.end() }

func (s *leaseStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.fence++
	s.saved[key] = s.fence
	return s.MemoryStore.Save(ctx, key, tok)
}

func (s *leaseStore) SaveFenced(ctx context.Context, key string, tok *oauth2.Token, fence int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fenced = append(s.fenced, fence)
	if s.fail != nil {
		return s.fail
	}
	if s.saved[key] > fence {
		return fmt.Errorf("fence %d, stored %d: %w", fence, s.saved[key], kickauth.ErrFenced)
	}
	s.saved[key] = fence
	return s.MemoryStore.Save(ctx, key, tok)
}

func (s *leaseStore) Load(ctx context.Context, key string) (*oauth2.Token, error) {
	tok, err := s.MemoryStore.Load(ctx, key)
	if s.afterLoad != nil {
		s.afterLoad()
	}
	return tok, err
}

func (s *leaseStore) setFail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

func (s *leaseStore) stats() (plain int, fenced []int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.plain, append([]int64(nil), s.fenced...)
}

// A source on a store with leases takes a lease, not the plain lock, and saves the refreshed token
// under the lease's fence.
func TestUserSourceSavesUnderItsLease(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	s := newLeaseStore()
	mustSave(t, s, f.seedUserToken(time.Now().Add(-time.Minute))) // fence 1
	src := newUserSource(t, f, s)
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	plain, fenced := s.stats()
	if plain != 0 || len(fenced) != 1 || fenced[0] != 2 {
		t.Errorf("Lock called %d times, SaveFenced with fences %v; want a lease and one SaveFenced with fence 2", plain, fenced)
	}
	if stored, _ := s.Load(t.Context(), testKey); stored.AccessToken != tok.AccessToken {
		t.Error("the store does not hold the refreshed token")
	}
	if n := f.count("refresh_token"); n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
}

// A source whose lease ended before it sent the refresh token sends nothing: another process may
// hold the lock and be spending that refresh token.
func TestUserSourceLeaseLostBeforeRefresh(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	s := newLeaseStore()
	mustSave(t, s, f.seedUserToken(time.Now().Add(-time.Minute)))
	s.expireOn = func(l *fakeLease) { l.expire() }
	src := newUserSource(t, f, s)
	_, err := src.Token()
	if !errors.Is(err, kickauth.ErrLeaseLost) {
		t.Errorf("Token: %v, want ErrLeaseLost", err)
	}
	if n := f.count("refresh_token"); n != 0 {
		t.Errorf("%d refresh requests after the lease was lost, want 0", n)
	}
	// A later call takes a new lease and refreshes (once a backoff after the failure, if any, is
	// over).
	s.mu.Lock()
	s.expireOn = nil
	s.mu.Unlock()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		_, err := src.Token()
		if err == nil {
			break
		}
		if errors.Is(err, kickauth.ErrLeaseLost) && f.count("refresh_token") == 0 && time.Now().Before(deadline) {
			continue
		}
		t.Fatalf("Token with a lease that holds: %v", err)
	}
	if n := f.count("refresh_token"); n != 1 {
		t.Errorf("%d refresh requests, want 1", n)
	}
}

// A source that lost its lease during the refresh, while another process took the lock,
// refreshed and saved, does not overwrite the newer token: the store refuses its save (the
// fencing check), and it adopts the newer token.
func TestUserSourceFencedSaveAdoptsNewerToken(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	f.keepRefreshToken = true // a lenient Kick: both refreshes succeed
	s := newLeaseStore()
	mustSave(t, s, f.seedUserToken(time.Now().Add(-time.Minute)))
	newer := &oauth2.Token{AccessToken: "at-newer", TokenType: "Bearer", RefreshToken: "rt-newer", Expiry: time.Now().Add(2 * time.Hour)}
	slow := make(chan *fakeLease, 1)
	s.expireOn = func(l *fakeLease) { slow <- l }
	f.beforeRefreshAnswer = func(string, string) {
		// While Kick answers the first process: its lease runs out, a second process takes the
		// lock and saves a newer token.
		(<-slow).expire()
		s.mu.Lock()
		s.expireOn = nil
		s.mu.Unlock()
		l, err := s.LockLease(context.Background(), testKey)
		if err != nil {
			t.Error(err)
			return
		}
		if err := s.SaveFenced(context.Background(), testKey, newer, l.Fence()); err != nil {
			t.Error(err)
		}
		_ = l.Unlock()
	}
	src := newUserSource(t, f, s)
	tok, err := src.Token()
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if tok.AccessToken != newer.AccessToken {
		t.Errorf("Token = %v, want the newer token the store holds", kickauth.Redact(tok))
	}
	if stored, _ := s.Load(t.Context(), testKey); stored.AccessToken != newer.AccessToken {
		t.Errorf("the store holds %v: the stale process overwrote the newer token", kickauth.Redact(stored))
	}
	_, fenced := s.stats()
	if len(fenced) != 2 || fenced[0] != 3 || fenced[1] != 2 {
		t.Errorf("SaveFenced fences %v, want [3 2]: the newer save, then the refused stale one", fenced)
	}
}

// A token refreshed but not saved (the store failed) is saved later under the fence of the lease
// it was refreshed under: if a later holder saved a newer token meanwhile, the held one loses,
// and the newer is adopted without asking Kick again.
func TestUserSourceHeldTokenKeepsItsFence(t *testing.T) {
	t.Parallel()
	for _, newerSaved := range []bool{false, true} {
		t.Run(fmt.Sprintf("newer saved meanwhile=%v", newerSaved), func(t *testing.T) {
			t.Parallel()
			f := newFakeKick(t)
			s := newLeaseStore()
			mustSave(t, s, f.seedUserToken(time.Now().Add(-time.Minute))) // fence 1
			heldAT := make(chan string, 1)
			f.beforeRefreshAnswer = func(at, _ string) { heldAT <- at }
			src := newUserSource(t, f, s)
			s.setFail(errors.New("redis: connection refused"))
			if _, err := src.Token(); err == nil {
				t.Fatal("Token succeeded while the store failed")
			}
			s.setFail(nil)
			want := <-heldAT
			if newerSaved {
				l, err := s.LockLease(t.Context(), testKey)
				if err != nil {
					t.Fatal(err)
				}
				newer := &oauth2.Token{AccessToken: "at-newer", RefreshToken: "rt-newer", Expiry: time.Now().Add(time.Hour)}
				if err := s.SaveFenced(t.Context(), testKey, newer, l.Fence()); err != nil {
					t.Fatal(err)
				}
				_ = l.Unlock()
				want = "at-newer"
			}
			tok, err := src.Token()
			if err != nil {
				t.Fatalf("Token after the store recovered: %v", err)
			}
			stored, _ := s.Load(t.Context(), testKey)
			if tok.AccessToken != want || stored.AccessToken != want {
				t.Errorf("Token = %v, store = %v; want the access token %q", kickauth.Redact(tok), kickauth.Redact(stored), want)
			}
			if n := f.count("refresh_token"); n != 1 {
				t.Errorf("%d refreshes, want 1", n)
			}
			_, fenced := s.stats()
			if len(fenced) == 0 || fenced[len(fenced)-1] != 2 {
				t.Errorf("SaveFenced fences %v: the held token was not saved under its lease's fence 2", fenced)
			}
		})
	}
}

// The first case: process A's lease runs out while its refresh is at Kick (A paused), B
// takes the lock, refreshes and saves, and Kick then answers A invalid_grant, since B spent the
// refresh token. A re-reads the store before it reports anything: it hands out B's token, not
// ErrReauthorize, and the store keeps B's token.
func TestUserSourceLostLeaseRereadsTheStore(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	s := newLeaseStore()
	mustSave(t, s, f.seedUserToken(time.Now().Add(-time.Minute)))
	leases := make(chan *fakeLease, 2)
	s.expireOn = func(l *fakeLease) { leases <- l }
	a, b := newUserSource(t, f, s), newUserSource(t, f, s)
	var first atomic.Bool
	var bTok *oauth2.Token
	f.onRefresh = func(string) {
		if !first.CompareAndSwap(false, true) {
			return // B's refresh
		}
		// A's refresh, at Kick: A pauses past its lease, and B refreshes meanwhile.
		(<-leases).expire()
		var err error
		if bTok, err = b.Token(); err != nil {
			t.Errorf("B: %v", err)
		}
	}
	tok, err := a.Token()
	if err != nil {
		t.Fatalf("A: %v; want B's token from the store", err)
	}
	if bTok == nil || tok.AccessToken != bTok.AccessToken {
		t.Errorf("A got %v, want B's token %v", kickauth.Redact(tok), kickauth.Redact(bTok))
	}
	if stored, _ := s.Load(t.Context(), testKey); bTok == nil || stored.AccessToken != bTok.AccessToken {
		t.Errorf("the store holds %v, want B's token", kickauth.Redact(stored))
	}
	if n := f.count("refresh_token"); n != 2 {
		t.Errorf("%d refreshes, want 2 (B's, and A's refused one)", n)
	}
	// A's next call uses the same token without asking Kick.
	if again, err := a.Token(); err != nil || again.AccessToken != tok.AccessToken || f.count("refresh_token") != 2 {
		t.Errorf("A again: %v, %v, %d refreshes", kickauth.Redact(again), err, f.count("refresh_token"))
	}
}

// A lease lost after the token was loaded and before the refresh was sent: the store is re-read,
// and a valid token another process saved meanwhile is handed out instead of ErrLeaseLost.
func TestUserSourceLeaseLostBeforeRefreshAdoptsTheStoredToken(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	s := newLeaseStore()
	mustSave(t, s, f.seedUserToken(time.Now().Add(-time.Minute)))
	newer := &oauth2.Token{AccessToken: "at-newer", TokenType: "Bearer", RefreshToken: "rt-newer", Expiry: time.Now().Add(2 * time.Hour)}
	leases := make(chan *fakeLease, 2)
	s.expireOn = func(l *fakeLease) { leases <- l }
	var first atomic.Bool
	s.afterLoad = func() {
		if !first.CompareAndSwap(false, true) {
			return
		}
		// The source paused past its lease; another process took the lock and saved.
		(<-leases).expire()
		l2, err := s.LockLease(context.Background(), testKey)
		if err != nil {
			t.Error(err)
			return
		}
		if err := s.SaveFenced(context.Background(), testKey, newer, l2.Fence()); err != nil {
			t.Error(err)
		}
		_ = l2.Unlock()
	}
	src := newUserSource(t, f, s)
	tok, err := src.Token()
	if err != nil {
		t.Fatalf("Token: %v; want the token the store holds", err)
	}
	if tok.AccessToken != newer.AccessToken {
		t.Errorf("Token = %v, want the stored token", kickauth.Redact(tok))
	}
	if n := f.count("refresh_token"); n != 0 {
		t.Errorf("%d refreshes, want 0", n)
	}
}

// The store lost the token (Redis restarted empty) while a source holds a valid one in memory:
// when that token is due, the source refreshes with its own refresh token and saves the result,
// refilling the store, instead of reporting ErrReauthorize. A source that never held a token
// still reports it.
func TestUserSourceRefillsAnEmptyStore(t *testing.T) {
	t.Parallel()
	for _, lease := range []bool{false, true} {
		t.Run(fmt.Sprintf("lease=%v", lease), func(t *testing.T) {
			t.Parallel()
			f := newFakeKick(t)
			var s store = kickauth.NewMemoryStore()
			if lease {
				s = newLeaseStore()
			}
			mustSave(t, s, f.seedUserToken(time.Now().Add(-time.Minute)))
			src := newUserSource(t, f, s)
			first, err := src.Token()
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Delete(t.Context(), testKey); err != nil { // the store restarts empty
				t.Fatal(err)
			}
			src.Invalidate(first.AccessToken) // the token is due
			tok, err := src.Token()
			if err != nil {
				t.Fatalf("Token after the store lost the token: %v", err)
			}
			if tok.AccessToken == first.AccessToken {
				t.Error("Token handed out the invalidated token")
			}
			stored, err := s.Load(t.Context(), testKey)
			if err != nil || stored.RefreshToken != tok.RefreshToken {
				t.Errorf("the store holds %v, %v; want the refreshed token", kickauth.Redact(stored), err)
			}
			if n := f.count("refresh_token"); n != 2 {
				t.Errorf("%d refreshes, want 2", n)
			}
			fresh := newUserSource(t, f, kickauth.NewMemoryStore())
			if _, err := fresh.Token(); !errors.Is(err, kickauth.ErrReauthorize) || !errors.Is(err, kickauth.ErrNoToken) {
				t.Errorf("a source that never held a token, on an empty store: %v, want ErrReauthorize", err)
			}
		})
	}
}
