package kickauth

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
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
	return context.WithTimeout(tokenContext(context.WithoutCancel(parent), o.client), fetchTimeout)
}

// tokenContext returns ctx carrying, under oauth2.HTTPClient, the HTTP client of token requests:
// c, else the one ctx carries, else http.DefaultClient, in a copy that follows no redirect. A
// token endpoint has no reason to redirect, and following one (a 307 or 308 replays the body)
// would send the form, client secret, refresh token, code and verifier included, wherever it
// led; x/oauth2 on its own follows it (golang/oauth2#500).
func tokenContext(ctx context.Context, c *http.Client) context.Context {
	if c == nil {
		c, _ = ctx.Value(oauth2.HTTPClient).(*http.Client)
	}
	if c == nil {
		c = http.DefaultClient
	}
	noRedirects := *c
	noRedirects.CheckRedirect = refuseRedirect
	return context.WithValue(ctx, oauth2.HTTPClient, &noRedirects)
}

// refuseRedirect is the CheckRedirect of token requests: it follows none.
func refuseRedirect(req *http.Request, via []*http.Request) error {
	e := &kick.RedirectError{Operation: "requestToken", Method: via[0].Method, URL: kick.RedactURL(via[len(via)-1].URL),
		Location: kick.RedactURL(req.URL), Reason: "a token request is never sent again by a redirect"}
	if req.Response != nil {
		e.StatusCode = req.Response.StatusCode
	}
	return e
}
