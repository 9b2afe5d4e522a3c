package kick

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/kick-sdk/kick-go/gen"
)

// Client is a Kick API client. Its services hold one method per Kick operation. A Client is safe
// for concurrent use.
type Client struct {
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

	cfg     config
	timeout time.Duration // of a call, from sending to the end of the body: WithHTTPClient's Timeout
	api     *gen.Client   // api.kick.com operations
	oauth   *gen.Client   // id.kick.com operations
}

type service struct{ client *Client }

// NewClient returns a client configured by opts. Without token sources it can only call operations
// that need no token (the public key); see WithUserTokenSource and WithAppTokenSource.
func NewClient(opts ...Option) (*Client, error) {
	c := &Client{cfg: config{
		httpClient:   &http.Client{Timeout: 30 * time.Second},
		baseURL:      DefaultBaseURL,
		oauthBaseURL: DefaultOAuthBaseURL,
		userAgent:    DefaultUserAgent,
		retry:        DefaultRetryPolicy,
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
	var limiter *rate.Limiter
	if c.cfg.rateLimit > 0 {
		limiter = rate.NewLimiter(rate.Limit(c.cfg.rateLimit), c.cfg.rateBurst)
	}
	httpClient := &http.Client{
		Transport: &retryTransport{
			next:    &authTransport{next: &logTransport{next: base, logger: c.cfg.logger, hook: c.cfg.hook}},
			policy:  c.cfg.retry,
			limiter: limiter,
			sleep:   sleepCtx,
			now:     time.Now,
		},
		CheckRedirect: c.cfg.httpClient.CheckRedirect,
		Jar:           c.cfg.httpClient.Jar,
		// No Timeout here: for a RoundTripper other than its own Transport, http.Client enforces
		// one with a goroutine, a timer and a cancel channel per request (about 3% of a 50-user
		// Users.Get). call sets the same deadline on the request's context instead.
	}
	c.timeout = c.cfg.httpClient.Timeout
	var err error
	if c.api, err = gen.NewClient(c.cfg.baseURL, gen.WithHTTPClient(httpClient)); err != nil {
		return nil, fmt.Errorf("kick: NewClient: %w", err)
	}
	if c.oauth, err = gen.NewClient(c.cfg.oauthBaseURL, gen.WithHTTPClient(httpClient)); err != nil {
		return nil, fmt.Errorf("kick: NewClient: %w", err)
	}
	s := service{c}
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

// auth says which token kinds an operation accepts, in order of preference.
type auth []TokenKind

// endpoint is what the client knows of an operation. tools/kickgen derives one per operation
// from the spec (endpoints.gen.go): its id, method and path, the token kinds of its security in
// the order the client tries them, and whether its success body must carry data.
type endpoint struct {
	id           string
	method, path string
	auth         auth
	requiresData bool
}

// only narrows ep to the token kinds of a call that needs fewer than the operation accepts, such
// as Users.Me (getUsers with a user token: it asks for the token's own user). It panics if ep does
// not accept one of kinds: a narrowing is fixed at init, so a spec change that breaks it fails
// every test at once.
func (ep endpoint) only(kinds ...TokenKind) endpoint {
	for _, k := range kinds {
		if !slices.Contains(ep.auth, k) {
			panic(fmt.Sprintf("kick: %s does not accept %s tokens (it accepts %v)", ep.id, k, ep.auth))
		}
	}
	ep.auth = append(auth(nil), kinds...)
	return ep
}

// call sends one operation: it picks the token, lets send build and send the request through the
// generated client, and turns a non-2xx answer into an *APIError. On success the caller decodes
// the response with the generated parser, which reads and closes the body.
func (c *Client) call(ctx context.Context, ep endpoint, opts []RequestOption, send func(context.Context, ...gen.RequestEditorFn) (*http.Response, error)) (*http.Response, error) {
	var rc requestConfig
	for _, o := range opts {
		if o != nil {
			o(&rc)
		}
	}
	_, tokens, err := c.pickToken(ep, rc.tokenKind)
	if err != nil {
		return nil, err
	}
	ci := &callInfo{op: ep.id, tokens: tokens}
	if tokens != nil {
		// Get the token now, so that a failing token source sends nothing; the first attempt
		// sends this token, and retries ask the source again.
		tok, err := tokens.Token(ctx)
		if err != nil {
			return nil, fmt.Errorf("kick: %s: get token: %w", ep.id, err)
		}
		ci.first = tok
	}
	ctx = context.WithValue(ctx, ctxKey{}, ci)
	cancel := context.CancelFunc(func() {})
	if c.timeout > 0 {
		// The HTTP client's Timeout: sending, redirects, retries and reading the body. The body's
		// Close ends it.
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	rsp, err := send(ctx, c.setUserAgent)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("kick: %s: %w", ep.id, redactError(err))
	}
	rsp.Body = &cancelBody{ReadCloser: rsp.Body, cancel: cancel}
	if rsp.StatusCode < 200 || rsp.StatusCode > 299 {
		defer func() { _ = rsp.Body.Close() }()
		body, _ := io.ReadAll(io.LimitReader(rsp.Body, maxErrorBody))
		// Drain a little more so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(rsp.Body, 64<<10))
		ae := newAPIError(ep.id, rsp.Request, rsp.StatusCode, rsp.Header.Get("Content-Type"), body)
		if rsp.StatusCode == http.StatusTooManyRequests {
			ra, _ := retryAfter(rsp.Header, time.Now())
			return nil, &RateLimitError{APIError: ae, RetryAfter: ra}
		}
		return nil, ae
	}
	return rsp, nil
}

// cancelBody ends a call's context when its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

func (c *Client) setUserAgent(_ context.Context, req *http.Request) error {
	req.Header.Set("User-Agent", c.cfg.userAgent)
	return nil
}

// tokenKind returns the kind of token a call of ep with opts will send, or the *MissingTokenError
// it will fail with. It returns "" for an operation that needs no token. Services use it to check
// input whose rules depend on the token kind.
func (c *Client) tokenKind(ep endpoint, opts []RequestOption) (TokenKind, error) {
	var rc requestConfig
	for _, o := range opts {
		if o != nil {
			o(&rc)
		}
	}
	kind, _, err := c.pickToken(ep, rc.tokenKind)
	return kind, err
}

// pickToken picks the token kind and source for ep: the chosen kind if any, else the first
// accepted kind the client has a source for. It returns no source for an operation that needs no
// token.
func (c *Client) pickToken(ep endpoint, chosen TokenKind) (TokenKind, *tokenCache, error) {
	if len(ep.auth) == 0 {
		return "", nil, nil
	}
	source := func(k TokenKind) *tokenCache {
		switch k {
		case TokenKindUser:
			return c.cfg.userTokens
		case TokenKindApp:
			return c.cfg.appTokens
		}
		return nil
	}
	for _, k := range ep.auth {
		if chosen != "" && k != chosen {
			continue
		}
		if ts := source(k); ts != nil {
			return k, ts, nil
		}
	}
	return "", nil, &MissingTokenError{Operation: ep.id, Accepted: append([]TokenKind(nil), ep.auth...), Chosen: chosen}
}

// redactError removes secret query values from a *url.Error's URL.
func redactError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			return &url.Error{Op: ue.Op, URL: redactURL(u), Err: ue.Err}
		}
	}
	return err
}

// fetch sends one operation with call and decodes its JSON success body with decode.
func fetch[P, T any](ctx context.Context, c *Client, ep endpoint, opts []RequestOption, send func(context.Context, ...gen.RequestEditorFn) (*http.Response, error), parse func(*http.Response) (P, error), body func(P) *T) (*T, error) {
	rsp, err := c.call(ctx, ep, opts, send) //nolint:bodyclose // decode's generated parser reads the body to the end and closes it
	if err != nil {
		return nil, err
	}
	return decode(ep, rsp, parse, body)
}

// fetchJSON sends one operation with call and decodes its JSON success body into v, without the
// generated parser: v is the generated type of the operation's 200 schema, or a type that mirrors
// it with value fields where the generated type has pointers (held to it by TestDirectDecoding).
// It accepts what the generated parser accepts: a 200 answer whose Content-Type mentions JSON and
// whose whole body is one JSON value. Hot endpoints use it: the body is read into a pooled buffer
// instead of one grown from 512 bytes, and a mirror type saves a pointer per optional field (see
// BENCHMARKS.md).
func fetchJSON(ctx context.Context, c *Client, ep endpoint, opts []RequestOption, send func(context.Context, ...gen.RequestEditorFn) (*http.Response, error), v any) error {
	rsp, err := c.call(ctx, ep, opts, send)
	if err != nil {
		return err
	}
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer putBodyBuffer(buf)
	buf.Reset()
	_, err = buf.ReadFrom(rsp.Body)
	_ = rsp.Body.Close()
	if err != nil {
		return fmt.Errorf("kick: %s: decode %d response: %w: %w", ep.id, rsp.StatusCode, ErrUnexpectedResponse, err)
	}
	if rsp.StatusCode != http.StatusOK || !strings.Contains(rsp.Header.Get("Content-Type"), "json") {
		return fmt.Errorf("kick: %s: %d response with Content-Type %q: %w", ep.id, rsp.StatusCode, rsp.Header.Get("Content-Type"), ErrUnexpectedResponse)
	}
	// json.Unmarshal keeps no reference to its input, so the buffer can be reused.
	if err := json.Unmarshal(buf.Bytes(), v); err != nil {
		return fmt.Errorf("kick: %s: decode %d response: %w: %w", ep.id, rsp.StatusCode, ErrUnexpectedResponse, err)
	}
	return nil
}

// bodyBuffers holds the buffers fetchJSON reads bodies into. Reading into a buffer that already
// has the room spares the allocations and copies of a buffer grown from 512 bytes (io.ReadAll):
// about 8% of the CPU of a 50-user Users.Get, and twice the body in garbage.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody is the largest buffer put back into bodyBuffers; a larger one, for a rare large
// answer, is left to the collector.
const maxPooledBody = 1 << 20

func putBodyBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooledBody {
		buf.Reset()
		bodyBuffers.Put(buf)
	}
}

// exec sends one operation with call whose success body carries nothing the caller needs (204, or
// an empty envelope).
func (c *Client) exec(ctx context.Context, ep endpoint, opts []RequestOption, send func(context.Context, ...gen.RequestEditorFn) (*http.Response, error)) error {
	rsp, err := c.call(ctx, ep, opts, send)
	if err != nil {
		return err
	}
	discard(rsp)
	return nil
}

// decode runs the generated parser on a success response and returns its JSON body, or an error
// wrapping ErrUnexpectedResponse when the body is not the documented JSON.
func decode[P, T any](ep endpoint, rsp *http.Response, parse func(*http.Response) (P, error), body func(P) *T) (*T, error) {
	p, err := parse(rsp)
	if err != nil {
		return nil, fmt.Errorf("kick: %s: decode %d response: %w: %w", ep.id, rsp.StatusCode, ErrUnexpectedResponse, err)
	}
	v := body(p)
	if v == nil {
		return nil, fmt.Errorf("kick: %s: %d response with Content-Type %q: %w", ep.id, rsp.StatusCode, rsp.Header.Get("Content-Type"), ErrUnexpectedResponse)
	}
	return v, nil
}
