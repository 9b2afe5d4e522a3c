package kickredis_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kickredis"
	"github.com/kick-sdk/kick-go/kickredis/internal/redisserver"
)

const tokenRoute = "POST /oauth/token"

func newTokenStore(t testing.TB, c redis.UniversalClient, opts ...kickredis.Option) *kickredis.TokenStore {
	t.Helper()
	s, err := kickredis.NewTokenStore(c, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// expiredUserToken returns a user token of kicktest's that expired, with a valid refresh token.
func expiredUserToken(s *kicktest.Server) *oauth2.Token {
	tok := s.UserToken(kicktest.Streamer.UserID)
	tok.Expiry = time.Now().Add(-time.Second)
	return tok
}

// refreshFixture is a fake Kick, and a token store on the shared Redis that holds an expired
// token of the streamer, for helper processes to refresh.
type refreshFixture struct {
	s                  *kicktest.Server
	cfg                *oauth2.Config
	c                  *redis.Client
	store              *kickredis.TokenStore
	prefix, key, redis string
	old                *oauth2.Token
}

func newRefreshFixture(t *testing.T) *refreshFixture {
	t.Helper()
	srv := server(t)
	f := &refreshFixture{s: kicktest.New(t), prefix: newPrefix(), redis: srv.Addr}
	f.cfg = f.s.OAuthConfig("http://localhost:8976/callback")
	f.c, _ = newClient(t, srv.Addr)
	f.key = kickauth.StoreKey(f.cfg.ClientID, "streamer")
	f.store = newTokenStore(t, f.c, kickredis.WithPrefix(f.prefix))
	f.old = expiredUserToken(f.s)
	if err := f.store.Save(t.Context(), f.key, f.old); err != nil {
		t.Fatal(err)
	}
	return f
}

// helper returns the configuration of a helper process of the fixture.
func (f *refreshFixture) helper(lease, timeout time.Duration, callers int) helperConfig {
	return helperConfig{Redis: f.redis, Prefix: f.prefix, Key: f.key, ClientID: f.cfg.ClientID,
		ClientSecret: f.cfg.ClientSecret, OAuthBaseURL: f.s.OAuthBaseURL, Lease: lease, Timeout: timeout, Callers: callers}
}

func (f *refreshFixture) tokenKey() string { return f.prefix + "token:{" + f.key + "}" }
func (f *refreshFixture) lockKey() string  { return f.prefix + "lock:{" + f.key + "}" }

// Four processes whose token expired together: one token request between them, every process
// ends with the rotated token, and the store never goes backwards.
func TestFourProcessesRefreshOnce(t *testing.T) {
	t.Parallel()
	f := newRefreshFixture(t)
	s, cfg, c, store, key, old := f.s, f.cfg, f.c, f.store, f.key, f.old
	hc := f.helper(kickredis.DefaultLease, kickredis.DefaultTimeout, 8)
	var procs []*helper
	for range 4 {
		procs = append(procs, startHelper(t, hc))
	}
	stop := make(chan struct{})
	watched := watchStore(t, c, f.tokenKey(), stop)
	for _, p := range procs {
		p.start()
	}
	var got []string
	for _, p := range procs {
		got = append(got, p.result())
	}
	close(stop)
	history := <-watched

	if n := s.Requests(tokenRoute); n != 1 {
		t.Errorf("%d token requests from four processes, want 1", n)
	}
	stored, err := store.Load(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	if stored.AccessToken == old.AccessToken || stored.RefreshToken == old.RefreshToken {
		t.Fatal("the store does not hold a rotated token")
	}
	for i, g := range got {
		if g != digest(stored.AccessToken) {
			t.Errorf("process %d ended with a token other than the rotated one", i)
		}
	}
	if len(history) != 2 || history[0].access != old.AccessToken || history[1].access != stored.AccessToken {
		t.Errorf("the store held %d states, want 2: the expired token, then the rotated one", len(history))
	}
	checkRefreshTokenWorks(t, cfg, stored.RefreshToken)
}

// kill -9 of the process that holds the lock while its refresh is in flight: another process
// takes over once the lease runs out, refreshes with the refresh token the dead one never got to
// spend, and nothing is lost.
func TestKilledLockHolderIsTakenOver(t *testing.T) {
	t.Parallel()
	f := newRefreshFixture(t)
	s, cfg, c, store, key, old := f.s, f.cfg, f.c, f.store, f.key, f.old
	// The first refresh hangs until its client goes away; kicktest then neither answers nor
	// rotates anything.
	s.Fault(tokenRoute, kicktest.Fault{Latency: time.Minute, Times: 1})
	hc := f.helper(3*time.Second, time.Second, 4)
	holder := startHelper(t, hc)
	holder.start()
	for deadline := time.Now().Add(30 * time.Second); s.Requests(tokenRoute) == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the first process never sent its refresh")
		}
	}
	lock, err := c.Get(t.Context(), f.lockKey()).Result()
	if err != nil {
		t.Fatalf("the lock while the first process refreshes: %v", err)
	}
	var holderFence int64
	_, _ = fmt.Sscanf(lock, "%d:", &holderFence)

	others := []*helper{startHelper(t, hc), startHelper(t, hc)}
	for _, p := range others {
		p.start()
	}
	time.Sleep(100 * time.Millisecond) // the others wait on the lock
	holder.kill()
	var got []string
	for _, p := range others {
		got = append(got, p.result())
	}

	if n := s.Requests(tokenRoute); n != 2 {
		t.Errorf("%d token requests, want 2: the dead process's, and one by the process that took over", n)
	}
	stored, err := store.Load(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range got {
		if g != digest(stored.AccessToken) {
			t.Errorf("process %d ended with a token other than the stored one", i)
		}
	}
	r, err := readRecord(t.Context(), c, f.tokenKey())
	if err != nil {
		t.Fatal(err)
	}
	if stored.AccessToken == old.AccessToken || r.fence <= holderFence {
		t.Errorf("the stored token: rotated %v, fence %d; want a token saved under a lease after the dead holder's (%d)",
			stored.AccessToken != old.AccessToken, r.fence, holderFence)
	}
	checkRefreshTokenWorks(t, cfg, stored.RefreshToken)
}

// A process whose lease was lost while its refresh was in flight, and another took over: the
// store keeps the token of whoever saved under the later lease, and every process ends with it.
func TestLeaseLostDuringRefresh(t *testing.T) {
	t.Parallel()
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprintf("strict rotation=%v", strict), func(t *testing.T) {
			t.Parallel()
			srv := server(t)
			c, _ := newClient(t, srv.Addr)
			prefix := newPrefix()
			store := newTokenStore(t, c, kickredis.WithPrefix(prefix), kickredis.WithLease(3*time.Second))
			e := newGatedEndpoint(t, strict)
			key := kickauth.StoreKey("client", "alice")
			if err := store.Save(t.Context(), key, &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: time.Now().Add(-time.Second)}); err != nil {
				t.Fatal(err)
			}
			cfg := kickauth.NewConfig("client", "secret", "http://localhost:8976/callback")
			cfg.Endpoint = kickauth.EndpointAt(e.srv.URL)
			a, _ := kickauth.UserTokenSource(t.Context(), cfg, store, key)
			b, _ := kickauth.UserTokenSource(t.Context(), cfg, store, key)

			type result struct {
				tok *oauth2.Token
				err error
			}
			aDone := make(chan result, 1)
			go func() { tok, err := a.Token(); aDone <- result{tok, err} }()
			relA := <-e.arrived // A's refresh is in flight
			// A's lease runs out (as after a long pause): its lock is gone, B takes it.
			if err := c.Del(t.Context(), prefix+"lock:{"+key+"}").Err(); err != nil {
				t.Fatal(err)
			}
			bDone := make(chan result, 1)
			go func() { tok, err := b.Token(); bDone <- result{tok, err} }()
			relB := <-e.arrived // B's refresh too, with the same refresh token
			var ra, rb result
			if strict {
				// Kick answers A first and rotates; B's refresh token is then spent, and Kick
				// answers B invalid_grant. B re-reads the store before it reports anything, and
				// hands out A's token rather than a false ErrReauthorize.
				close(relA)
				ra = <-aDone
				close(relB)
				rb = <-bDone
				if ra.err != nil || rb.err != nil {
					t.Fatalf("A: %v; B: %v; want A's token for both", ra.err, rb.err)
				}
			} else {
				// Kick answers B first; B saves under its later lease, and A's save is refused.
				close(relB)
				rb = <-bDone
				close(relA)
				ra = <-aDone
				if ra.err != nil || rb.err != nil {
					t.Fatalf("A: %v; B: %v", ra.err, rb.err)
				}
			}
			stored, err := store.Load(t.Context(), key)
			if err != nil {
				t.Fatal(err)
			}
			want := "at-1" // the first answer Kick gave
			if stored.AccessToken != want || ra.tok.AccessToken != want || rb.tok.AccessToken != want {
				t.Errorf("store %s, A %s, B %s; want %s everywhere", stored.AccessToken, ra.tok.AccessToken, rb.tok.AccessToken, want)
			}
		})
	}
}

// gatedEndpoint is a token endpoint that holds each refresh until the test closes the channel it
// sends on arrived, and answers them in the order released: at-1/rt-1, then at-2/rt-2. With
// strict rotation a refresh token works once; otherwise it keeps working, as on a lenient server.
type gatedEndpoint struct {
	srv     *httptest.Server
	arrived chan chan struct{}
	mu      sync.Mutex
	n       int
	spent   map[string]bool
}

func newGatedEndpoint(t *testing.T, strict bool) *gatedEndpoint {
	e := &gatedEndpoint{arrived: make(chan chan struct{}), spent: map[string]bool{}}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt := r.FormValue("refresh_token")
		release := make(chan struct{})
		e.arrived <- release
		<-release
		e.mu.Lock()
		defer e.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if e.spent[rt] {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"invalid_grant"}`)
			return
		}
		if strict {
			e.spent[rt] = true
		}
		e.n++
		fmt.Fprintf(w, `{"access_token":"at-%d","refresh_token":"rt-%d","token_type":"Bearer","expires_in":7200}`, e.n, e.n)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

// redisTokenRig starts a redis-server of the test's own (to kill), kicktest, and a token store
// on that Redis.
func redisTokenRig(t *testing.T) (*redisserver.Server, *kicktest.Server, *oauth2.Config, *kickredis.TokenStore) {
	t.Helper()
	srv := redisServerOfItsOwn(t)
	s := kicktest.New(t)
	c, _ := newClient(t, srv.Addr)
	return srv, s, s.OAuthConfig("http://localhost:8976/callback"), newTokenStore(t, c)
}

// Redis killed mid-run: a source with a valid token goes on with it; one whose token expired fails
// with a typed error and sends nothing; a refresh whose save failed keeps the rotated token, unused,
// and saves it once Redis is back, without asking Kick again.
func TestTokensRedisKilledMidRun(t *testing.T) {
	t.Parallel()
	srv, s, cfg, store := redisTokenRig(t)
	ctx := t.Context()
	validKey, expiredKey, flightKey := kickauth.StoreKey(cfg.ClientID, "valid"), kickauth.StoreKey(cfg.ClientID, "expired"), kickauth.StoreKey(cfg.ClientID, "in-flight")
	valid := s.UserToken(kicktest.Streamer.UserID)
	for k, tok := range map[string]*oauth2.Token{validKey: valid, expiredKey: expiredUserToken(s), flightKey: expiredUserToken(s)} {
		if err := store.Save(ctx, k, tok); err != nil {
			t.Fatal(err)
		}
	}
	validSrc, _ := kickauth.UserTokenSource(ctx, cfg, store, validKey)
	expiredSrc, _ := kickauth.UserTokenSource(ctx, cfg, store, expiredKey)
	flightSrc, _ := kickauth.UserTokenSource(ctx, cfg, store, flightKey)
	if tok, err := validSrc.Token(); err != nil || tok.AccessToken != valid.AccessToken {
		t.Fatalf("the valid token: %v", err)
	}

	// Kill Redis while a refresh is in flight: Kick rotates, the save fails.
	s.Fault(tokenRoute, kicktest.Fault{Latency: 500 * time.Millisecond, Times: 1})
	flight := make(chan error, 1)
	go func() { _, err := flightSrc.Token(); flight <- err }()
	for s.Requests(tokenRoute) == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := <-flight; !errors.Is(err, kickredis.ErrUnavailable) {
		t.Errorf("a refresh whose save failed: %v, want an error matching kickredis.ErrUnavailable", err)
	}

	if tok, err := validSrc.Token(); err != nil || tok.AccessToken != valid.AccessToken {
		t.Errorf("a valid token with Redis down: %v, %v; want the current token", err, tok != nil)
	}
	_, err := expiredSrc.Token()
	var re *kickredis.Error
	if !errors.Is(err, kickredis.ErrUnavailable) || !errors.As(err, &re) || re.Op != "lock" {
		t.Errorf("an expired token with Redis down: %v, want a *kickredis.Error of the lock matching ErrUnavailable", err)
	}
	if n := s.Requests(tokenRoute); n != 1 {
		t.Errorf("%d token requests, want 1: no refresh without the lock", n)
	}

	// Redis comes back, empty: the held token is saved, Kick is not asked again.
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	tok, err := flightSrc.Token()
	if err != nil {
		t.Fatalf("after Redis came back: %v", err)
	}
	stored, err := store.Load(ctx, flightKey)
	if err != nil || stored.AccessToken != tok.AccessToken || stored.RefreshToken == "" {
		t.Fatalf("the store after Redis came back: %v", err)
	}
	if n := s.Requests(tokenRoute); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
	checkRefreshTokenWorks(t, cfg, stored.RefreshToken)
}

// Redis restarts empty while sources hold valid tokens: the source whose token is due then
// refreshes with the refresh token it holds and saves the result, refilling the store, instead of
// reporting ErrReauthorize; another source adopts that token from the store when its own is due.
func TestTokensRedisRestartedEmptyIsRefilled(t *testing.T) {
	t.Parallel()
	srv, s, cfg, store := redisTokenRig(t)
	ctx := t.Context()
	key := kickauth.StoreKey(cfg.ClientID, "streamer")
	if err := store.Save(ctx, key, expiredUserToken(s)); err != nil {
		t.Fatal(err)
	}
	a, _ := kickauth.UserTokenSource(ctx, cfg, store, key)
	b, _ := kickauth.UserTokenSource(ctx, cfg, store, key)
	first, err := a.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := b.Token(); err != nil || tok.AccessToken != first.AccessToken {
		t.Fatalf("B: %v", err)
	}

	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Load(ctx, key); !errors.Is(err, kickauth.ErrNoToken) {
		t.Fatalf("Redis came back with %v, want no token", err)
	}
	a.Invalidate(first.AccessToken) // A's token is due: Kick answered 401
	tok, err := a.Token()
	if err != nil {
		t.Fatalf("A after Redis restarted empty: %v; want a refreshed token", err)
	}
	stored, err := store.Load(ctx, key)
	if err != nil || stored.AccessToken != tok.AccessToken {
		t.Fatalf("the store holds %v, %v; want A's refreshed token", stored != nil, err)
	}
	b.Invalidate(first.AccessToken)
	if got, err := b.Token(); err != nil || got.AccessToken != tok.AccessToken {
		t.Errorf("B: %v; want A's token from the store", err)
	}
	if n := s.Requests(tokenRoute); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	checkRefreshTokenWorks(t, cfg, stored.RefreshToken)
}

// A lease is renewed while it is held, however long past its term; lost when another owner
// takes the lock (its Done closes, Unlock reports it); released by Unlock.
func TestLease(t *testing.T) {
	t.Parallel()
	srv := server(t)
	c, _ := newClient(t, srv.Addr)
	prefix := newPrefix()
	var logs syncBuffer
	store := newTokenStore(t, c, kickredis.WithPrefix(prefix), kickredis.WithLease(3*time.Second),
		kickredis.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	ctx := t.Context()
	key := kickauth.StoreKey("client", "alice")
	lockKey := prefix + "lock:{" + key + "}"
	l, err := store.LockLease(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(4 * time.Second) // over a lease: three renewals
	select {
	case <-l.Done():
		t.Fatal("a lease held and renewed ended")
	default:
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := store.LockLease(short, key); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("LockLease of a lock renewed past its lease: %v, want a wait that ends with ctx", err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Exists(ctx, lockKey).Result(); n != 0 {
		t.Error("Unlock left the lock")
	}
	if err := l.Unlock(); err != nil {
		t.Errorf("second Unlock: %v", err)
	}

	l, err = store.LockLease(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Set(ctx, lockKey, "999:someone-else", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-l.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("a lease whose lock another owner took did not end")
	}
	if err := l.Unlock(); !errors.Is(err, kickauth.ErrLeaseLost) {
		t.Errorf("Unlock of a lost lease: %v, want ErrLeaseLost", err)
	}
	if v, _ := c.Get(ctx, lockKey).Result(); v != "999:someone-else" {
		t.Errorf("Unlock of a lost lease released the other owner's lock: %q", v)
	}
	if got := logs.String(); !strings.Contains(got, "lost the lease") || !strings.Contains(got, "another process holds the lock") ||
		!strings.Contains(got, `key=client/alice`) {
		t.Errorf("the lost lease was not logged:\n%s", got)
	}
}

// A lease ends when Redis is gone and no renewal gets through before it runs out.
func TestLeaseEndsWhenRedisDies(t *testing.T) {
	t.Parallel()
	srv := redisServerOfItsOwn(t)
	c, _ := newClient(t, srv.Addr)
	var logs syncBuffer
	store := newTokenStore(t, c, kickredis.WithLease(3*time.Second), kickredis.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	l, err := store.LockLease(t.Context(), "key")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-l.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the lease outlived Redis")
	}
	if err := l.Unlock(); !errors.Is(err, kickauth.ErrLeaseLost) {
		t.Errorf("Unlock: %v, want ErrLeaseLost", err)
	}
	if got := logs.String(); !strings.Contains(got, "renewing a token lock failed") || !strings.Contains(got, "no renewal got through") {
		t.Errorf("the failed renewals and the lost lease were not logged:\n%s", got)
	}
}

// syncBuffer is a strings.Builder for a logger's goroutines and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Keys, TTLs and round trips of the token store.
func TestTokenStoreKeysAndRoundTrips(t *testing.T) {
	t.Parallel()
	srv := server(t)
	c, n := newClient(t, srv.Addr)
	prefix := newPrefix()
	store := newTokenStore(t, c, kickredis.WithPrefix(prefix), kickredis.WithTokenTTL(time.Hour))
	ctx := t.Context()
	key := kickauth.StoreKey("client", "alice")
	tokenKey, lockKey := prefix+"token:{"+key+"}", prefix+"lock:{"+key+"}"
	trips := func(what string, want int64, f func() error) {
		t.Helper()
		before := n.Load()
		if err := f(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got := n.Load() - before; got != want {
			t.Errorf("%s: %d round trips, want %d", what, got, want)
		}
	}
	pttl := func(k string) time.Duration {
		t.Helper()
		d, err := c.PTTL(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tok := &oauth2.Token{AccessToken: "at", TokenType: "Bearer", RefreshToken: "rt", Expiry: time.Now().Add(2 * time.Hour)}
	_ = store.Save(ctx, "warm-up", tok) // loads the scripts
	_ = store.SaveFenced(ctx, "warm-up", tok, 1)
	trips("Save", 1, func() error { return store.Save(ctx, key, tok) })
	if d := pttl(tokenKey); d <= 59*time.Minute || d > time.Hour {
		t.Errorf("a user token's TTL is %v, want the token TTL (1h)", d)
	}
	trips("Load", 1, func() error { _, err := store.Load(ctx, key); return err })
	var lease kickauth.Lease
	_ = func() error { l, _ := store.LockLease(ctx, "warm-up"); return l.Unlock() }()
	trips("LockLease of a free lock", 1, func() (err error) { lease, err = store.LockLease(ctx, key); return err })
	if d := pttl(lockKey); d <= 0 || d > kickredis.DefaultLease {
		t.Errorf("the lock's TTL is %v, want the lease", d)
	}
	trips("SaveFenced", 1, func() error { return store.SaveFenced(ctx, key, tok, lease.Fence()) })
	trips("Unlock", 1, lease.Unlock)

	// An app token (no refresh token) is kept until it expires; a fresh key's hash gets a TTL.
	app := kickauth.AppStoreKey("client")
	if err := store.Save(ctx, app, &oauth2.Token{AccessToken: "app", Expiry: time.Now().Add(10 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if d := pttl(prefix + "token:{" + app + "}"); d <= 9*time.Minute || d > 10*time.Minute {
		t.Errorf("an app token's TTL is %v, want its 10 minutes of life", d)
	}
	l, err := store.LockLease(ctx, "fresh")
	if err != nil {
		t.Fatal(err)
	}
	_ = l.Unlock()
	if d := pttl(prefix + "token:{fresh}"); d <= 0 {
		t.Errorf("the hash of a key locked but never saved has TTL %v", d)
	}
	if _, err := store.Load(ctx, "fresh"); !errors.Is(err, kickauth.ErrNoToken) {
		t.Errorf("Load of a key locked but never saved: %v, want ErrNoToken", err)
	}
	if got := fmt.Sprint(store); got != fmt.Sprintf("kickredis.TokenStore{Prefix: %q}", prefix) {
		t.Errorf("String = %s", got)
	}
}

// Records the store did not write are errors, not tokens; empty keys and tokens are refused;
// Redis failures are typed.
func TestTokenStoreErrors(t *testing.T) {
	t.Parallel()
	forEachClientMode(t, testTokenStoreErrors)
}

func testTokenStoreErrors(t *testing.T, direct bool) {
	srv := server(t)
	c, _ := newClientWith(t, &redis.Options{Addr: srv.Addr, ContextTimeoutEnabled: direct})
	prefix := newPrefix()
	store := newTokenStore(t, c, kickredis.WithPrefix(prefix))
	ctx := t.Context()
	for name, fields := range map[string][]any{
		"another version": {"v", "2", "access_token", "secret-at"},
		"a bad expiry":    {"v", "1", "access_token", "secret-at", "expiry", "tomorrow"},
	} {
		k := prefix + "token:{" + name + "}"
		if err := c.HSet(ctx, k, fields...).Err(); err != nil {
			t.Fatal(err)
		}
		_, err := store.Load(ctx, name)
		if err == nil || errors.Is(err, kickauth.ErrNoToken) || strings.Contains(err.Error(), "secret-at") {
			t.Errorf("Load of a record with %s: %v", name, err)
		}
	}
	tok := &oauth2.Token{AccessToken: "at"}
	for name, err := range map[string]error{
		"Load of an empty key":       func() error { _, err := store.Load(ctx, ""); return err }(),
		"Save of an empty key":       store.Save(ctx, "", tok),
		"SaveFenced of an empty key": store.SaveFenced(ctx, "", tok, 1),
		"Delete of an empty key":     store.Delete(ctx, ""),
		"LockLease of an empty key":  func() error { _, err := store.LockLease(ctx, ""); return err }(),
		"Save without access token":  store.Save(ctx, "k", &oauth2.Token{RefreshToken: "rt"}),
		"SaveFenced of nil":          store.SaveFenced(ctx, "k", nil, 1),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	for name, err := range map[string]error{
		"Load":       func() error { _, err := store.Load(canceled, "k"); return err }(),
		"Save":       store.Save(canceled, "k", tok),
		"SaveFenced": store.SaveFenced(canceled, "k", tok, 1),
		"Delete":     store.Delete(canceled, "k"),
		"LockLease":  func() error { _, err := store.LockLease(canceled, "k"); return err }(),
		"Lock":       func() error { _, err := store.Lock(canceled, "k"); return err }(),
	} {
		if !errors.Is(err, context.Canceled) || !errors.Is(err, kickredis.ErrUnavailable) {
			t.Errorf("%s with a canceled context: %v, want an error matching context.Canceled and ErrUnavailable", name, err)
		}
	}
}

// A Redis that hangs: a source with a valid token goes on with it; one whose token expired fails
// within the store's timeout with a typed error, sends nothing, and refreshes once Redis is back;
// the lock that Redis granted after LockLease gave up is released, not left to run out.
func TestTokensRedisHangs(t *testing.T) {
	t.Parallel()
	srv := redisServerOfItsOwn(t)
	s := kicktest.New(t)
	cfg := s.OAuthConfig("http://localhost:8976/callback")
	c, _ := newClient(t, srv.Addr)
	prefix := newPrefix()
	store := newTokenStore(t, c, kickredis.WithPrefix(prefix), kickredis.WithTimeout(300*time.Millisecond), kickredis.WithLease(time.Minute))
	ctx := t.Context()
	validKey, expiredKey := kickauth.StoreKey(cfg.ClientID, "valid"), kickauth.StoreKey(cfg.ClientID, "expired")
	if err := store.Save(ctx, validKey, s.UserToken(kicktest.Streamer.UserID)); err != nil {
		t.Fatal(err)
	}
	if err := store.Save(ctx, expiredKey, expiredUserToken(s)); err != nil {
		t.Fatal(err)
	}
	validSrc, _ := kickauth.UserTokenSource(ctx, cfg, store, validKey)
	expiredSrc, _ := kickauth.UserTokenSource(ctx, cfg, store, expiredKey)
	valid, err := validSrc.Token()
	if err != nil {
		t.Fatal(err)
	}

	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	if tok, err := validSrc.Token(); err != nil || tok.AccessToken != valid.AccessToken {
		t.Errorf("a valid token with Redis hanging: %v", err)
	}
	_, err = expiredSrc.Token()
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(err, kickredis.ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("an expired token with Redis hanging: %v, want an error matching ErrUnavailable and DeadlineExceeded", err)
	}
	if n := s.Requests(tokenRoute); n != 0 {
		t.Errorf("%d token requests while the lock could not be had, want 0", n)
	}
	lockKey := prefix + "lock:{" + expiredKey + "}"
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if n, err := c.Exists(ctx, lockKey).Result(); err == nil && n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the lock Redis granted after LockLease gave up is still held (its lease is a minute)")
		}
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		_, err := expiredSrc.Token() // again, after any backoff
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the expired token once Redis is back: %v", err)
		}
	}
	if n := s.Requests(tokenRoute); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}
