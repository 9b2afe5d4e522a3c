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
	refreshAt time.Time // when tok is due for replacement; zero: never (no expiry)
	retryAt   time.Time // after a failed fetch while tok was still valid: no new fetch before
	bad       string    // an access token reported invalid by Invalidate
	held      bool      // tok must not be handed out yet (the user source could not save it)
	flight    *flight
}

// retryDelay is how long a source keeps handing out a token that is due for replacement but
// still valid after a fetch of its replacement failed, before it tries again.
const retryDelay = 5 * time.Second

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
			if err != nil && c.stillValidLocked() {
				// Kick or the store failed, but the current token has not expired yet: keep
				// using it, and try again after retryDelay rather than on every call.
				tok, err = c.tok, nil
				c.retryAt = time.Now().Add(retryDelay)
			}
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

// usableLocked reports whether the current token can be handed out without a fetch.
func (c *cache) usableLocked() bool {
	if !c.stillValidLocked() {
		return false
	}
	now := time.Now()
	return c.refreshAt.IsZero() || now.Before(c.refreshAt) || now.Before(c.retryAt)
}

// stillValidLocked reports whether the current token may be handed out at all: it exists, is
// saved, was not reported invalid and has not expired.
func (c *cache) stillValidLocked() bool {
	t := c.tok
	if t == nil || c.held || t.AccessToken == "" || t.AccessToken == c.bad {
		return false
	}
	return t.Expiry.IsZero() || time.Now().Before(t.Expiry)
}

// setLocked makes tok the current token. A token just fetched from Kick is kept for at least
// half its lifetime, so that a margin longer than the lifetime cannot cause a fetch per call.
func (c *cache) setLocked(tok *oauth2.Token, fetched bool) {
	c.tok = tok
	c.refreshAt, c.retryAt = time.Time{}, time.Time{}
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
