package kickauth_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// These tests run package kick's client with kickauth's user token source against the fake
// id.kick.com and a fake API on the same server: the contract between the two packages.

// apiUsers registers GET /public/v1/users on the fake, answering with handler.
func apiUsers(f *fakeKick, handler func(w http.ResponseWriter, bearer string)) {
	f.mux.HandleFunc("GET /public/v1/users", func(w http.ResponseWriter, r *http.Request) {
		handler(w, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	})
}

func kickClient(t *testing.T, f *fakeKick, src *kickauth.UserSource) *kick.Client {
	t.Helper()
	c, err := kick.NewClient(kick.WithAPIBaseURL(f.srv.URL), kick.WithUserTokenSource(src),
		kick.WithRetryPolicy(kick.RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestClientAtExpiryRefreshesOnceAndSavesFirst: 1000 goroutines call an endpoint when the user
// token has expired. Exactly one refresh reaches the token endpoint, and every API call that
// carries the new access token finds the rotated refresh token already in the store.
func TestClientAtExpiryRefreshesOnceAndSavesFirst(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	store := kickauth.NewMemoryStore()
	key := kickauth.StoreKey(testClientID, "streamer")
	ctx := context.Background()
	if err := store.Save(ctx, key, f.seedUserToken(time.Now().Add(-time.Minute))); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var newAccess, newRefresh string
	f.beforeRefreshAnswer = func(access, refresh string) {
		mu.Lock()
		newAccess, newRefresh = access, refresh
		mu.Unlock()
	}
	var withNew atomic.Int64
	apiUsers(f, func(w http.ResponseWriter, bearer string) {
		mu.Lock()
		access, refresh := newAccess, newRefresh
		mu.Unlock()
		if bearer == "" || bearer != access {
			t.Errorf("API call with %q, want the refreshed access token", bearer)
		} else {
			withNew.Add(1)
			stored, err := store.Load(context.Background(), key)
			if err != nil || stored.RefreshToken != refresh {
				t.Errorf("an API call used the new access token before the store held the rotated refresh token")
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":[],"message":"OK"}`))
	})
	src, err := kickauth.UserTokenSource(ctx, f.config(kick.ScopeUserRead), store, key)
	if err != nil {
		t.Fatal(err)
	}
	c := kickClient(t, f, src)
	var wg sync.WaitGroup
	for range 1000 {
		wg.Go(func() {
			if _, err := c.Users.Get(ctx, []int64{1}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := f.count("refresh_token"); n != 1 {
		t.Errorf("%d refresh requests, want exactly 1", n)
	}
	if n := withNew.Load(); n != 1000 {
		t.Errorf("%d API calls with the new token, want 1000", n)
	}
}

// TestClientAlways401RefreshesOnce: an API that always answers 401 gets one refresh and one replay,
// never a loop, and the caller gets an error matching ErrUnauthorized.
func TestClientAlways401RefreshesOnce(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	store := kickauth.NewMemoryStore()
	key := kickauth.StoreKey(testClientID, "streamer")
	ctx := context.Background()
	if err := store.Save(ctx, key, f.seedUserToken(time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	var mu sync.Mutex
	var bearers []string
	apiUsers(f, func(w http.ResponseWriter, bearer string) {
		calls.Add(1)
		mu.Lock()
		bearers = append(bearers, bearer)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"data":null,"message":"Unauthorized"}`))
	})
	src, err := kickauth.UserTokenSource(ctx, f.config(kick.ScopeUserRead), store, key)
	if err != nil {
		t.Fatal(err)
	}
	_, err = kickClient(t, f, src).Users.Get(ctx, []int64{1})
	if !errors.Is(err, kick.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if n := f.count("refresh_token"); n != 1 {
		t.Errorf("%d refreshes, want exactly 1", n)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d API calls, want 2 (the call and one replay)", n)
	}
	if len(bearers) == 2 && bearers[0] == bearers[1] {
		t.Error("the replay used the refused token")
	}
	for _, secret := range f.secrets() {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error contains a secret: %v", err)
		}
	}
}
