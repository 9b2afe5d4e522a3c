package kick

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/kick-sdk/kick-go/kick/internal/redact"
)

// The client sends every request through three RoundTrippers over the configured transport:
//
//	retryTransport  bounded retries with backoff, Retry-After, the optional rate limiter
//	authTransport   the bearer token of the call; one forced refresh and one replay after a 401
//	logTransport    one RequestInfo per attempt for the logger and the hook
//
// What a call needs travels in its request context as a *callInfo. Over them, the http.Client
// follows a redirect only as redirectPolicy allows.

// callInfo travels in the request context from Client.call to the transports.
type callInfo struct {
	op     string
	tokens *tokenCache   // nil for an operation that needs no token
	first  *oauth2.Token // the token Client.call got, for the first attempt
	// secrets are the credentials the call sent (the access tokens, and those of a token
	// request), to be redacted from its errors and logs.
	secrets redact.Secrets
	// response and meta receive the answer's metadata (WithResponse, Do); nil when unwanted.
	response, meta *Response
	// idempotent marks a call whose request carries an idempotency key: retried like a GET
	// whatever its method.
	idempotent bool
	mu         sync.Mutex
	tries      int
}

// authorizeFirst sets h's Authorization to the token of the call's first attempt, if it has one,
// as the request builders do: authTransport then sends the request as it is. The header value is
// the token cache's, shared by every request that sends the token.
func (ci *callInfo) authorizeFirst(h http.Header) {
	ci.mu.Lock()
	tok := ci.first
	ci.mu.Unlock()
	if ci.tokens != nil && tok != nil {
		h["Authorization"] = ci.tokens.bearer(tok.AccessToken)
	}
}

// answered stores the metadata of the call's answer where it is wanted.
func (ci *callInfo) answered(rsp *http.Response) {
	if ci.response == nil && ci.meta == nil {
		return
	}
	ci.mu.Lock()
	r := Response{StatusCode: rsp.StatusCode, Header: redactHeader(rsp.Header, &ci.secrets), Operation: ci.op, Attempts: ci.tries}
	ci.mu.Unlock()
	if ci.response != nil {
		*ci.response = r
	}
	if ci.meta != nil {
		*ci.meta = r
	}
}

// takeFirst returns the token fetched for the first attempt, once.
func (ci *callInfo) takeFirst() *oauth2.Token {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	tok := ci.first
	ci.first = nil
	return tok
}

func (ci *callInfo) nextAttempt() int {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	ci.tries++
	return ci.tries
}

type ctxKey struct{}

func infoFrom(ctx context.Context) *callInfo {
	ci, _ := ctx.Value(ctxKey{}).(*callInfo)
	if ci == nil {
		ci = &callInfo{}
	}
	return ci
}

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

// hasBearer reports whether h's Authorization is exactly the bearer accessToken.
func hasBearer(h http.Header, accessToken string) bool {
	v := h["Authorization"]
	return len(v) == 1 && len(v[0]) == len("Bearer ")+len(accessToken) &&
		strings.HasPrefix(v[0], "Bearer ") && v[0][len("Bearer "):] == accessToken
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

// isTokenError reports whether err is a failure to get a token.
func isTokenError(err error) bool {
	if err == nil {
		return false
	}
	var te *tokenError
	return errors.As(err, &te)
}

// tokenError marks a failure to get a token, which no retry can mend.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return "get token: " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

// authTransport sets the call's bearer token and, when Kick answers 401 and the token source can
// refresh, invalidates the token and replays the request once with the new one. It sets a token
// only on requests to origins, the API's and the OAuth server's: redirectPolicy keeps requests
// there, and this keeps the token there should a request go elsewhere all the same.
type authTransport struct {
	next    http.RoundTripper
	origins []origin
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.roundTrip(req, infoFrom(req.Context()))
}

// roundTrip is RoundTrip with the call's info, which retryTransport passes on.
func (t *authTransport) roundTrip(req *http.Request, ci *callInfo) (*http.Response, error) {
	if ci.tokens == nil {
		return t.send(req, ci)
	}
	if !t.isOrigin(req.URL) {
		// The call's token goes only to Kick's hosts: the request builders set it on requests to
		// them, and a copy of such a request anywhere else leaves without it.
		if _, ok := req.Header["Authorization"]; ok {
			r := new(http.Request)
			*r = *req
			r.Header = req.Header.Clone()
			r.Header.Del("Authorization")
			req = r
		}
		return t.send(req, ci)
	}
	tok := ci.takeFirst()
	if tok == nil {
		var err error
		if tok, err = ci.tokens.Token(req.Context()); err != nil {
			return nil, &tokenError{err}
		}
	}
	ci.secrets.Add(tok.AccessToken)
	rsp, err := t.send(ci.tokens.withBearer(req, tok.AccessToken), ci)
	if err != nil || rsp.StatusCode != http.StatusUnauthorized || !ci.tokens.refreshable() || !replayable(req) {
		return rsp, err
	}
	ci.tokens.invalidate(tok.AccessToken)
	fresh, err := ci.tokens.Token(req.Context())
	if err != nil || fresh.AccessToken == tok.AccessToken {
		// No new token: Kick's 401 stands. (A refresh error here, such as the user having to
		// authorize again, is worth reporting but not instead of Kick's answer.)
		return rsp, nil //nolint:nilerr // Kick's 401 is the answer; the refresh failure is secondary
	}
	replay, err := rewind(req)
	if err != nil {
		return rsp, nil //nolint:nilerr // a body that cannot be replayed leaves Kick's 401 as the answer
	}
	discard(rsp)
	ci.secrets.Add(fresh.AccessToken)
	return t.send(ci.tokens.withBearer(replay, fresh.AccessToken), ci)
}

// send passes req on: to the client's logTransport with the call's info, else (in tests) to next.
func (t *authTransport) send(req *http.Request, ci *callInfo) (*http.Response, error) {
	if l, ok := t.next.(*logTransport); ok {
		return l.roundTrip(req, ci)
	}
	return t.next.RoundTrip(req)
}

// isOrigin reports whether u is on one of t's origins. The common case, a URL made from one of
// the client's base URLs (scheme and host as they were parsed), is decided without originOf.
func (t *authTransport) isOrigin(u *url.URL) bool {
	for _, o := range t.origins {
		if o.port == "" && u.Scheme == o.scheme && u.Host == o.host {
			return true
		}
	}
	return slices.Contains(t.origins, originOf(u))
}

// origin is a URL's scheme, host and port, the unit a token and a redirect are bound to.
type origin struct{ scheme, host, port string }

// originOf returns u's origin: scheme and host in lower case, and the port, "" for the scheme's
// default.
func originOf(u *url.URL) origin {
	o := origin{scheme: strings.ToLower(u.Scheme), host: strings.ToLower(u.Hostname()), port: u.Port()}
	if (o.scheme == "https" && o.port == "443") || (o.scheme == "http" && o.port == "80") {
		o.port = ""
	}
	return o
}

// maxRedirects is how many redirects in a row the client follows.
const maxRedirects = 10

// redirectPolicy is the client's CheckRedirect: it follows a redirect of a GET or HEAD request to
// the request's own origin, at most maxRedirects in a row, and then asks next, the CheckRedirect
// of the caller's http.Client, if any. It refuses any other with a *RedirectError: a redirect to
// another origin would take the token there (authTransport would not send it, but the answer of
// another host would pass for Kick's), and one of a POST, PATCH, PUT or DELETE would send the
// request again (a 307 or 308 replays the body, a chat message say; a 301, 302 or 303 turns it
// into a GET).
func redirectPolicy(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first, prev := via[0], via[len(via)-1]
		var reason string
		switch {
		case first.Method != http.MethodGet && first.Method != http.MethodHead:
			reason = "a " + first.Method + " request is never sent again by a redirect"
		case originOf(req.URL) != originOf(first.URL):
			reason = "it leads to another scheme, host or port than the request's"
		case len(via) >= maxRedirects:
			reason = fmt.Sprintf("stopped after %d redirects", maxRedirects)
		}
		if reason == "" {
			if next != nil {
				return next(req, via)
			}
			return nil
		}
		ci := infoFrom(req.Context())
		e := &RedirectError{Operation: ci.op, Method: first.Method, URL: ci.secrets.String(redactURL(prev.URL)),
			Location: ci.secrets.String(redactURL(req.URL)), Reason: reason}
		if req.Response != nil {
			e.StatusCode = req.Response.StatusCode
		}
		return e
	}
}

// withBearer returns req if it carries the bearer token already (the request builders set the
// first attempt's), else a copy of req with it. Only the header is changed, so only the header is
// copied (req.Clone would also copy the URL, trailers and form): a RoundTripper must not modify
// the request it was given.
func (c *tokenCache) withBearer(req *http.Request, token string) *http.Request {
	if hasBearer(req.Header, token) {
		return req
	}
	r := new(http.Request)
	*r = *req
	r.Header = req.Header.Clone()
	if r.Header == nil {
		r.Header = make(http.Header, 1)
	}
	r.Header["Authorization"] = c.bearer(token)
	return r
}

// replayable reports whether req's body can be sent again.
func replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// rewind returns a copy of req with a fresh body.
func rewind(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return nil, errors.New("kick: request body cannot be replayed")
		}
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	return r, nil
}

// logTransport reports each attempt to the logger and the hook.
type logTransport struct {
	next   http.RoundTripper
	logger *slog.Logger
	hook   func(RequestInfo)
}

func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.roundTrip(req, infoFrom(req.Context()))
}

// roundTrip is RoundTrip with the call's info, which authTransport passes on.
func (t *logTransport) roundTrip(req *http.Request, ci *callInfo) (*http.Response, error) {
	attempt := ci.nextAttempt()
	if t.logger == nil && t.hook == nil {
		return t.next.RoundTrip(req)
	}
	start := time.Now()
	rsp, err := t.next.RoundTrip(req)
	ri := RequestInfo{Operation: ci.op, Method: req.Method, URL: redactURL(req.URL), Attempt: attempt, Duration: time.Since(start),
		Err: ci.secrets.Error(redactError(err))}
	if req.Response != nil {
		// A redirect's target: the server chose the URL.
		ri.URL = ci.secrets.String(ri.URL)
	}
	if rsp != nil {
		ri.StatusCode = rsp.StatusCode
	}
	if t.hook != nil {
		t.hook(ri)
	}
	if t.logger != nil {
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
		t.logger.LogAttrs(req.Context(), level, "kick request", attrs...)
	}
	return rsp, err
}

// maxRetryAfter is the longest Retry-After the client waits for; a longer one ends the retries.
const maxRetryAfter = time.Minute

// retryTransport retries failed attempts within the retry policy:
//
//   - 429 and 5xx answers, and connection errors, for idempotent methods (GET, HEAD, OPTIONS, PUT,
//     DELETE);
//   - for other methods (POST, PATCH) only when Kick cannot have processed the request: a 429
//     answer, or a connection that could not be made (neverConnected). A chat message is never
//     sent twice.
//
// Waits grow exponentially from MinBackoff to MaxBackoff with jitter; a Retry-After header (seconds
// or an HTTP date) replaces the computed wait. A wait longer than maxRetryAfter, or than the time
// left before the context's deadline, is not made: the last answer (or error) is returned at once,
// a 429 as a *RateLimitError with the RetryAfter Kick asked for. Every wait ends at once when the
// context is done.
type retryTransport struct {
	next    http.RoundTripper
	policy  RetryPolicy
	limiter *rate.Limiter
	// sleep waits d or until ctx is done; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	idempotent := isIdempotent(req.Method) || infoFrom(ctx).idempotent
	for retry := 0; ; retry++ {
		if t.limiter != nil {
			if err := t.limiter.Wait(ctx); err != nil {
				return nil, err
			}
		}
		attempt := req
		if retry > 0 {
			var err error
			if attempt, err = rewind(req); err != nil {
				return nil, err
			}
		}
		ci := infoFrom(ctx)
		var rsp *http.Response
		var err error
		if a, ok := t.next.(*authTransport); ok {
			rsp, err = a.roundTrip(attempt, ci) // the client's own chain: the call's info passed on
		} else {
			rsp, err = t.next.RoundTrip(attempt)
		}

		switch {
		case retry >= t.policy.MaxRetries || !replayable(req) || isTokenError(err) || ctx.Err() != nil:
			return rsp, err
		case err != nil:
			if !idempotent && !neverConnected(err) {
				return rsp, err
			}
		case rsp.StatusCode == http.StatusTooManyRequests:
		case rsp.StatusCode >= 500 && rsp.StatusCode <= 599 && idempotent:
		default:
			return rsp, nil
		}

		wait := t.backoff(retry)
		if rsp != nil {
			if ra, ok := retryAfter(rsp.Header, t.now()); ok {
				if ra > maxRetryAfter {
					return rsp, nil
				}
				wait = ra
			}
		}
		if deadline, ok := ctx.Deadline(); ok && wait >= time.Until(deadline) {
			// Waiting would only end in DeadlineExceeded: Kick's answer says more.
			return rsp, err
		}
		if rsp != nil {
			discard(rsp)
		}
		if err := t.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// neverConnected reports whether err is the failure to open the connection an attempt would have
// gone on, the dial or a proxy's CONNECT: nothing of the request left the client, so that even a
// chat message may be sent again. It needs no trace of the request's writing on every POST: a
// request that failed on a reused connection before anything of it was written, net/http sends
// again itself (it can, the body being replayable), and any other connection error may have come
// after Kick got the request, which is then never sent twice.
func neverConnected(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect")
}

// backoff is the wait before retry number retry+1: exponential from MinBackoff, capped at
// MaxBackoff, with "equal jitter" (half fixed, half random). The doubling stops at the cap, so it
// cannot overflow.
func (t *retryTransport) backoff(retry int) time.Duration {
	d := min(t.policy.MinBackoff, t.policy.MaxBackoff)
	for range retry {
		if d > t.policy.MaxBackoff/2 {
			d = t.policy.MaxBackoff
			break
		}
		d *= 2
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1) //nolint:gosec // jitter needs no cryptographic randomness
}

func isIdempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// retryAfter parses a Retry-After header given in seconds or as an HTTP date. A number of seconds
// beyond what a time.Duration holds is the longest duration.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		switch {
		case secs < 0:
			return 0, false
		case secs > int64(math.MaxInt64/time.Second):
			return math.MaxInt64, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		d := at.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// sleepCtx waits d, or until ctx is done and then returns its error.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// discard drains and closes a response body the caller does not read.
func discard(rsp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(rsp.Body, 64<<10))
	_ = rsp.Body.Close()
}
