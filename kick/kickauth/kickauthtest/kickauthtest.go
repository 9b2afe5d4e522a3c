// Package kickauthtest tests implementations of kickauth's store interfaces. TestTokenStore checks
// what kickauth's token sources rely on: a kickauth.TokenStore's Load and Save, and its Locker,
// LeaseLocker and FencedStore methods when it has them, down to the promise they exist for —
// token sources sharing the store refresh a user token once between them, and share one app
// token. kickauth's MemoryStore and FileStore pass it, and so does the Redis store of
// github.com/kick-sdk/kick-go/kickredis. Run it on your own store:
//
//	func TestPostgresStore(t *testing.T) {
//		kickauthtest.TestTokenStore(t, func(t *testing.T) kickauth.TokenStore {
//			return newPostgresStore(t) // empty, or holding no key the suite uses
//		})
//	}
//
// The suite runs its subtests in parallel, each on a store of its own from newStore, with keys of
// its own (random, so that stores sharing a database do not collide).
package kickauthtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// TestTokenStore tests the TokenStore that newStore returns, calling it once per subtest. The
// subtests of optional interfaces skip when the store lacks them: Delete (a method
// Delete(ctx, key) error), Lock (kickauth.Locker), Lease (kickauth.LeaseLocker), Fencing
// (kickauth.FencedStore with kickauth.LeaseLocker), and OneRefresh and SharedAppToken, which need
// a Locker or a LeaseLocker: without a lock, sources sharing a store cannot refresh once.
func TestTokenStore(t *testing.T, newStore func(t *testing.T) kickauth.TokenStore) {
	t.Helper()
	for _, st := range []struct {
		name string
		fn   func(tb, kickauth.TokenStore)
	}{
		{"LoadSave", testLoadSave},
		{"Keys", testKeys},
		{"Copies", testCopies},
		{"Delete", testDelete},
		{"Concurrent", testConcurrent},
		{"Lock", testLock},
		{"Lease", testLease},
		{"Fencing", testFencing},
		{"OneRefresh", testOneRefresh},
		{"SharedAppToken", testSharedAppToken},
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

// tb is the part of testing.TB the suite's checks use; *testing.T has it. The package's own tests
// run the checks with a tb that records failures, to prove that the checks fail broken stores.
type tb interface {
	Helper()
	Context() context.Context
	Cleanup(f func())
	Error(args ...any)
	Errorf(format string, args ...any)
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	FailNow()
	Failed() bool
	Skip(args ...any)
}

// newKey returns a store key no other test uses.
func newKey(account string) string {
	return kickauth.StoreKey("kickauthtest-"+randomHex(6), account)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newToken returns a user token with every field a store must keep.
func newToken(label string, expiry time.Time) *oauth2.Token {
	tok := &oauth2.Token{AccessToken: "at-" + label + "-" + randomHex(8), TokenType: "Bearer",
		RefreshToken: "rt-" + label + "-" + randomHex(8), Expiry: expiry}
	return tok.WithExtra(map[string]any{"scope": "user:read chat:write"})
}

// checkToken reports a difference in the fields a store must keep. Expiry may lose precision
// below a second (a database column may keep less than nanoseconds).
func checkToken(t tb, what string, got, want *oauth2.Token) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: nil token", what)
		return
	}
	gotScope, _ := got.Extra("scope").(string)
	wantScope, _ := want.Extra("scope").(string)
	if got.AccessToken != want.AccessToken || got.TokenType != want.TokenType ||
		got.RefreshToken != want.RefreshToken || gotScope != wantScope {
		t.Errorf("%s: got %v with scope %q, want %v with scope %q", what, kickauth.Redact(got), gotScope,
			kickauth.Redact(want), wantScope)
	}
	if want.Expiry.IsZero() != got.Expiry.IsZero() || got.Expiry.Sub(want.Expiry).Abs() >= time.Second {
		t.Errorf("%s: expiry %v, want %v", what, got.Expiry, want.Expiry)
	}
}

func mustSave(t tb, s kickauth.TokenStore, key string, tok *oauth2.Token) {
	t.Helper()
	if err := s.Save(t.Context(), key, tok); err != nil {
		t.Fatalf("Save(%q): %v", key, err)
	}
}

func mustLoad(t tb, s kickauth.TokenStore, key string) *oauth2.Token {
	t.Helper()
	tok, err := s.Load(t.Context(), key)
	if err != nil {
		t.Fatalf("Load(%q): %v", key, err)
	}
	return tok
}

func testLoadSave(t tb, s kickauth.TokenStore) {
	ctx := t.Context()
	key := newKey("alice")
	if tok, err := s.Load(ctx, key); !errors.Is(err, kickauth.ErrNoToken) {
		t.Fatalf("Load of a key never saved: %v, %v; want an error matching ErrNoToken", kickauth.Redact(tok), err)
	}
	first := newToken("first", time.Now().Add(2*time.Hour))
	mustSave(t, s, key, first)
	checkToken(t, "Load after Save", mustLoad(t, s, key), first)

	second := newToken("second", time.Now().Add(4*time.Hour))
	mustSave(t, s, key, second)
	checkToken(t, "Load after a second Save", mustLoad(t, s, key), second)

	// A token without expiry, scope or refresh token (an app token that does not expire).
	bare := &oauth2.Token{AccessToken: "at-bare-" + randomHex(8), TokenType: "Bearer"}
	mustSave(t, s, key, bare)
	checkToken(t, "Load of a token without expiry, scope and refresh token", mustLoad(t, s, key), bare)

	// An expired token is kept: its refresh token is what renews it.
	expired := newToken("expired", time.Now().Add(-time.Hour))
	mustSave(t, s, key, expired)
	checkToken(t, "Load of an expired token", mustLoad(t, s, key), expired)
}

func testKeys(t tb, s kickauth.TokenStore) {
	ctx := t.Context()
	base := "kickauthtest-" + randomHex(6)
	// Keys that differ in case, in escaping, or only by characters with a meaning in paths or in
	// Redis Cluster hash tags are different keys.
	accounts := []string{"alice", "Alice", "bob", "a/b", "a%2Fb", "{tag}", "}{", "user:1", "ünïcödé",
		"with space", strings.Repeat("long", 64)}
	keys := make([]string, 0, len(accounts)+1)
	for _, a := range accounts {
		keys = append(keys, kickauth.StoreKey(base, a))
	}
	keys = append(keys, kickauth.AppStoreKey(base))
	toks := make([]*oauth2.Token, len(keys))
	for i, key := range keys {
		toks[i] = newToken(fmt.Sprint(i), time.Now().Add(time.Hour))
		mustSave(t, s, key, toks[i])
	}
	for i, key := range keys {
		checkToken(t, fmt.Sprintf("Load(%q)", key), mustLoad(t, s, key), toks[i])
	}
	if _, err := s.Load(ctx, kickauth.StoreKey(base, "carol")); !errors.Is(err, kickauth.ErrNoToken) {
		t.Errorf("Load of an unsaved key beside saved ones: %v, want ErrNoToken", err)
	}
}

func testCopies(t tb, s kickauth.TokenStore) {
	key := newKey("alice")
	tok := newToken("copy", time.Now().Add(time.Hour))
	want := *tok
	mustSave(t, s, key, tok)
	tok.AccessToken, tok.RefreshToken = "changed after Save", "changed after Save"
	got := mustLoad(t, s, key)
	checkToken(t, "Load after the saved token was changed", got, &want)
	got.AccessToken = "changed after Load"
	checkToken(t, "Load after a loaded token was changed", mustLoad(t, s, key), &want)
}

// deleter is the optional Delete method of MemoryStore and FileStore.
type deleter interface {
	Delete(ctx context.Context, key string) error
}

func testDelete(t tb, s kickauth.TokenStore) {
	d, ok := s.(deleter)
	if !ok {
		t.Skip("the store has no method Delete(ctx, key) error")
	}
	ctx := t.Context()
	key, other := newKey("alice"), newKey("bob")
	mustSave(t, s, key, newToken("a", time.Now().Add(time.Hour)))
	kept := newToken("b", time.Now().Add(time.Hour))
	mustSave(t, s, other, kept)
	if err := d.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, key); !errors.Is(err, kickauth.ErrNoToken) {
		t.Errorf("Load after Delete: %v, want ErrNoToken", err)
	}
	checkToken(t, "another key after Delete", mustLoad(t, s, other), kept)
	if err := d.Delete(ctx, key); err != nil {
		t.Errorf("Delete of a missing key: %v", err)
	}
}

// testConcurrent saves and loads from many goroutines: a Load sees one whole token that was
// saved, never a mix of two.
func testConcurrent(t tb, s kickauth.TokenStore) {
	ctx := t.Context()
	keys := []string{newKey("0"), newKey("1"), newKey("2")}
	var mu sync.Mutex
	saved := map[string]string{} // access token -> refresh token
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			key := keys[i%len(keys)]
			tok := newToken(fmt.Sprint(i), time.Now().Add(time.Hour))
			mu.Lock()
			saved[tok.AccessToken] = tok.RefreshToken
			mu.Unlock()
			if err := s.Save(ctx, key, tok); err != nil {
				t.Errorf("Save: %v", err)
				return
			}
			got, err := s.Load(ctx, key)
			if err != nil {
				t.Errorf("Load: %v", err)
				return
			}
			mu.Lock()
			rt, ok := saved[got.AccessToken]
			mu.Unlock()
			if !ok || rt != got.RefreshToken {
				t.Errorf("Load returned a token that was never saved whole: %v", kickauth.Redact(got))
			}
		})
	}
	wg.Wait()
}

// locker returns the store's lock as a function that locks a key, preferring Locker.
func lockFunc(s kickauth.TokenStore) func(ctx context.Context, key string) (func() error, error) {
	if l, ok := s.(kickauth.Locker); ok {
		return l.Lock
	}
	if l, ok := s.(kickauth.LeaseLocker); ok {
		return func(ctx context.Context, key string) (func() error, error) {
			lease, err := l.LockLease(ctx, key)
			if err != nil {
				return nil, err
			}
			return lease.Unlock, nil
		}
	}
	return nil
}

func testLock(t tb, s kickauth.TokenStore) {
	lock := lockFunc(s)
	if lock == nil {
		t.Skip("the store implements neither kickauth.Locker nor kickauth.LeaseLocker")
	}
	ctx := t.Context()
	key, other := newKey("alice"), newKey("bob")
	unlock, err := lock(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if u, err := lock(short, key); !errors.Is(err, context.DeadlineExceeded) {
		if err == nil {
			_ = u()
		}
		t.Errorf("Lock of a held key: %v, want an error matching context.DeadlineExceeded once ctx ends", err)
	}
	unlockOther, err := lock(ctx, other)
	if err != nil {
		t.Fatalf("Lock of another key while one is held: %v", err)
	}
	if err := unlockOther(); err != nil {
		t.Errorf("unlock: %v", err)
	}
	if err := unlock(); err != nil {
		t.Errorf("unlock: %v", err)
	}
	unlock, err = lock(ctx, key)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	if err := unlock(); err != nil {
		t.Errorf("unlock: %v", err)
	}

	// Mutual exclusion: a read-modify-write under the lock loses no update.
	var counter atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			unlock, err := lock(ctx, key)
			if err != nil {
				t.Error(err)
				return
			}
			n := counter.Load() // a read-modify-write that a second holder would break
			time.Sleep(time.Millisecond)
			counter.Store(n + 1)
			if err := unlock(); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := counter.Load(); n != 16 {
		t.Errorf("%d of 16 increments under the lock survived: two goroutines held it at once", n)
	}
}

func testLease(t tb, s kickauth.TokenStore) {
	l, ok := s.(kickauth.LeaseLocker)
	if !ok {
		t.Skip("the store does not implement kickauth.LeaseLocker")
	}
	ctx := t.Context()
	key := newKey("alice")
	first, err := l.LockLease(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-first.Done():
		t.Error("Done is closed while the lease is held")
	default:
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if second, err := l.LockLease(short, key); !errors.Is(err, context.DeadlineExceeded) {
		if err == nil {
			_ = second.Unlock()
		}
		t.Errorf("LockLease of a leased key: %v, want an error matching context.DeadlineExceeded", err)
	}
	if plain, ok := s.(kickauth.Locker); ok {
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if u, err := plain.Lock(short, key); !errors.Is(err, context.DeadlineExceeded) {
			if err == nil {
				_ = u()
			}
			t.Errorf("Lock of a leased key: %v, want an error matching context.DeadlineExceeded", err)
		}
	}
	if err := first.Unlock(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-first.Done():
	default:
		t.Error("Done is not closed after Unlock returned")
	}
	fence := first.Fence()
	for i := range 3 {
		next, err := l.LockLease(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if next.Fence() <= fence {
			t.Errorf("lease %d of the key has fence %d, not greater than the previous %d", i+2, next.Fence(), fence)
		}
		fence = next.Fence()
		if err := next.Unlock(); err != nil {
			t.Fatal(err)
		}
	}
}

func testFencing(t tb, s kickauth.TokenStore) {
	fs, ok := s.(kickauth.FencedStore)
	l, lok := s.(kickauth.LeaseLocker)
	if !ok || !lok {
		t.Skip("the store does not implement both kickauth.FencedStore and kickauth.LeaseLocker")
	}
	ctx := t.Context()
	key := newKey("alice")
	lease := func() int64 {
		t.Helper()
		le, err := l.LockLease(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if err := le.Unlock(); err != nil {
			t.Fatal(err)
		}
		return le.Fence()
	}
	exp := time.Now().Add(time.Hour)
	old, later := lease(), lease()

	// Under the later lease first: the holder of the older one lost its lease meanwhile.
	newer := newToken("newer", exp)
	if err := fs.SaveFenced(ctx, key, newer, later); err != nil {
		t.Fatalf("SaveFenced under the latest lease: %v", err)
	}
	if err := fs.SaveFenced(ctx, key, newToken("stale", exp), old); !errors.Is(err, kickauth.ErrFenced) {
		t.Errorf("SaveFenced under an older lease than the stored token's: %v, want ErrFenced", err)
	}
	checkToken(t, "Load after a refused SaveFenced", mustLoad(t, s, key), newer)
	again := newToken("again", exp)
	if err := fs.SaveFenced(ctx, key, again, later); err != nil {
		t.Errorf("SaveFenced under the same lease again: %v", err)
	}
	checkToken(t, "Load after a second SaveFenced under one lease", mustLoad(t, s, key), again)

	// Save is a new authorization: it supersedes every lease granted before it.
	authorized := newToken("authorized", exp)
	mustSave(t, s, key, authorized)
	if err := fs.SaveFenced(ctx, key, newToken("after-save", exp), later); !errors.Is(err, kickauth.ErrFenced) {
		t.Errorf("SaveFenced under a lease granted before a Save: %v, want ErrFenced", err)
	}
	checkToken(t, "Load after SaveFenced lost to Save", mustLoad(t, s, key), authorized)
	afterSave := lease()
	refreshed := newToken("refreshed", exp)
	if err := fs.SaveFenced(ctx, key, refreshed, afterSave); err != nil {
		t.Errorf("SaveFenced under a lease granted after a Save: %v", err)
	}
	checkToken(t, "Load after SaveFenced under a lease newer than Save", mustLoad(t, s, key), refreshed)

	// A lease of a key with no token yet.
	fresh := newKey("bob")
	le, err := l.LockLease(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	first := newToken("first", exp)
	if err := fs.SaveFenced(ctx, fresh, first, le.Fence()); err != nil {
		t.Errorf("SaveFenced of a new key: %v", err)
	}
	_ = le.Unlock()
	checkToken(t, "Load of a new key saved with SaveFenced", mustLoad(t, s, fresh), first)
}

// tokenEndpoint is a fake Kick token endpoint that rotates refresh tokens strictly: a refresh
// token works once.
type tokenEndpoint struct {
	srv *httptest.Server

	mu       sync.Mutex
	valid    map[string]bool
	issued   []*oauth2.Token
	requests map[string]int // per grant_type
}

func newTokenEndpoint(t tb) *tokenEndpoint {
	e := &tokenEndpoint{valid: map[string]bool{}, requests: map[string]int{}}
	e.srv = httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *tokenEndpoint) serve(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if r.Method != http.MethodPost || r.URL.Path != "/oauth/token" || r.ParseForm() != nil {
		http.Error(w, `{"error":"invalid_request"}`, http.StatusBadRequest)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	grant := r.PostForm.Get("grant_type")
	e.requests[grant]++
	w.Header().Set("Content-Type", "application/json")
	switch grant {
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		if !e.valid[rt] {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"invalid_grant","error_description":"refresh token unknown or already used"}`)
			return
		}
		delete(e.valid, rt)
		tok := newToken(fmt.Sprintf("refreshed%d", len(e.issued)), time.Time{})
		e.valid[tok.RefreshToken] = true
		e.issued = append(e.issued, tok)
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","refresh_token":%q,"expires_in":7200,"scope":"user:read chat:write"}`,
			tok.AccessToken, tok.RefreshToken)
	case "client_credentials":
		tok := &oauth2.Token{AccessToken: fmt.Sprintf("app-%d-%s", len(e.issued), randomHex(8))}
		e.issued = append(e.issued, tok)
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":5184000}`, tok.AccessToken)
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"unsupported_grant_type"}`)
	}
}

func (e *tokenEndpoint) config() *oauth2.Config {
	cfg := kickauth.NewConfig("kickauthtest-client", "kickauthtest-secret", "http://localhost:8976/callback")
	cfg.Endpoint = kickauth.EndpointAt(e.srv.URL)
	return cfg
}

// seed returns an expired user token whose refresh token the endpoint accepts.
func (e *tokenEndpoint) seed() *oauth2.Token {
	tok := newToken("seed", time.Now().Add(-time.Minute))
	e.mu.Lock()
	e.valid[tok.RefreshToken] = true
	e.mu.Unlock()
	return tok
}

func (e *tokenEndpoint) count(grant string) (int, []*oauth2.Token) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.requests[grant], append([]*oauth2.Token(nil), e.issued...)
}

// Sources of one store, each with its own cache, stand for processes sharing the store.
const (
	sources       = 6
	callersPerSrc = 8
)

// testOneRefresh: sources sharing the store, whose token expired, refresh it once between them,
// all end with the rotated token, and the store holds it.
func testOneRefresh(t tb, s kickauth.TokenStore) {
	if lockFunc(s) == nil {
		t.Skip("the store implements neither kickauth.Locker nor kickauth.LeaseLocker")
	}
	ctx := t.Context()
	e := newTokenEndpoint(t)
	key := newKey("alice")
	mustSave(t, s, key, e.seed())
	got := callConcurrently(t, func() (oauth2.TokenSource, error) {
		return kickauth.UserTokenSource(ctx, e.config(), s, key)
	})
	n, issued := e.count("refresh_token")
	if n != 1 {
		t.Fatalf("%d refresh requests from %d sources sharing the store, want 1", n, sources)
	}
	for _, at := range got {
		if at != issued[0].AccessToken {
			t.Fatalf("a source got an access token other than the refreshed one")
		}
	}
	stored := mustLoad(t, s, key)
	if stored.AccessToken != issued[0].AccessToken || stored.RefreshToken != issued[0].RefreshToken {
		t.Errorf("the store holds %v, not the refreshed token", kickauth.Redact(stored))
	}
	if left := time.Until(stored.Expiry); left <= time.Hour || left > 2*time.Hour {
		t.Errorf("the stored token expires in %v, want about the 2 hours the endpoint gave", left)
	}
}

// testSharedAppToken: app token sources sharing the store fetch one app token between them.
func testSharedAppToken(t tb, s kickauth.TokenStore) {
	if lockFunc(s) == nil {
		t.Skip("the store implements neither kickauth.Locker nor kickauth.LeaseLocker")
	}
	ctx := t.Context()
	e := newTokenEndpoint(t)
	cfg := e.config()
	cfg.ClientID = "kickauthtest-" + randomHex(6)
	got := callConcurrently(t, func() (oauth2.TokenSource, error) {
		return kickauth.AppTokenSource(ctx, cfg, kickauth.WithAppTokenStore(s, "")), nil
	})
	n, issued := e.count("client_credentials")
	if n != 1 {
		t.Fatalf("%d app token requests from %d sources sharing the store, want 1", n, sources)
	}
	for _, at := range got {
		if at != issued[0].AccessToken {
			t.Fatalf("a source got an app token other than the one fetched")
		}
	}
	if tok := mustLoad(t, s, kickauth.AppStoreKey(cfg.ClientID)); tok.AccessToken != issued[0].AccessToken {
		t.Errorf("the store holds %v, not the fetched app token", kickauth.Redact(tok))
	}
}

// callConcurrently makes sources with newSource and calls Token callersPerSrc times on each, all
// at once; it returns the access tokens they got.
func callConcurrently(t tb, newSource func() (oauth2.TokenSource, error)) []string {
	t.Helper()
	start := make(chan struct{})
	got := make([]string, sources*callersPerSrc)
	var wg sync.WaitGroup
	for i := range sources {
		src, err := newSource()
		if err != nil {
			t.Fatal(err)
		}
		for j := range callersPerSrc {
			wg.Go(func() {
				<-start
				tok, err := src.Token()
				if err != nil {
					t.Errorf("Token: %v", err)
					return
				}
				got[i*callersPerSrc+j] = tok.AccessToken
			})
		}
	}
	close(start)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return got
}
