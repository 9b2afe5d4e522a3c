package kickauth

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// cache holds a source's current token and runs at most one fetch at a time: every caller that
// finds the token unusable while a fetch runs waits for that fetch and shares its result, error
// included, so a thousand callers at expiry cause one request, and a failing token endpoint is
// not hammered by the callers queued behind the failure.
type cache struct {
	ctx    context.Context // the source's: Token waits on it, fetches inherit its values
	margin time.Duration

	mu        sync.Mutex
	tok       *oauth2.Token
	refreshAt time.Time // when tok stops being handed out; zero: never (no expiry)
	bad       string    // an access token reported invalid by Invalidate
	held      bool      // tok must not be handed out yet (the user source could not save it)
	flight    *flight
}

// flight is one fetch, shared by every caller that needs a token while it runs.
type flight struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

// token returns the current token if it is usable, else the result of the running fetch, starting
// one with fetch if none runs. fetch runs in its own goroutine so that a caller giving up (ctx)
// does not abandon it halfway. fetch must set the new token with setLocked.
func (c *cache) token(ctx context.Context, fetch func() (*oauth2.Token, error)) (*oauth2.Token, error) {
	c.mu.Lock()
	if c.usableLocked() {
		t := cloneToken(c.tok)
		c.mu.Unlock()
		return t, nil
	}
	f := c.flight
	if f == nil {
		if ctx.Err() != nil {
			c.mu.Unlock()
			return nil, waitError(ctx)
		}
		f = &flight{done: make(chan struct{})}
		c.flight = f
		go func() {
			tok, err := fetch()
			c.mu.Lock()
			c.flight = nil
			f.tok, f.err = tok, err
			c.mu.Unlock()
			close(f.done)
		}()
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		if f.err != nil {
			return nil, f.err
		}
		return cloneToken(f.tok), nil
	case <-ctx.Done():
		return nil, waitError(ctx)
	}
}

func waitError(ctx context.Context) error {
	return fmt.Errorf("kickauth: waiting for a token: %w", context.Cause(ctx))
}

// usableLocked reports whether the current token can be handed out.
func (c *cache) usableLocked() bool {
	t := c.tok
	if t == nil || c.held || t.AccessToken == "" || t.AccessToken == c.bad {
		return false
	}
	return c.refreshAt.IsZero() || time.Now().Before(c.refreshAt)
}

// fresh reports whether tok, found outside the cache (in a store), can be handed out as it is.
func (c *cache) fresh(tok *oauth2.Token) bool {
	c.mu.Lock()
	bad := c.bad
	c.mu.Unlock()
	if tok == nil || tok.AccessToken == "" || tok.AccessToken == bad {
		return false
	}
	return tok.Expiry.IsZero() || time.Now().Add(c.margin).Before(tok.Expiry)
}

// setLocked makes tok the current token. A token just fetched from Kick is kept for at least
// half its lifetime, so that a margin longer than the lifetime cannot cause a fetch per call.
func (c *cache) setLocked(tok *oauth2.Token, fetched bool) {
	c.tok = tok
	c.refreshAt = time.Time{}
	if tok.Expiry.IsZero() {
		return
	}
	margin := c.margin
	if fetched {
		margin = min(margin, time.Until(tok.Expiry)/2)
	}
	c.refreshAt = tok.Expiry.Add(-margin)
}

// invalidate marks accessToken as rejected if it is still the current token, so that the next
// call fetches a new one. A stale report (the token was replaced since) changes nothing.
func (c *cache) invalidate(accessToken string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if accessToken != "" && c.tok != nil && c.tok.AccessToken == accessToken {
		c.bad = accessToken
	}
}

// current returns the current token, usable or not, for descriptions.
func (c *cache) current() *oauth2.Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tok
}

// cloneToken returns a copy of t, extra fields included, so callers cannot change the cached one.
func cloneToken(t *oauth2.Token) *oauth2.Token {
	c := *t
	return &c
}
