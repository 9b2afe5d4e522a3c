package kick

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"

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

	cfg   config
	api   *gen.Client // api.kick.com operations
	oauth *gen.Client // id.kick.com operations
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
	var err error
	if c.api, err = gen.NewClient(c.cfg.baseURL, gen.WithHTTPClient(doer{c})); err != nil {
		return nil, fmt.Errorf("kick: NewClient: %w", err)
	}
	if c.oauth, err = gen.NewClient(c.cfg.oauthBaseURL, gen.WithHTTPClient(doer{c})); err != nil {
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

var (
	authNone   = auth{}
	authUser   = auth{TokenKindUser}
	authApp    = auth{TokenKindApp}
	authEither = auth{TokenKindUser, TokenKindApp}
)

// endpoint is what the client knows of an operation: its id and its security.
type endpoint struct {
	id   string
	auth auth
}

type ctxKey struct{}

// callInfo travels in the request context from call to the doer.
type callInfo struct {
	op      string
	attempt int
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
	ts, err := c.tokenSource(ep, rc.tokenKind)
	if err != nil {
		return nil, err
	}
	var bearer string
	if ts != nil {
		tok, err := ts.Token()
		if err != nil {
			return nil, fmt.Errorf("kick: %s: get token: %w", ep.id, err)
		}
		bearer = tok.AccessToken
	}
	edit := func(_ context.Context, req *http.Request) error {
		req.Header.Set("User-Agent", c.cfg.userAgent)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		return nil
	}
	ctx = context.WithValue(ctx, ctxKey{}, &callInfo{op: ep.id})
	rsp, err := send(ctx, edit)
	if err != nil {
		return nil, fmt.Errorf("kick: %s: %w", ep.id, redactError(err))
	}
	if rsp.StatusCode < 200 || rsp.StatusCode > 299 {
		defer rsp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(rsp.Body, maxErrorBody))
		// Drain a little more so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(rsp.Body, 64<<10))
		return nil, newAPIError(ep.id, rsp.Request, rsp.StatusCode, rsp.Header.Get("Content-Type"), body)
	}
	return rsp, nil
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

// tokenSource picks the token source for ep: the chosen kind if any, else the first accepted kind
// the client has a source for. It returns nil for an operation that needs no token.
func (c *Client) tokenSource(ep endpoint, chosen TokenKind) (oauth2.TokenSource, error) {
	_, ts, err := c.pickToken(ep, chosen)
	return ts, err
}

func (c *Client) pickToken(ep endpoint, chosen TokenKind) (TokenKind, oauth2.TokenSource, error) {
	if len(ep.auth) == 0 {
		return "", nil, nil
	}
	source := func(k TokenKind) oauth2.TokenSource {
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

// discard closes a success response whose body carries nothing (204, or a body the caller ignores).
func discard(rsp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(rsp.Body, 64<<10))
	_ = rsp.Body.Close()
}

// doer is the generated clients' HTTP doer: it sends through the configured http.Client and
// reports each request to the logger and hook.
type doer struct{ c *Client }

// Do sends req.
func (d doer) Do(req *http.Request) (*http.Response, error) {
	c := d.c
	info, _ := req.Context().Value(ctxKey{}).(*callInfo)
	start := time.Now()
	rsp, err := c.cfg.httpClient.Do(req)
	if c.cfg.logger == nil && c.cfg.hook == nil {
		return rsp, err
	}
	ri := RequestInfo{Method: req.Method, URL: redactURL(req.URL), Attempt: 1, Duration: time.Since(start), Err: redactError(err)}
	if info != nil {
		info.attempt++
		ri.Operation, ri.Attempt = info.op, info.attempt
	}
	if rsp != nil {
		ri.StatusCode = rsp.StatusCode
	}
	if c.cfg.hook != nil {
		c.cfg.hook(ri)
	}
	if l := c.cfg.logger; l != nil {
		level := slog.LevelDebug
		if err != nil || ri.StatusCode >= 400 {
			level = slog.LevelWarn
		}
		attrs := []slog.Attr{
			slog.String("operation", ri.Operation), slog.String("method", ri.Method), slog.String("url", ri.URL),
			slog.Int("status", ri.StatusCode), slog.Int("attempt", ri.Attempt), slog.Duration("duration", ri.Duration),
		}
		if ri.Err != nil {
			attrs = append(attrs, slog.String("error", ri.Err.Error()))
		}
		l.LogAttrs(req.Context(), level, "kick request", attrs...)
	}
	return rsp, err
}
