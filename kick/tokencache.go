package kick

import (
	"context"
	"sync"
	"sync/atomic"

	"golang.org/x/oauth2"
)

// invalidator is implemented by token sources that can be told an access token was refused, so
// that their next Token refreshes (kickauth's user token source does).
type invalidator interface {
	Invalidate(accessToken string)
}

// tokenCache hands out one source's token until it expires, fetching one token at a time however
// many goroutines ask, and can drop a token Kick refused. A source that can be invalidated (such as
// kickauth's) manages its own cache, refresh margin and single fetch, so its tokens are not cached
// again here: that would override its margin and hide a refresh.
type tokenCache struct {
	mu      sync.Mutex
	src     oauth2.TokenSource
	managed bool // src implements invalidator
	tok     *oauth2.Token
	// header is the Authorization header value of the last token sent, made once per token
	// rather than once per request.
	header atomic.Pointer[bearerHeader]
}

// bearerHeader is an access token and its Authorization header value.
type bearerHeader struct {
	token string
	value []string
}

// bearer returns the Authorization header value of accessToken ("Bearer <token>"), as a slice of
// one value that requests share and nothing changes (its capacity is its length).
func (c *tokenCache) bearer(accessToken string) []string {
	if h := c.header.Load(); h != nil && h.token == accessToken {
		return h.value
	}
	h := &bearerHeader{token: accessToken, value: []string{"Bearer " + accessToken}[:1:1]}
	c.header.Store(h)
	return h.value
}

func newTokenCache(src oauth2.TokenSource) *tokenCache {
	_, managed := src.(invalidator)
	return &tokenCache{src: src, managed: managed}
}

// contextTokenSource is implemented by token sources whose wait for a token can end with a context.
type contextTokenSource interface {
	TokenContext(ctx context.Context) (*oauth2.Token, error)
}

// fetch asks the source for a token, with ctx when it can take one.
func (c *tokenCache) fetch(ctx context.Context) (*oauth2.Token, error) {
	if cs, ok := c.src.(contextTokenSource); ok {
		return cs.TokenContext(ctx)
	}
	return c.src.Token()
}

// Token returns the cached token while it is valid, else a new one from the source.
func (c *tokenCache) Token(ctx context.Context) (*oauth2.Token, error) {
	if c.managed {
		return c.fetch(ctx)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok.Valid() {
		return c.tok, nil
	}
	tok, err := c.fetch(ctx)
	if err != nil {
		return nil, err
	}
	c.tok = tok
	return tok, nil
}

// refreshable reports whether the source can produce a new token after a refusal.
func (c *tokenCache) refreshable() bool { return c.managed }

// invalidate drops accessToken if it is the cached one and tells the source.
func (c *tokenCache) invalidate(accessToken string) {
	if c.managed {
		c.src.(invalidator).Invalidate(accessToken)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok != nil && c.tok.AccessToken == accessToken {
		c.tok = nil
	}
}
