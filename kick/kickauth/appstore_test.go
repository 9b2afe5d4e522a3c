package kickauth_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// failingStore fails the operations named in fail, like a store whose server is down.
type failingStore struct {
	*kickauth.MemoryStore
	fail map[string]bool // "lock", "load", "save"
}

var errStoreDown = errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")

func (s *failingStore) Lock(ctx context.Context, key string) (func() error, error) {
	if s.fail["lock"] {
		return nil, errStoreDown
	}
	return s.MemoryStore.Lock(ctx, key)
}

func (s *failingStore) Load(ctx context.Context, key string) (*oauth2.Token, error) {
	if s.fail["load"] {
		return nil, errStoreDown
	}
	return s.MemoryStore.Load(ctx, key)
}

func (s *failingStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	if s.fail["save"] {
		return errStoreDown
	}
	return s.MemoryStore.Save(ctx, key, tok)
}

// Two sources sharing a store use one app token; a third without the store fetches its own.
func TestAppSourceSharesTokenThroughStore(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	store := kickauth.NewMemoryStore()
	a := kickauth.AppTokenSource(t.Context(), f.config(), kickauth.WithAppTokenStore(store, ""))
	b := kickauth.AppTokenSource(t.Context(), f.config(), kickauth.WithAppTokenStore(store, kickauth.AppStoreKey(testClientID)))
	ta, err := a.Token()
	if err != nil {
		t.Fatal(err)
	}
	tb, err := b.Token()
	if err != nil {
		t.Fatal(err)
	}
	if ta.AccessToken != tb.AccessToken || f.count("client_credentials") != 1 {
		t.Errorf("%d fetches, same token %v; want one token shared", f.count("client_credentials"), ta.AccessToken == tb.AccessToken)
	}
	stored, err := store.Load(t.Context(), kickauth.AppStoreKey(testClientID))
	if err != nil || stored.AccessToken != ta.AccessToken {
		t.Errorf("store: %v, %v", kickauth.Redact(stored), err)
	}
	own := kickauth.AppTokenSource(t.Context(), f.config(), kickauth.WithAppTokenStore(nil, ""))
	if tok, err := own.Token(); err != nil || tok.AccessToken == ta.AccessToken {
		t.Errorf("a source without a store: %v, %v; want a token of its own", kickauth.Redact(tok), err)
	}
}

// A token Kick rejected is not adopted again from the store: the source that invalidated it
// fetches a new one and saves it for the others.
func TestAppSourceInvalidateWithStore(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	store := kickauth.NewMemoryStore()
	a := kickauth.AppTokenSource(t.Context(), f.config(), kickauth.WithAppTokenStore(store, ""))
	b := kickauth.AppTokenSource(t.Context(), f.config(), kickauth.WithAppTokenStore(store, ""))
	first, err := a.Token()
	if err != nil {
		t.Fatal(err)
	}
	a.Invalidate(first.AccessToken)
	second, err := a.Token()
	if err != nil {
		t.Fatal(err)
	}
	if second.AccessToken == first.AccessToken || f.count("client_credentials") != 2 {
		t.Fatalf("after Invalidate: same token %v, %d fetches; want a new one", second.AccessToken == first.AccessToken, f.count("client_credentials"))
	}
	if tb, err := b.Token(); err != nil || tb.AccessToken != second.AccessToken {
		t.Errorf("the other source: %v, %v; want the replacement from the store", kickauth.Redact(tb), err)
	}
}

// The store is an optimization: when it fails, the source fetches and uses a token of its own.
func TestAppSourceStoreFailure(t *testing.T) {
	t.Parallel()
	for _, op := range []string{"lock", "load", "save"} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			f := newFakeKick(t)
			var logs strings.Builder
			store := &failingStore{MemoryStore: kickauth.NewMemoryStore(), fail: map[string]bool{op: true}}
			src := kickauth.AppTokenSource(t.Context(), f.config(), kickauth.WithAppTokenStore(store, ""),
				kickauth.WithLogger(newTextLogger(&logs)))
			tok, err := src.Token()
			if err != nil || tok.AccessToken == "" {
				t.Fatalf("Token with the store's %s failing: %v", op, err)
			}
			if n := f.count("client_credentials"); n != 1 {
				t.Errorf("%d fetches, want 1", n)
			}
			if !strings.Contains(logs.String(), "action="+map[string]string{"lock": "locking", "load": "loading", "save": "saving"}[op]) ||
				!strings.Contains(logs.String(), "connection refused") {
				t.Errorf("the failure was not logged:\n%s", logs.String())
			}
		})
	}
}

func TestAppStoreKey(t *testing.T) {
	t.Parallel()
	if got := kickauth.AppStoreKey("01JQB/x"); got != "01JQB%2Fx#app" {
		t.Errorf("AppStoreKey = %q", got)
	}
	for _, account := range []string{"app", "#app", "", "x#app"} {
		if kickauth.StoreKey("01JQB", account) == kickauth.AppStoreKey("01JQB") {
			t.Errorf("StoreKey(client, %q) is the app token's key", account)
		}
	}
}

func newTextLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
