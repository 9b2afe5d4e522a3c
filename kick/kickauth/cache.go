package kickauth

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// cache holds a source's current token and runs at most one fetch at a time: every caller that
// finds the token unusable while a fetch runs waits for that fetch and shares its result, error
// included, so a thousand callers at expiry cause one request, and a failing token endpoint is
// not hammered by the callers queued behind the failure. Nor by those who come after it: a fetch
// that failed and left no valid token is not tried again before a backoff (failureBackoff), and
// meanwhile every caller gets its error at once.
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

	// After a fetch that failed and left no valid token: its error, handed out without a new
	// fetch until failedUntil, and how many fetches in a row failed so.
	failErr     error
	failedUntil time.Time
	failures    int
	clock       func() time.Time // of failedUntil; nil means time.Now (tests set it)
}

// The backoff after failed fetches: from minFailureBackoff, doubling per failure up to
// maxFailureBackoff, jittered (see failureBackoff).
const (
	minFailureBackoff = time.Second
	maxFailureBackoff = time.Minute
)

// failureBackoff is the wait after the nth fetch in a row that failed: minFailureBackoff doubled
// n-1 times, at most maxFailureBackoff, with equal jitter (half fixed, half random), so that the
// processes sharing a failing token endpoint spread their attempts.
func failureBackoff(n int) time.Duration {
	d := minFailureBackoff
	for i := 1; i < n && d < maxFailureBackoff; i++ {
		d *= 2
	}
	d = min(d, maxFailureBackoff)
	return d/2 + rand.N(d/2+1) //nolint:gosec // jitter needs no cryptographic randomness
}

func (c *cache) nowLocked() time.Time {
	if c.clock != nil {
		return c.clock()
	}
	return time.Now()
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
		if now := c.nowLocked(); c.failErr != nil && now.Before(c.failedUntil) {
			err := fmt.Errorf("kickauth: not asking for a token again for %s after %d failed attempts: %w",
				c.failedUntil.Sub(now).Round(time.Millisecond), c.failures, c.failErr)
			c.mu.Unlock()
			return nil, err
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
			var reauthorize *ReauthorizeError
			switch {
			case err == nil:
				c.failErr, c.failures = nil, 0
			case !c.held && !errors.As(err, &reauthorize):
				// A token the user source holds but could not save is retried by the next
				// call: it holds the only valid refresh token. A ReauthorizeError makes no
				// request again for the same refresh token, and a new authorization must be
				// picked up at once.
				c.failErr, c.failures = err, c.failures+1
				c.failedUntil = c.nowLocked().Add(failureBackoff(c.failures))
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
	if fetched {
		c.failErr, c.failures = nil, 0
	}
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

// adopt makes tok, from the store, the current token and reports whether it can be handed out
// without a fetch.
func (c *cache) adopt(tok *oauth2.Token) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(tok, false)
	return c.usableLocked()
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
