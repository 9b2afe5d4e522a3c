package kickauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"golang.org/x/oauth2"
)

// UserSource is an oauth2.TokenSource of one Kick user's access tokens, kept in a TokenStore
// under one key and refreshed with the refresh token (grant_type=refresh_token). It is safe for
// concurrent use; see the package documentation for the refresh sequence and its guarantees.
type UserSource struct {
	cfg   *oauth2.Config
	store TokenStore
	key   string
	opts  options
	c     cache

	// Guarded by c.mu: the refresh token Kick rejected with invalid_grant, and that error.
	dead    string
	deadErr *ReauthorizeError
	// Guarded by c.mu: the fence of the lease under which the held token (c.held) was refreshed.
	heldFence int64
}

// UserTokenSource returns the source of the user token stored in store under key (see
// StoreKey), for cfg's client. It reads the store on the first call to Token, not now. Put the
// first token in the store with SetToken after Exchange, or with store.Save.
//
// Refreshes use ctx's values (an *http.Client under oauth2.HTTPClient, unless WithHTTPClient is
// given) but not its cancellation: a refresh that has started finishes and is saved, since
// abandoning it after Kick rotated the refresh token would lose the new one. Token waits no
// longer than ctx lives. cfg's client credentials are always sent in the form body.
func UserTokenSource(ctx context.Context, cfg *oauth2.Config, store TokenStore, key string, opts ...Option) (*UserSource, error) {
	switch {
	case cfg == nil:
		return nil, errors.New("kickauth: UserTokenSource: nil config")
	case store == nil:
		return nil, errors.New("kickauth: UserTokenSource: nil store")
	case key == "":
		return nil, errors.New("kickauth: UserTokenSource: empty key")
	}
	o := newOptions(opts)
	return &UserSource{cfg: kickConfig(cfg), store: store, key: key, opts: o, c: cache{ctx: ctx, margin: o.margin}}, nil
}

// Key returns the store key of the source's token.
func (s *UserSource) Key() string { return s.key }

// Token returns a valid user access token. It returns the current token while it is valid
// beyond the refresh margin; otherwise it refreshes, one refresh at a time however many
// goroutines call, and saves the new token to the store before returning it. An error matching
// ErrReauthorize means the user must authorize the app again. Never log the token; see Redact.
func (s *UserSource) Token() (*oauth2.Token, error) { return s.TokenContext(s.c.ctx) }

// TokenContext is Token, waiting for a refresh no longer than ctx lives. A refresh that ctx
// abandons still completes and is saved.
func (s *UserSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	return s.c.token(ctx, s.fetch)
}

// Invalidate reports that Kick rejected accessToken (a 401): if it is still the current token,
// the next Token refreshes, or adopts a different valid token another process saved. However
// many goroutines report the same token, one refresh follows; a report about a token already
// replaced is ignored. An HTTP transport calls it through the interface
// interface{ Invalidate(accessToken string) } before its one retry of the request.
func (s *UserSource) Invalidate(accessToken string) { s.c.invalidate(accessToken) }

// SetToken saves tok, a token from Exchange, to the store under the source's key (holding the
// store's lock if it is a Locker) and makes it the current token. Call it after the user
// authorized the app again; it also clears a remembered invalid_grant.
func (s *UserSource) SetToken(ctx context.Context, tok *oauth2.Token) error {
	if err := checkSave(tok); err != nil {
		return err
	}
	tok = cloneToken(tok)
	if l, ok := s.store.(Locker); ok {
		unlock, err := l.Lock(ctx, s.key)
		if err != nil {
			return fmt.Errorf("kickauth: set the user token of key %q: %w", s.key, err)
		}
		defer s.unlock(ctx, unlock)
	}
	if err := s.store.Save(ctx, s.key, tok); err != nil {
		return s.saveError(err, tok)
	}
	s.c.mu.Lock()
	s.c.setLocked(tok, true)
	s.c.held, s.c.bad, s.dead, s.deadErr = false, "", "", nil
	s.c.mu.Unlock()
	return nil
}

// fetch gets a new current token; it runs in the cache's flight, one at a time per source, and
// under the store's lock, one at a time per key across the processes sharing the store.
func (s *UserSource) fetch() (*oauth2.Token, error) {
	ctx, cancel := s.opts.fetchContext(s.c.ctx)
	defer cancel()
	tok, err := s.refresh(ctx)
	if err != nil {
		s.opts.logger.LogAttrs(ctx, slog.LevelWarn, "kickauth: user token refresh failed",
			slog.String("key", s.key), slog.String("error", err.Error()))
	}
	return tok, err
}

func (s *UserSource) refresh(ctx context.Context) (*oauth2.Token, error) {
	lk, err := lockStore(ctx, s.store, s.key)
	if err != nil {
		return nil, fmt.Errorf("kickauth: refresh the user token of key %q: %w", s.key, err)
	}
	defer s.unlock(ctx, lk.release)

	s.c.mu.Lock()
	cur, held, heldFence := s.c.tok, s.c.held, s.heldFence
	s.c.mu.Unlock()
	if held {
		// An earlier refresh got this token but could not save it; it holds the only valid
		// refresh token, so it must reach the store before anything else happens. It is saved
		// under the fence of the lease it was refreshed under: if a later holder saved since,
		// the store's token is the newer one and is adopted below.
		err := saveFenced(ctx, s.store, s.key, cur, heldFence)
		if err != nil && !errors.Is(err, ErrFenced) {
			return nil, s.saveError(err, cur)
		}
		s.c.mu.Lock()
		s.c.held = false
		ok := err == nil && s.c.usableLocked()
		s.c.mu.Unlock()
		if ok {
			s.opts.logger.LogAttrs(ctx, slog.LevelDebug, "kickauth: saved the refreshed user token",
				slog.String("key", s.key), slog.Time("expiry", cur.Expiry))
			return cur, nil
		}
	}

	// The store is the truth: another process may have refreshed (and spent the refresh token
	// this process last saw), or the user may have authorized again.
	stored, err := s.store.Load(ctx, s.key)
	refill := false
	if errors.Is(err, ErrNoToken) {
		// The store lost the token (a Redis restarted empty, a restored backup) or never had one.
		// A token this source holds, from the store or from Kick, refills it: its refresh token
		// is the one to use, and the result is saved as usual.
		if stored = s.refillToken(); stored == nil {
			return nil, &ReauthorizeError{Key: s.key, Description: "no token in the store", Err: err}
		}
		refill = true
		s.opts.logger.LogAttrs(ctx, slog.LevelWarn, "kickauth: the store has no token; refilling it from the token this source holds",
			slog.String("key", s.key))
	} else if err != nil {
		return nil, &redactedError{msg: fmt.Sprintf("kickauth: load the user token of key %q: %s", s.key, scrubToken(err.Error(), cur)), err: err}
	}
	if !refill {
		// The stored token becomes the current one: if it is valid beyond the margin it needs no
		// refresh; if it is merely unexpired, it is what Token falls back on should the refresh
		// fail.
		if s.c.adopt(stored) {
			s.opts.logger.LogAttrs(ctx, slog.LevelDebug, "kickauth: adopted the user token in the store",
				slog.String("key", s.key), slog.Time("expiry", stored.Expiry))
			return stored, nil
		}
	}
	rt := stored.RefreshToken
	if rt == "" {
		return nil, &ReauthorizeError{Key: s.key, Description: "the stored token has no refresh token"}
	}
	s.c.mu.Lock()
	deadErr := s.deadErr
	if rt != s.dead {
		deadErr = nil
	}
	s.c.mu.Unlock()
	if deadErr != nil {
		return nil, deadErr // Kick rejected this refresh token already: do not ask again
	}
	if lk.lost() {
		// Another process may hold the lock now and be spending this refresh token: send
		// nothing, but hand out what it saved, if it has.
		err := fmt.Errorf("kickauth: refresh the user token of key %q: %w", s.key, ErrLeaseLost)
		return s.reread(ctx, rt, err)
	}

	tok, err := s.cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: rt}).Token()
	if err != nil {
		err = userTokenError(fmt.Sprintf("refresh the user token of key %q", s.key), s.key, err, rt, s.cfg.ClientSecret)
		var re *ReauthorizeError
		if errors.As(err, &re) {
			if refill {
				// Kick refused the refresh token this source held for the empty store: another
				// process may have spent it, and hold the newer token, which it saves at its next
				// refresh. Say so: the store lost its data, the user may not have to act.
				re.Description = "no token in the store, and Kick refused the refresh token this source held (another process may hold a newer one): " + re.Description
			}
			s.c.mu.Lock()
			s.dead, s.deadErr = rt, re
			s.c.mu.Unlock()
		}
		if re != nil || lk.lost() {
			// Kick refused the refresh token, or the lease ran out while Kick answered: another
			// process may have spent it and saved the result. The store tells.
			return s.reread(ctx, rt, err)
		}
		return nil, err
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = rt // Kick kept the refresh token: it stays valid
	}
	if err := saveFenced(ctx, s.store, s.key, tok, lk.fence()); err != nil {
		if errors.Is(err, ErrFenced) {
			return s.adoptNewer(ctx, err, tok)
		}
		s.c.mu.Lock()
		s.c.setLocked(tok, true)
		s.c.held = true
		s.heldFence = lk.fence()
		s.c.mu.Unlock()
		return nil, s.saveError(err, tok)
	}
	s.c.mu.Lock()
	s.c.setLocked(tok, true)
	s.c.held = false
	s.c.mu.Unlock()
	s.opts.logger.LogAttrs(ctx, slog.LevelDebug, "kickauth: refreshed the user token",
		slog.String("key", s.key), slog.Time("expiry", tok.Expiry))
	return tok, nil
}

// refillToken returns the token to refill an empty store with: the one the source holds, if it
// has a refresh token Kick has not rejected; nil otherwise.
func (s *UserSource) refillToken() *oauth2.Token {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	t := s.c.tok
	if t == nil || t.RefreshToken == "" || t.RefreshToken == s.dead {
		return nil
	}
	return cloneToken(t)
}

// reread follows a refresh that did not happen or failed (failed) with the refresh token rt: if
// the store now holds another token — a later holder of the lock refreshed, or the user
// authorized again — that token becomes the current one and, if it is valid, is handed out.
// Otherwise failed stands, unless the store changed: then the next call takes it from there, and
// the error says so rather than asking the user to authorize again.
func (s *UserSource) reread(ctx context.Context, rt string, failed error) (*oauth2.Token, error) {
	stored, err := s.store.Load(ctx, s.key)
	if err != nil || stored.RefreshToken == rt {
		return nil, failed
	}
	if s.c.adopt(stored) {
		s.opts.logger.LogAttrs(ctx, slog.LevelInfo, "kickauth: the refresh failed, but another process saved a newer user token; adopting it",
			slog.String("key", s.key), slog.String("error", failed.Error()))
		return stored, nil
	}
	msg := fmt.Sprintf("kickauth: refresh the user token of key %q: the store holds a newer token, which is due for a refresh too; the next call refreshes it (after: %s)", s.key, failed)
	if errors.Is(failed, ErrLeaseLost) {
		return nil, &redactedError{msg: msg, err: ErrLeaseLost}
	}
	return nil, errors.New(msg)
}

func (s *UserSource) unlock(ctx context.Context, unlock func() error) {
	if err := unlock(); err != nil {
		s.opts.logger.LogAttrs(ctx, slog.LevelWarn, "kickauth: releasing the store lock failed",
			slog.String("key", s.key), slog.String("error", err.Error()))
	}
}

// saveError reports a failed Save; a store's error might quote the token, so it is scrubbed.
func (s *UserSource) saveError(err error, tok *oauth2.Token) error {
	msg := fmt.Sprintf("kickauth: save the user token of key %q (kept in memory and handed out once saved): %s",
		s.key, scrubToken(err.Error(), tok))
	return &redactedError{msg: msg, err: err}
}

func scrubToken(s string, tok *oauth2.Token) string {
	if tok == nil {
		return s
	}
	return scrub(s, tok.AccessToken, tok.RefreshToken)
}

// String describes the source and its token without the token's value.
func (s *UserSource) String() string {
	return fmt.Sprintf("kickauth.UserSource{Key: %q, Token: %s}", s.key, describeToken(s.c.current()))
}

// GoString is String.
func (s *UserSource) GoString() string { return s.String() }

// Format prints String for every verb.
func (s *UserSource) Format(f fmt.State, verb rune) { writeRedacted(f, verb, s.String()) }

// LogValue logs the key and the token's expiry and scope, never the token.
func (s *UserSource) LogValue() slog.Value {
	return slog.GroupValue(slog.String("key", s.key), slog.Any("token", tokenLogValue(s.c.current())))
}
