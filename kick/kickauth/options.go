package kickauth

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/oauth2"
)

// DefaultRefreshMargin is how long before its expiry a token source replaces a token, unless
// WithRefreshMargin says otherwise. It covers clock skew and the time a request takes to reach
// Kick.
const DefaultRefreshMargin = time.Minute

// fetchTimeout bounds one fetch of a token: waiting for the store's lock, the request to the
// token endpoint, and saving the result.
const fetchTimeout = time.Minute

// An Option configures AppTokenSource or UserTokenSource.
type Option func(*options)

type options struct {
	margin time.Duration
	client *http.Client
	logger *slog.Logger
	app    *appStore // AppTokenSource's shared store (WithAppTokenStore)
}

func newOptions(opts []Option) options {
	o := options{margin: DefaultRefreshMargin}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// WithRefreshMargin makes the source replace a token when less than d is left before it expires
// (default DefaultRefreshMargin; a negative d counts as 0). A token just fetched is kept for at
// least half its lifetime whatever d is, so a margin longer than Kick's token lifetime cannot
// turn into a refresh on every call.
func WithRefreshMargin(d time.Duration) Option {
	return func(o *options) { o.margin = max(d, 0) }
}

// WithHTTPClient sets the HTTP client for requests to the token endpoint. Without it, the client
// stored in the source's context under oauth2.HTTPClient is used, else http.DefaultClient.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) { o.client = c }
}

// WithLogger logs fetches, refreshes and their failures: debug for a token fetched or adopted
// from the store, warn for failures. Log records carry the store key, client id and expiry,
// never a token.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// fetchContext derives the context of one fetch from the source's context: its values (such as
// oauth2.HTTPClient) but not its cancellation, because a refresh abandoned after Kick has
// rotated the refresh token would lose the new one. fetchTimeout bounds it instead.
func (o *options) fetchContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx := context.WithoutCancel(parent)
	if o.client != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, o.client)
	}
	return context.WithTimeout(ctx, fetchTimeout)
}
