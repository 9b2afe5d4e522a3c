package kick

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Default endpoints and settings of a Client.
const (
	// DefaultAPIBaseURL is Kick's REST API.
	DefaultAPIBaseURL = "https://api.kick.com"
	// DefaultOAuthBaseURL is Kick's OAuth server.
	DefaultOAuthBaseURL = "https://id.kick.com"
)

// DefaultMaxResponseBytes is the longest success body a Client reads unless WithMaxResponseBytes
// sets another limit: 16 MiB, some ten times Kick's largest page (1,000 livestreams or categories
// of about 1.5 KB each).
const DefaultMaxResponseBytes = 16 << 20

// DefaultUserAgent is the User-Agent the client sends unless WithUserAgent sets another.
var DefaultUserAgent = "kick-go/" + Version

// Option configures a Client in NewClient. Options check their input: NewClient returns the first
// option's error.
type Option func(*config) error

// RetryPolicy is the shape of the client's retry behavior: how many times a failed request may be
// retried and the bounds of the exponential backoff between attempts.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt; 0 disables retries.
	MaxRetries int
	// MinBackoff is the first backoff; each retry doubles it, with jitter.
	MinBackoff time.Duration
	// MaxBackoff caps a single backoff.
	MaxBackoff time.Duration
}

// DefaultRetryPolicy is the policy of a Client created without WithRetryPolicy.
var DefaultRetryPolicy = RetryPolicy{MaxRetries: 2, MinBackoff: 500 * time.Millisecond, MaxBackoff: 8 * time.Second}

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxRetries < 0:
		return errors.New("MaxRetries is negative")
	case p.MaxRetries > 10:
		return errors.New("MaxRetries is over 10")
	case p.MinBackoff < 0 || p.MaxBackoff < 0:
		return errors.New("a backoff is negative")
	case p.MaxRetries > 0 && p.MinBackoff == 0:
		return errors.New("MinBackoff is zero")
	case p.MaxBackoff < p.MinBackoff:
		return errors.New("MaxBackoff is below MinBackoff")
	}
	return nil
}

// RequestInfo describes one HTTP request the client made, for WithRequestHook. It never contains a
// token: URL has secret query values redacted.
type RequestInfo struct {
	// Operation is the Kick operation id, such as "getUsers"; for a request Client.Do matched to
	// no operation the SDK knows, its method and path, such as "GET /public/v2/widgets".
	Operation string
	// Method and URL identify the request.
	Method string
	URL    string
	// StatusCode is the response status, or 0 when no response arrived.
	StatusCode int
	// Attempt counts from 1.
	Attempt int
	// Duration is the time from sending the request to receiving the response headers.
	Duration time.Duration
	// Err is the transport error, if any.
	Err error
}

type config struct {
	httpClient   *http.Client
	baseURL      string
	oauthBaseURL string
	userAgent    string
	userTokens   *tokenCache
	appTokens    *tokenCache
	rateLimit    float64
	rateBurst    int
	logger       *slog.Logger
	hook         func(RequestInfo)
	retry        RetryPolicy
	maxResponse  int64
	noScopeCheck bool
	syncStore    SyncStore // Events.Sync's markers; a MemorySyncStore unless WithSyncStore
}

// WithHTTPClient sets the HTTP client whose transport sends the requests. The default is a client
// with a 30-second timeout. The client's Timeout bounds each call, from sending to the end of the
// body, retries included (a Timeout of 0 leaves only the context's deadline); its Jar is used; its
// CheckRedirect runs after the client's own redirect policy (see RedirectError), which it cannot
// widen.
func WithHTTPClient(c *http.Client) Option {
	return func(cfg *config) error {
		if c == nil {
			return errors.New("kick: WithHTTPClient: nil client")
		}
		cfg.httpClient = c
		return nil
	}
}

// WithMaxResponseBytes sets the longest success body the client reads, DefaultMaxResponseBytes by
// default; n must be positive. A longer body is not read further, and the call fails with an
// error matching ErrResponseTooLarge and ErrUnexpectedResponse. Error answers are kept to their
// first 4 KiB whatever n is.
func WithMaxResponseBytes(n int64) Option {
	return func(cfg *config) error {
		if n <= 0 {
			return fmt.Errorf("kick: WithMaxResponseBytes: %d is not a positive number of bytes", n)
		}
		cfg.maxResponse = n
		return nil
	}
}

// WithAPIBaseURL sets the REST API's base URL, for a proxy or a fake server such as kicktest. The
// default is DefaultAPIBaseURL.
func WithAPIBaseURL(u string) Option {
	return func(cfg *config) error {
		clean, err := checkBaseURL(u)
		if err != nil {
			return fmt.Errorf("kick: WithAPIBaseURL: %w", err)
		}
		cfg.baseURL = clean
		return nil
	}
}

// WithOAuthBaseURL sets the OAuth server's base URL. The default is DefaultOAuthBaseURL.
func WithOAuthBaseURL(u string) Option {
	return func(cfg *config) error {
		clean, err := checkBaseURL(u)
		if err != nil {
			return fmt.Errorf("kick: WithOAuthBaseURL: %w", err)
		}
		cfg.oauthBaseURL = clean
		return nil
	}
}

func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%q is not an http or https URL", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("%q has no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%q may not carry a query, fragment or user info", raw)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// WithUserAgent sets the User-Agent header. The default is DefaultUserAgent. Kick's Cloudflare edge
// blocks some unusual agents, so keep it descriptive.
func WithUserAgent(ua string) Option {
	return func(cfg *config) error {
		if strings.TrimSpace(ua) == "" {
			return errors.New("kick: WithUserAgent: empty User-Agent")
		}
		if strings.ContainsAny(ua, "\r\n") {
			return errors.New("kick: WithUserAgent: User-Agent contains a line break")
		}
		cfg.userAgent = ua
		return nil
	}
}

// WithUserTokenSource sets the source of user access tokens (authorization code flow), used by
// calls that act for a user. The client caches its tokens until they expire and fetches one at a
// time, so any source works. When Kick answers 401 and the source has a method
// Invalidate(accessToken string), as kickauth's user token source does, the client invalidates the
// refused token and replays the request once with a fresh one.
func WithUserTokenSource(ts oauth2.TokenSource) Option {
	return func(cfg *config) error {
		if ts == nil {
			return errors.New("kick: WithUserTokenSource: nil token source")
		}
		cfg.userTokens = newTokenCache(ts)
		return nil
	}
}

// WithAppTokenSource sets the source of app access tokens (client credentials flow), used by calls
// on public data and for webhook subscriptions to any channel. The client caches its tokens until
// they expire.
func WithAppTokenSource(ts oauth2.TokenSource) Option {
	return func(cfg *config) error {
		if ts == nil {
			return errors.New("kick: WithAppTokenSource: nil token source")
		}
		cfg.appTokens = newTokenCache(ts)
		return nil
	}
}

// WithLogger logs every request at debug level (failures at warn level): operation, method, URL
// with secrets redacted, status, attempt and duration. Tokens are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(cfg *config) error {
		if l == nil {
			return errors.New("kick: WithLogger: nil logger")
		}
		cfg.logger = l
		return nil
	}
}

// WithRequestHook calls fn after every HTTP request the client makes, from the goroutine that made
// it. fn must be safe for concurrent use and should return quickly.
func WithRequestHook(fn func(RequestInfo)) Option {
	return func(cfg *config) error {
		if fn == nil {
			return errors.New("kick: WithRequestHook: nil function")
		}
		cfg.hook = fn
		return nil
	}
}

// WithRetryPolicy sets how failed requests are retried. The default is DefaultRetryPolicy; a zero
// RetryPolicy disables retries.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(cfg *config) error {
		if err := p.validate(); err != nil {
			return fmt.Errorf("kick: WithRetryPolicy: %w", err)
		}
		cfg.retry = p
		return nil
	}
}

// WithRateLimit spaces requests out on the client side: at most perSecond requests a second on
// average, with bursts of up to burst. Kick publishes no limits; Kick staff mentioned 100 a minute
// for some endpoints. Every attempt, retries included, waits for the limiter, and the wait ends
// with the context.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(cfg *config) error {
		if perSecond <= 0 || burst < 1 {
			return errors.New("kick: WithRateLimit: need a positive rate and a burst of at least 1")
		}
		cfg.rateLimit, cfg.rateBurst = perSecond, burst
		return nil
	}
}

// TokenKind is the kind of an access token: a user access token acts for a user within the scopes
// the user granted; an app access token acts for the app alone.
type TokenKind string

// The token kinds. Their values are those of Kick's token introspection.
const (
	TokenKindUser TokenKind = "user"
	TokenKindApp  TokenKind = "app"
)

// RequestOption adjusts one call.
type RequestOption func(*requestConfig)

type requestConfig struct {
	tokenKind TokenKind
	noToken   bool        // WithoutToken
	response  *Response   // WithResponse
	secrets   []string    // credentials the request carries besides the token, for redaction
	kinds     []TokenKind // onlyTokens
}

// onlyTokens narrows a call to fewer token kinds than its operation accepts, such as Users.Me
// (getUsers with a user token: it asks for the token's own user). The kinds must be the
// operation's.
func onlyTokens(kinds ...TokenKind) RequestOption {
	return func(rc *requestConfig) { rc.kinds = kinds }
}

// sends marks credentials a request carries in its query or body (the token of a revocation, the
// client secret of a token request), to be redacted from its errors and logs like the token.
func sends(secrets ...string) RequestOption {
	return func(rc *requestConfig) { rc.secrets = append(rc.secrets, secrets...) }
}

// withOption returns opts and o in a new slice, leaving the caller's untouched.
func withOption(opts []RequestOption, o RequestOption) []RequestOption {
	return append(opts[:len(opts):len(opts)], o)
}

// WithTokenKind makes one call use the given kind of token, when the operation accepts it. By
// default a call that accepts both kinds uses the user token when the client has a source for one,
// and the app token otherwise. Subscribing to events of a channel other than the user's own needs
// WithTokenKind(TokenKindApp).
func WithTokenKind(k TokenKind) RequestOption {
	return func(rc *requestConfig) { rc.tokenKind = k }
}
