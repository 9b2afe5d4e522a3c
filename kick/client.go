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

	"github.com/kick-sdk/kick-go/kick/internal/identify"
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
	http      *http.Client  // the transports below over the configured client's; every request goes through it
	apiURL    *url.URL      // cfg.baseURL, parsed
	oauthURL  *url.URL      // cfg.oauthBaseURL, parsed
	userAgent []string      // the User-Agent header value every request shares
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
	var limiter *rate.Limiter
	if c.cfg.rateLimit > 0 {
		limiter = rate.NewLimiter(rate.Limit(c.cfg.rateLimit), c.cfg.rateBurst)
	}
	// The only hosts a token goes to; checkBaseURL made both URLs parse.
	apiURL, _ := url.Parse(c.cfg.baseURL)
	oauthURL, _ := url.Parse(c.cfg.oauthBaseURL)
	httpClient := &http.Client{
		Transport: &retryTransport{
			next: &authTransport{
				next:    &logTransport{next: base, logger: c.cfg.logger, hook: c.cfg.hook},
				origins: []origin{originOf(apiURL), originOf(oauthURL)},
			},
			policy:  c.cfg.retry,
			limiter: limiter,
			sleep:   sleepCtx,
			now:     time.Now,
		},
		CheckRedirect: redirectPolicy(c.cfg.httpClient.CheckRedirect),
		Jar:           c.cfg.httpClient.Jar,
		// No Timeout here: for a RoundTripper other than its own Transport, http.Client enforces
		// one with a goroutine, a timer and a cancel channel per request (about 3% of a 50-user
		// Users.Get). call sets the same deadline on the request's context instead.
	}
	c.timeout = c.cfg.httpClient.Timeout
	c.http, c.apiURL, c.oauthURL = httpClient, apiURL, oauthURL
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

// auth says which token kinds an operation accepts, in order of preference.
type auth []TokenKind

// endpoint is what the client knows of an operation. tools/kickgen derives one per operation
// from the spec (endpoints.gen.go): its id, method and path, the token kinds of its security in
// the order the client tries them, the scopes a user token needs, what identifies its success
// body, and whether it carries an idempotency key.
type endpoint struct {
	id           string
	method, path string
	auth         auth
	// scopes are the scopes a user token must have been granted for the operation: every scope of
	// one of the lists (the first is the least a call needs). Checked before sending when the token
	// says which it was granted (see MissingScopeError).
	scopes [][]Scope
	// response is what identifies the success body (x-kick-identifying), nil when nothing does:
	// an answer that lacks it wraps ErrUnexpectedResponse.
	response *identify.Shape
	// idempotent marks a POST or PATCH whose request carries an idempotency key (the spec's
	// x-kick-idempotency-key), which the retry policy may send again like a GET.
	idempotent bool
	// optionalAuth lets a call with no token of the kinds in auth go without one, unless a kind
	// was chosen: the operations Do does not know, whose security the client cannot tell.
	optionalAuth bool
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

// requester is what a call sends and how it reads the answer: an *outgoing for the service
// methods, a *userRequest for Do and BareDo.
type requester interface {
	// send sends the call's request with ctx, through the client's http.Client, and returns the
	// answer of its last attempt.
	send(ctx context.Context, c *Client, ep endpoint, ci *callInfo) (*http.Response, error)
	// decode reads a success body into the call's result; it must not keep body, whose buffer is
	// reused. It returns errNoDecoder when the call reads nothing.
	decode(ep endpoint, rsp *http.Response, body []byte) error
}

// errNoDecoder is what decode returns for a call that reads nothing from a success body.
var errNoDecoder = errors.New("kick: no decoder")

// exchange is the one path of every call, the service methods' and Do's and BareDo's: the
// options, the token, the call's context and Timeout, the transports (retries, the limiter, the
// 401 replay, logging and the hook), the error model and the response metadata, which it stores
// in meta and in the call's WithResponse, when given. Unless bare, it reads the body (at most the
// client's limit), checks that it carries the "data" the operation documents, hands it to
// req.decode and returns no response; if bare, it returns a 2xx response with its body unread and
// bounded (closing it ends the context), and a non-2xx one, body read, with its *APIError. No
// error it returns holds a credential the call sent.
func (c *Client) exchange(ctx context.Context, ep endpoint, opts []RequestOption, req requester, meta *Response, bare bool) (*http.Response, error) {
	var rc requestConfig
	for _, o := range opts {
		if o != nil {
			o(&rc)
		}
	}
	var (
		tokens *tokenCache
		kind   TokenKind
	)
	if !rc.noToken {
		var err error
		if kind, tokens, err = c.pickToken(ep, rc.tokenKind); err != nil {
			return nil, err
		}
	}
	ci := &callInfo{op: ep.id, tokens: tokens, response: rc.response, meta: meta, idempotent: ep.idempotent}
	ci.secrets.Add(rc.secrets...)
	if tokens != nil {
		// Get the token now, so that a failing token source sends nothing; the first attempt
		// sends this token, and retries ask the source again.
		tok, err := tokens.Token(ctx)
		if err != nil {
			return nil, fmt.Errorf("kick: %s: get token: %w", ep.id, err)
		}
		if kind == TokenKindUser && !c.cfg.noScopeCheck {
			if err := checkScopes(ep, tok); err != nil {
				return nil, err
			}
		}
		ci.first = tok
	}
	rsp, err := c.do(ctx, ep, ci, req, bare)
	return rsp, ci.secrets.Error(err)
}

// do is exchange once the token is known.
func (c *Client) do(ctx context.Context, ep endpoint, ci *callInfo, req requester, bare bool) (*http.Response, error) {
	ctx = context.WithValue(ctx, ctxKey{}, ci)
	var cancel context.CancelFunc
	if c.timeout > 0 {
		// The HTTP client's Timeout: sending, redirects, retries and reading the body.
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	rsp, err := req.send(ctx, c, ep, ci) //nolint:bodyclose // closed below, through body: decode may replace rsp.Body
	if err != nil {
		if cancel != nil {
			cancel()
		}
		var re *RedirectError
		if errors.As(err, &re) {
			return nil, re
		}
		return nil, fmt.Errorf("kick: %s: %w", ep.id, redactError(err))
	}
	ci.answered(rsp)
	body := rsp.Body
	if bare && rsp.StatusCode >= 200 && rsp.StatusCode <= 299 {
		rsp.Body = &limitedBody{body: body, left: c.cfg.maxResponse, limit: c.cfg.maxResponse, cancel: cancel}
		return rsp, nil
	}
	if cancel != nil {
		defer cancel()
	}
	defer func() { _ = body.Close() }()
	if rsp.StatusCode < 200 || rsp.StatusCode > 299 {
		// The start of the body, and enough more to redact a secret that starts within it.
		b, _ := io.ReadAll(io.LimitReader(body, maxErrorBody+int64(ci.secrets.MaxLen())))
		// Drain a little more so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
		ae := newAPIError(ep.id, rsp.Request, rsp.StatusCode, rsp.Header.Get("Content-Type"), b, &ci.secrets)
		ae.Header = redactHeader(rsp.Header, &ci.secrets)
		var err error = ae
		if rsp.StatusCode == http.StatusTooManyRequests {
			ra, _ := retryAfter(rsp.Header, time.Now())
			err = &RateLimitError{APIError: ae, RetryAfter: ra}
		}
		if bare {
			rsp.Body = http.NoBody
			return rsp, err
		}
		return nil, err
	}
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer putBodyBuffer(buf)
	buf.Reset()
	if err := readBody(buf, body, rsp.ContentLength, c.cfg.maxResponse); err != nil {
		return nil, fmt.Errorf("kick: %s: read %d response: %w: %w", ep.id, rsp.StatusCode, ErrUnexpectedResponse, err)
	}
	err = req.decode(ep, rsp, buf.Bytes())
	decoded := !errors.Is(err, errNoDecoder)
	if ep.response != nil {
		if err := checkIdentifies(ep, rsp, buf.Bytes(), decoded); err != nil {
			return nil, err
		}
	}
	if !decoded {
		return nil, nil
	}
	return nil, err
}

// checkIdentifies holds a success answer of ep to the one acceptance rule of the spec: it must be
// JSON with every key that identifies it (its data, and within the data an object's id: the
// x-kick-identifying of its schemas), none of them null or "". Every other key may be absent or
// null. A body the call did not decode must also be valid JSON.
func checkIdentifies(ep endpoint, rsp *http.Response, body []byte, decoded bool) error {
	if ct := rsp.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		return fmt.Errorf("kick: %s: %d response with Content-Type %q: %w", ep.id, rsp.StatusCode, ct, ErrUnexpectedResponse)
	}
	err := identify.Check(body, ep.response)
	if m, ok := errors.AsType[*identify.MissingError](err); ok {
		what := "the documented data"
		if m.Path != "data" {
			what = m.Path + ", which identifies it"
		}
		return fmt.Errorf("kick: %s: %d response without %s: %w", ep.id, rsp.StatusCode, what, ErrUnexpectedResponse)
	}
	if err != nil || (!decoded && !json.Valid(body)) {
		return fmt.Errorf("kick: %s: %d response that is not a JSON object: %w", ep.id, rsp.StatusCode, ErrUnexpectedResponse)
	}
	return nil
}

// readBody reads body into buf: at most limit bytes, else an error wrapping ErrResponseTooLarge.
// A Content-Length over the limit fails before anything is read. It reads into buf's room
// directly (no io.LimitReader per call).
func readBody(buf *bytes.Buffer, body io.Reader, contentLength, limit int64) error {
	if contentLength > limit {
		return fmt.Errorf("%w: Content-Length %d is over the limit of %d bytes", ErrResponseTooLarge, contentLength, limit)
	}
	if contentLength >= 0 {
		// One byte more than announced, so that the end of the body is seen without growing.
		buf.Grow(int(contentLength) + 1)
	} else {
		buf.Grow(bytes.MinRead)
	}
	for {
		if buf.Available() == 0 {
			buf.Grow(min(max(buf.Cap(), bytes.MinRead), maxBodyGrowth))
		}
		room := buf.AvailableBuffer()[:buf.Available()]
		if left := limit + 1 - int64(buf.Len()); int64(len(room)) > left {
			room = room[:left]
		}
		n, err := body.Read(room)
		buf.Write(room[:n])
		if int64(buf.Len()) > limit {
			return fmt.Errorf("%w: over the limit of %d bytes", ErrResponseTooLarge, limit)
		}
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}
	}
}

// maxBodyGrowth bounds how much readBody grows its buffer at a time for a body of unknown size.
const maxBodyGrowth = 1 << 20

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
	if ep.optionalAuth && chosen == "" {
		return "", nil, nil
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

// bodyBuffers holds the buffers success bodies are read into. Reading into a buffer that already
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
