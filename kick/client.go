package kick

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"golang.org/x/time/rate"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick/internal/tolerant"
)

// Client is a Kick API client. Its services hold one method per Kick operation. A Client is safe
// for concurrent use.
type Client struct {
	// Ads starts ad breaks and reads the ad state of the user's channel (inferred: see
	// AdsService).
	Ads *AdsService
	// Categories lists and searches stream categories.
	Categories *CategoriesService
	// Channels gets and updates channels.
	Channels *ChannelsService
	// Chat sends and deletes chat messages.
	Chat *ChatService
	// Drops lists and updates Drops claims (organization apps).
	Drops *DropsService
	// Events manages webhook event subscriptions.
	Events *EventsService
	// Kicks reads KICKs leaderboards.
	Kicks *KicksService
	// Livestreams lists live streams.
	Livestreams *LivestreamsService
	// Moderation bans, times out and unbans users.
	Moderation *ModerationService
	// PublicKey gets the key that verifies webhook signatures.
	PublicKey *PublicKeyService
	// Rewards manages channel-point rewards and their redemptions.
	Rewards *RewardsService
	// Tokens introspects, revokes and requests OAuth tokens.
	Tokens *TokensService
	// Users gets users.
	Users *UsersService

	cfg       config
	timeout   time.Duration // of a call, from sending to the end of the body: WithHTTPClient's Timeout
	http      *http.Client  // over the configured client's transport and jar; follows no redirect
	limiter   *rate.Limiter // WithRateLimit's; nil without
	apiURL    *url.URL      // cfg.baseURL, parsed
	oauthURL  *url.URL      // cfg.oauthBaseURL, parsed
	userAgent []string      // the User-Agent header value every request shares
	// sleep waits d or until ctx is done, and now tells the time of a Retry-After date; tests
	// replace them.
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time
	// unmarshal decodes the answers of the service methods: tolerant.Unmarshal, which the tests
	// that hold it to encoding/json v1 replace.
	unmarshal func(b []byte, v any) error
}

type service struct{ client *Client }

// NewClient returns a client configured by opts. Without token sources it can only call operations
// that need no token (the public key); see WithUserTokenSource and WithAppTokenSource.
func NewClient(opts ...Option) (*Client, error) {
	c := &Client{cfg: config{
		httpClient:   &http.Client{Timeout: 30 * time.Second},
		baseURL:      DefaultAPIBaseURL,
		oauthBaseURL: DefaultOAuthBaseURL,
		userAgent:    DefaultUserAgent,
		retry:        DefaultRetryPolicy,
		maxResponse:  DefaultMaxResponseBytes,
		syncStore:    NewMemorySyncStore(),
	}}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("kick: NewClient: nil option")
		}
		if err := opt(&c.cfg); err != nil {
			return nil, err
		}
	}
	base := c.cfg.httpClient.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	if c.cfg.rateLimit > 0 {
		c.limiter = rate.NewLimiter(rate.Limit(c.cfg.rateLimit), c.cfg.rateBurst)
	}
	// The only hosts and paths a token goes to; checkBaseURL made both URLs parse.
	c.apiURL, _ = url.Parse(c.cfg.baseURL)
	c.oauthURL, _ = url.Parse(c.cfg.oauthBaseURL)
	c.http = &http.Client{
		Transport: base,
		// send follows redirects itself, within the base URL (see send).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Jar:           c.cfg.httpClient.Jar,
		// No Timeout here: for a RoundTripper other than its own Transport, http.Client enforces
		// one with a goroutine, a timer and a cancel channel per request (about 3% of a 50-user
		// Users.Get). do sets the same deadline on the call's context instead.
	}
	c.timeout = c.cfg.httpClient.Timeout
	c.sleep, c.now, c.unmarshal = sleepCtx, time.Now, tolerant.Unmarshal
	c.userAgent = []string{c.cfg.userAgent}[:1:1]
	s := service{c}
	c.Ads = (*AdsService)(&s)
	c.Categories = (*CategoriesService)(&s)
	c.Channels = (*ChannelsService)(&s)
	c.Chat = (*ChatService)(&s)
	c.Drops = (*DropsService)(&s)
	c.Events = (*EventsService)(&s)
	c.Kicks = (*KicksService)(&s)
	c.Livestreams = (*LivestreamsService)(&s)
	c.Moderation = (*ModerationService)(&s)
	c.PublicKey = (*PublicKeyService)(&s)
	c.Rewards = (*RewardsService)(&s)
	c.Tokens = (*TokensService)(&s)
	c.Users = (*UsersService)(&s)
	return c, nil
}

// tokenKind returns the kind of token a call of op with opts will send, or the *MissingTokenError
// it will fail with. It returns "" for an operation that needs no token. Services use it to check
// input whose rules depend on the token kind.
func (c *Client) tokenKind(op *gen.Operation, opts []RequestOption) (TokenKind, error) {
	kind, _, err := c.pickToken(newCall(op, opts))
	return kind, err
}

// pickToken picks the token kind and source of a call: the kind chosen with WithTokenKind if any,
// else the first kind the call accepts that the client has a source for. It returns no source for
// an operation that needs no token.
func (c *Client) pickToken(cl *call) (TokenKind, *tokenCache, error) {
	if len(cl.kinds) == 0 {
		return "", nil, nil
	}
	chosen := cl.cfg.tokenKind
	source := func(k TokenKind) *tokenCache {
		switch k {
		case TokenKindUser:
			return c.cfg.userTokens
		case TokenKindApp:
			return c.cfg.appTokens
		}
		return nil
	}
	for _, k := range cl.kinds {
		if chosen != "" && k != chosen {
			continue
		}
		if ts := source(k); ts != nil {
			return k, ts, nil
		}
	}
	if cl.optionalAuth && chosen == "" {
		return "", nil, nil
	}
	return "", nil, &MissingTokenError{Operation: cl.op.ID, Accepted: slices.Clone(cl.kinds), Chosen: chosen}
}
