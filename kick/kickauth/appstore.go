package kickauth

import (
	"context"
	"errors"
	"log/slog"
	"net/url"

	"golang.org/x/oauth2"
)

// appStore is where an AppSource shares its token (WithAppTokenStore).
type appStore struct {
	store TokenStore
	key   string // "" until AppTokenSource sets AppStoreKey(cfg.ClientID)
}

// WithAppTokenStore makes AppTokenSource share its token through store, under key (AppStoreKey of
// the config's client id when key is ""): every process with a source on the same store and key
// uses one app token, and one of them fetches it. When a source needs a token it takes the key's
// lock (if store is a Locker or a LeaseLocker), adopts the stored token if it is valid beyond the
// refresh margin, and otherwise fetches a new one and saves it for the others.
//
// The store is an optimization, never a dependency: an app token spends nothing when it is
// fetched (unlike a user token's refresh token), so if the store cannot be locked or read the
// source fetches a token of its own, and if the new token cannot be saved it is used anyway; each
// failure is logged (WithLogger). UserTokenSource, which takes its store as an argument, ignores
// this option; a nil store is no store.
func WithAppTokenStore(store TokenStore, key string) Option {
	return func(o *options) {
		if store == nil {
			o.app = nil
			return
		}
		o.app = &appStore{store: store, key: key}
	}
}

// AppStoreKey returns the store key of the app token of clientID, for WithAppTokenStore. It
// differs from every StoreKey: a user account cannot take it.
func AppStoreKey(clientID string) string {
	return url.PathEscape(clientID) + "#app"
}

// fetchShared is fetch with a shared store: the stored token if another process fetched one,
// otherwise a new one, saved for the others.
func (s *AppSource) fetchShared(ctx context.Context) (*oauth2.Token, error) {
	st := s.opts.app
	lk, err := lockStore(ctx, st.store, st.key)
	if err != nil {
		s.storeFailed(ctx, "locking", err)
		return s.fetchOwn(ctx)
	}
	defer func() {
		if err := lk.release(); err != nil {
			s.storeFailed(ctx, "unlocking", err)
		}
	}()
	stored, err := st.store.Load(ctx, st.key)
	switch {
	case err == nil:
		s.c.mu.Lock()
		s.c.setLocked(stored, false)
		fresh := s.c.usableLocked()
		s.c.mu.Unlock()
		if fresh {
			s.opts.logger.LogAttrs(ctx, slog.LevelDebug, "kickauth: adopted the app token in the store",
				slog.String("client_id", s.clientID), slog.Time("expiry", stored.Expiry))
			return stored, nil
		}
	case !errors.Is(err, ErrNoToken):
		s.storeFailed(ctx, "loading", err)
	}
	tok, err := s.fetchOwn(ctx)
	if err != nil {
		return nil, err
	}
	if err := saveFenced(ctx, st.store, st.key, tok, lk.fence()); err != nil && !errors.Is(err, ErrFenced) {
		s.storeFailed(ctx, "saving", err)
	}
	return tok, nil
}

func (s *AppSource) storeFailed(ctx context.Context, action string, err error) {
	s.opts.logger.LogAttrs(ctx, slog.LevelWarn, "kickauth: the app token store failed; the source goes on without it",
		slog.String("client_id", s.clientID), slog.String("action", action), slog.String("error", err.Error()))
}
