package kickauth_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

var testKey = kickauth.StoreKey(testClientID, "alice")

// recordingStore numbers every Save on a clock shared with the test, and can be made to fail.
type recordingStore struct {
	store
	clock *atomic.Int64

	mu      sync.Mutex
	savedAt map[string]int64 // access token → clock at its Save
	fail    bool
}

func newRecordingStore(s store, clock *atomic.Int64) *recordingStore {
	return &recordingStore{store: s, clock: clock, savedAt: map[string]int64{}}
}

func (r *recordingStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return fmt.Errorf("database is read-only (row %s)", tok.RefreshToken) // a careless store quotes the token
	}
	if err := r.store.Save(ctx, key, tok); err != nil {
		return err
	}
	r.savedAt[tok.AccessToken] = r.clock.Add(1)
	return nil
}

func (r *recordingStore) setFail(fail bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = fail
}

func (r *recordingStore) saved(accessToken string) (int64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n, ok := r.savedAt[accessToken]
	return n, ok
}

func mustSave(t *testing.T, s kickauth.TokenStore, tok *oauth2.Token) {
	t.Helper()
	if err := s.Save(t.Context(), testKey, tok); err != nil {
		t.Fatal(err)
	}
}

func newUserSource(t *testing.T, f *fakeKick, s kickauth.TokenStore, opts ...kickauth.Option) *kickauth.UserSource {
	t.Helper()
	src, err := kickauth.UserTokenSource(t.Context(), f.config(), s, testKey, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// unlocked returns s as a kickauth.TokenStore that is not a Locker, like a user's database store
// without one: the source's own one-refresh-at-a-time is then all that prevents a stampede.
func unlocked(s kickauth.TokenStore) kickauth.TokenStore {
	return struct{ kickauth.TokenStore }{s}
}

// The acceptance test: 1000 goroutines ask for the token at its expiry; one refresh reaches Kick,
// and the store held the rotated refresh token before any caller got the new access token.
func TestUserSourceConcurrentRefreshAtExpiry(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		newStore func(*testing.T) store
		locker   bool
	}{
		{"memory", func(*testing.T) store { return kickauth.NewMemoryStore() }, true},
		{"file", func(t *testing.T) store { return newFileStore(t) }, true},
		{"without Locker", func(*testing.T) store { return kickauth.NewMemoryStore() }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeKick(t)
			var clock atomic.Int64
			var issuedAt atomic.Int64
			var rotated atomic.Value
			f.beforeRefreshAnswer = func(_, refresh string) {
				issuedAt.Store(clock.Add(1))
				rotated.Store(refresh)
			}
			s := newRecordingStore(tt.newStore(t), &clock)
			mustSave(t, s.store, f.seedUserToken(time.Now()))
			var ts kickauth.TokenStore = s
			if !tt.locker {
				ts = unlocked(s)
			}
			src := newUserSource(t, f, ts)

			got := make([]string, 1000)
			var wg sync.WaitGroup
			for i := range got {
				wg.Go(func() {
					tok, err := src.Token()
					received := clock.Add(1)
					if err != nil {
						t.Error(err)
						return
					}
					got[i] = tok.AccessToken
					savedAt, ok := s.saved(tok.AccessToken)
					if !ok || savedAt >= received {
						t.Errorf("caller received the token at %d, before it was saved (%d, %v)", received, savedAt, ok)
					}
					stored, err := s.Load(context.Background(), testKey)
					if err != nil || stored.RefreshToken != rotated.Load() {
						t.Errorf("store does not hold the rotated refresh token when a caller has the new access token")
					}
				})
			}
			wg.Wait()
			if n := f.count("refresh_token"); n != 1 {
				t.Errorf("%d refresh requests for 1000 callers, want 1", n)
			}
			for _, at := range got {
				if at != got[0] {
					t.Fatal("callers got different tokens")
				}
			}
			if savedAt, _ := s.saved(got[0]); savedAt <= issuedAt.Load() {
				t.Errorf("saved at %d, before Kick issued it at %d", savedAt, issuedAt.Load())
			}
		})
	}
}

func TestUserSourceInvalidate(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	s := kickauth.NewMemoryStore()
	mustSave(t, s, f.seedUserToken(time.Now().Add(time.Hour)))
	src := newUserSource(t, f, s)
	var _ interface{ Invalidate(string) } = src
	first, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count("refresh_token"); n != 0 {
		t.Fatalf("%d refreshes of a valid stored token", n)
	}

	got := make([]string, 1000)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			src.Invalidate(first.AccessToken) // after the refresh, a stale report: ignored
			tok, err := src.Token()
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = tok.AccessToken
		})
	}
	wg.Wait()
	if n := f.count("refresh_token"); n != 1 {
		t.Errorf("%d refreshes after 1000 goroutines invalidated one token, want 1", n)
	}
	for _, at := range got {
		if at != got[0] || at == first.AccessToken {
			t.Fatal("callers got different tokens, or the invalidated one")
		}
	}

	src.Invalidate(first.AccessToken)
	if tok, _ := src.Token(); tok.AccessToken != got[0] {
		t.Error("a stale Invalidate replaced the token")
	}
	src.Invalidate(got[0])
	if tok, _ := src.Token(); tok.AccessToken == got[0] {
		t.Error("Invalidate of the current token did not replace it")
	}
	if n := f.count("refresh_token"); n != 2 {
		t.Errorf("%d refreshes, want 2", n)
	}
}

func TestUserSourceInvalidGrant(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	f.echoSecrets = true
	s := kickauth.NewMemoryStore()
	seed := f.seedUserToken(time.Now())
	mustSave(t, s, seed)
	f.revokeAll() // the user revoked the app, or the refresh token aged out
	src := newUserSource(t, f, s)

	_, err := src.Token()
	if !errors.Is(err, kickauth.ErrReauthorize) {
		t.Fatalf("err = %v, want ErrReauthorize", err)
	}
	var re *kickauth.ReauthorizeError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want *ReauthorizeError", err)
	}
	if re.Code != "invalid_grant" || re.Key != testKey || !strings.HasPrefix(re.Description, "The refresh token is invalid") {
		t.Errorf("ReauthorizeError %+v", *re)
	}
	for _, secret := range []string{seed.RefreshToken, seed.AccessToken, testClientSecret} {
		if strings.Contains(err.Error(), secret) || strings.Contains(re.Description, secret) {
			t.Errorf("error contains a secret: %v", err)
		}
	}

	// No loop: Kick is not asked again about a refresh token it rejected.
	for range 10 {
		if _, err := src.Token(); !errors.Is(err, kickauth.ErrReauthorize) {
			t.Fatalf("err = %v, want ErrReauthorize", err)
		}
	}
	if n := f.count("refresh_token"); n != 1 {
		t.Errorf("%d refresh requests, want 1", n)
	}

	// The user authorizes again.
	cfg := f.config()
	req := kickauth.NewAuthRequest(cfg)
	tok, err := kickauth.Exchange(t.Context(), cfg, req, authorizeAtFake(t, req.URL))
	if err != nil {
		t.Fatal(err)
	}
	if err := src.SetToken(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	if got, err := src.Token(); err != nil || got.AccessToken != tok.AccessToken {
		t.Errorf("after SetToken: %v, %v", kickauth.Redact(got), err)
	}
	if stored, _ := s.Load(t.Context(), testKey); stored.RefreshToken != tok.RefreshToken {
		t.Error("SetToken did not save the token")
	}
}

// Another process that stores a new authorization revives a source that saw invalid_grant.
func TestUserSourceAdoptsNewAuthorizationFromStore(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	s := kickauth.NewMemoryStore()
	mustSave(t, s, f.seedUserToken(time.Now()))
	f.revokeAll()
	src := newUserSource(t, f, s)
	if _, err := src.Token(); !errors.Is(err, kickauth.ErrReauthorize) {
		t.Fatalf("err = %v, want ErrReauthorize", err)
	}
	mustSave(t, s, f.seedUserToken(time.Now())) // expired, but with a valid refresh token
	if _, err := src.Token(); err != nil {
		t.Fatalf("after a new token was stored: %v", err)
	}
	if n := f.count("refresh_token"); n != 2 {
		t.Errorf("%d refresh requests, want 2", n)
	}
}

func TestUserSourceNothingToRefreshWith(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	s := kickauth.NewMemoryStore()
	src := newUserSource(t, f, s)
	_, err := src.Token()
	if !errors.Is(err, kickauth.ErrReauthorize) || !errors.Is(err, kickauth.ErrNoToken) {
		t.Errorf("empty store: err = %v, want ErrReauthorize and ErrNoToken", err)
	}
	mustSave(t, s, &oauth2.Token{AccessToken: "at-expired", Expiry: time.Now().Add(-time.Hour)})
	if _, err := src.Token(); !errors.Is(err, kickauth.ErrReauthorize) {
		t.Errorf("no refresh token: err = %v, want ErrReauthorize", err)
	}
	if n := f.count("refresh_token"); n != 0 {
		t.Errorf("%d refresh requests, want 0", n)
	}
}

func TestUserTokenSourceArguments(t *testing.T) {
	t.Parallel()
	cfg, s := kickauth.NewConfig("id", "secret", ""), kickauth.NewMemoryStore()
	for name, f := range map[string]func() (*kickauth.UserSource, error){
		"nil config": func() (*kickauth.UserSource, error) { return kickauth.UserTokenSource(t.Context(), nil, s, "k") },
		"nil store":  func() (*kickauth.UserSource, error) { return kickauth.UserTokenSource(t.Context(), cfg, nil, "k") },
		"empty key":  func() (*kickauth.UserSource, error) { return kickauth.UserTokenSource(t.Context(), cfg, s, "") },
	} {
		if _, err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestUserSourceRefreshMargin(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		margin   time.Duration
		refreshs int
	}{{time.Minute, 1}, {10 * time.Second, 0}} {
		f := newFakeKick(t)
		s := kickauth.NewMemoryStore()
		mustSave(t, s, f.seedUserToken(time.Now().Add(30*time.Second)))
		src := newUserSource(t, f, s, kickauth.WithRefreshMargin(tt.margin))
		if _, err := src.Token(); err != nil {
			t.Fatal(err)
		}
		if n := f.count("refresh_token"); n != tt.refreshs {
			t.Errorf("token expiring in 30s, margin %v: %d refreshes, want %d", tt.margin, n, tt.refreshs)
		}
	}
}

// Kick may answer a refresh without a refresh token: the old one stays valid and stays stored.
func TestUserSourceKeepsRefreshTokenKickDidNotReplace(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	f.keepRefreshToken = true
	s := kickauth.NewMemoryStore()
	seed := f.seedUserToken(time.Now())
	mustSave(t, s, seed)
	src := newUserSource(t, f, s)
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if stored, _ := s.Load(t.Context(), testKey); stored.RefreshToken != seed.RefreshToken || tok.RefreshToken != seed.RefreshToken {
		t.Error("the refresh token was lost")
	}
	src.Invalidate(tok.AccessToken)
	if _, err := src.Token(); err != nil {
		t.Fatalf("second refresh: %v", err)
	}
}

// A token whose Save failed is not handed out, is not lost, and is saved by the next call
// without asking Kick again.
func TestUserSourceSaveFailure(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	var clock atomic.Int64
	s := newRecordingStore(kickauth.NewMemoryStore(), &clock)
	seed := f.seedUserToken(time.Now())
	mustSave(t, s, seed)
	src := newUserSource(t, f, s)

	s.setFail(true)
	_, err := src.Token()
	if err == nil || errors.Is(err, kickauth.ErrReauthorize) {
		t.Fatalf("err = %v, want a save error", err)
	}
	issued := f.secrets()
	for _, secret := range issued {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error contains a secret: %v", err)
		}
	}
	if stored, _ := s.Load(t.Context(), testKey); stored.AccessToken != seed.AccessToken {
		t.Error("store changed although Save failed")
	}

	s.setFail(false)
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if stored, _ := s.Load(t.Context(), testKey); stored.AccessToken != tok.AccessToken || stored.RefreshToken != tok.RefreshToken {
		t.Error("the token handed out is not the stored one")
	}
	if tok.RefreshToken != f.lastIssued() {
		t.Error("the refresh token Kick issued was lost")
	}
	if n := f.count("refresh_token"); n != 1 {
		t.Errorf("%d refresh requests, want 1", n)
	}
}

// While the current token has not expired, a failed refresh (Kick down) hands it out and waits
// before trying again; once it has expired, the failure is the caller's.
func TestUserSourceRefreshFailure(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	f.failStatus = 502
	s := kickauth.NewMemoryStore()
	seed := f.seedUserToken(time.Now().Add(30 * time.Second))
	mustSave(t, s, seed)
	src := newUserSource(t, f, s)
	for range 5 {
		tok, err := src.Token()
		if err != nil || tok.AccessToken != seed.AccessToken {
			t.Fatalf("Token = %v, %v; want the still-valid token", kickauth.Redact(tok), err)
		}
	}
	if n := f.count("refresh_token"); n != 1 {
		t.Errorf("%d refresh requests, want 1", n)
	}

	f2 := newFakeKick(t)
	f2.failStatus = 502
	s2 := kickauth.NewMemoryStore()
	mustSave(t, s2, f2.seedUserToken(time.Now()))
	_, err := newUserSource(t, f2, s2).Token()
	if err == nil || errors.Is(err, kickauth.ErrReauthorize) {
		t.Fatalf("err = %v, want a refresh failure", err)
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response.StatusCode != http.StatusBadGateway {
		t.Errorf("err = %v, want *oauth2.RetrieveError with status 502", err)
	}
	if !strings.Contains(err.Error(), "502 Bad Gateway") || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q should tell the status on one line", err)
	}
}

// A caller that gives up does not abandon a refresh: it completes and is saved.
func TestUserSourceCallerGivesUp(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	f.gate = make(chan struct{})
	f.arrived = make(chan string, 1)
	s := kickauth.NewMemoryStore()
	mustSave(t, s, f.seedUserToken(time.Now()))
	src := newUserSource(t, f, s)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { _, err := src.TokenContext(ctx); done <- err }()
	<-f.arrived
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	close(f.gate)
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if stored, _ := s.Load(t.Context(), testKey); stored.RefreshToken != tok.RefreshToken {
		t.Error("the abandoned refresh was not saved")
	}
	if n := f.count("refresh_token"); n != 1 {
		t.Errorf("%d refresh requests, want 1", n)
	}
}

// Two sources sharing a store (two parts of one program) refresh once between them: the second
// reloads the store under its lock and finds the first one's token.
func TestUserSourcesSharingAStore(t *testing.T) {
	t.Parallel()
	for name, newStore := range map[string]func(*testing.T) store{
		"memory": func(*testing.T) store { return kickauth.NewMemoryStore() },
		"file":   func(t *testing.T) store { return newFileStore(t) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeKick(t)
			s := newStore(t)
			mustSave(t, s, f.seedUserToken(time.Now()))
			a, b := newUserSource(t, f, s), newUserSource(t, f, s)
			var wg sync.WaitGroup
			for i := range 200 {
				src := a
				if i%2 == 1 {
					src = b
				}
				wg.Go(func() {
					if _, err := src.Token(); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if n := f.count("refresh_token"); n != 1 {
				t.Errorf("%d refresh requests, want 1", n)
			}
		})
	}
}

// Two processes sharing a FileStore directory refresh once between them (a refresh token spent
// by one would be invalid_grant for the other).
func TestUserSourceTwoProcesses(t *testing.T) {
	t.Parallel()
	if !kickauth.CrossProcessLocks {
		t.Skip("FileStore locks within the process only here")
	}
	f := newFakeKick(t)
	f.setBarrier(2)
	s := newFileStore(t)
	mustSave(t, s, f.seedUserToken(time.Now()))

	outs := make([][]byte, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			cmd := helperCommand(t, "refresh", "KICKAUTH_DIR="+s.Dir(), "KICKAUTH_KEY="+testKey, "KICKAUTH_URL="+f.srv.URL)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			outs[i], errs[i] = cmd.Output()
			if errs[i] != nil {
				errs[i] = fmt.Errorf("%w: %s", errs[i], stderr.Bytes())
			}
		})
	}
	wg.Wait()
	var hashes []string
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("process %d: %v", i, errs[i])
		}
		sc := bufio.NewScanner(bytes.NewReader(outs[i]))
		for sc.Scan() {
			if h, ok := strings.CutPrefix(sc.Text(), "token-sha256 "); ok {
				hashes = append(hashes, h)
			}
		}
	}
	if len(hashes) != 2 || hashes[0] != hashes[1] {
		t.Errorf("processes reported tokens %v, want one token twice", hashes)
	}
	if n := f.count("refresh_token"); n != 1 {
		t.Errorf("%d refresh requests from two processes, want 1", n)
	}
	stored, err := s.Load(t.Context(), testKey)
	if err != nil || stored.RefreshToken != f.lastIssued() {
		t.Errorf("store does not hold the rotated refresh token (%v)", err)
	}
}
