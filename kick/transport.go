package kick

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	mu             sync.Mutex
	tries          int
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
	ci := infoFrom(req.Context())
	if ci.tokens == nil || !slices.Contains(t.origins, originOf(req.URL)) {
		return t.next.RoundTrip(req)
	}
	tok := ci.takeFirst()
	if tok == nil {
		var err error
		if tok, err = ci.tokens.Token(req.Context()); err != nil {
			return nil, &tokenError{err}
		}
	}
	ci.secrets.Add(tok.AccessToken)
	rsp, err := t.next.RoundTrip(withBearer(req, tok.AccessToken))
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
	return t.next.RoundTrip(withBearer(replay, fresh.AccessToken))
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

// withBearer returns a copy of req with the bearer token. Only the header is changed, so only
// the header is copied (req.Clone would also copy the URL, trailers and form): a RoundTripper must
// not modify the request it was given.
func withBearer(req *http.Request, token string) *http.Request {
	r := new(http.Request)
	*r = *req
	r.Header = req.Header.Clone()
	if r.Header == nil {
		r.Header = make(http.Header, 1)
	}
	r.Header.Set("Authorization", "Bearer "+token)
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
	ci := infoFrom(req.Context())
	attempt := ci.nextAttempt()
	start := time.Now()
	rsp, err := t.next.RoundTrip(req)
	if t.logger == nil && t.hook == nil {
		return rsp, err
	}
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
//     answer, or a connection error before the request was written. A chat message is never sent
//     twice.
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
	idempotent := isIdempotent(req.Method)
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
		// Whether the request was written only matters for retrying a connection error of a
		// method that is not idempotent; tracing it costs allocations on every other request.
		var wrote bool
		if !idempotent && retry < t.policy.MaxRetries && replayable(req) {
			trace := &httptrace.ClientTrace{WroteRequest: func(i httptrace.WroteRequestInfo) { wrote = i.Err == nil }}
			attempt = attempt.WithContext(httptrace.WithClientTrace(ctx, trace))
		}
		rsp, err := t.next.RoundTrip(attempt)

		var te *tokenError
		switch {
		case retry >= t.policy.MaxRetries || !replayable(req) || errors.As(err, &te) || ctx.Err() != nil:
			return rsp, err
		case err != nil:
			if !idempotent && wrote {
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
