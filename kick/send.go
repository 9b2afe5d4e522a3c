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
	"strconv"
	"time"

	"golang.org/x/oauth2"
)

// do is the one path of every call, the service methods' and Do's and BareDo's: the token (a
// failing token source, a missing token or a scope the token lacks sends nothing), the URL (never
// outside the base URL's path), the client's Timeout, the attempt loop (send) and the answer
// (answer, in response.go). Unless bare, it reads the body, checks and decodes it and returns no
// response; if bare, it returns a 2xx response with its body unread and bounded (closing it ends
// the Timeout), and a non-2xx one, body read, with its *APIError. No error it returns holds a
// credential the call sent.
func (c *Client) do(ctx context.Context, cl *call) (*http.Response, error) {
	var (
		tokens *tokenCache
		tok    *oauth2.Token
	)
	if !cl.cfg.noToken {
		kind, source, err := c.pickToken(cl)
		if err != nil {
			return nil, err
		}
		if tokens = source; tokens != nil {
			if tok, err = tokens.Token(ctx); err != nil {
				return nil, cl.secrets.Error(fmt.Errorf("kick: %s: get token: %w", cl.op.ID, err))
			}
			if kind == TokenKindUser && !c.cfg.noScopeCheck {
				if err := checkScopes(cl.op, tok); err != nil {
					return nil, err
				}
			}
		}
	}
	u := (*url.URL)(nil)
	if cl.user != nil {
		u = cl.user.URL
	} else {
		var err error
		if u, err = c.target(cl); err != nil {
			return nil, err
		}
	}
	var cancel context.CancelFunc
	if c.timeout > 0 {
		// The HTTP client's Timeout: sending, redirects, retries and reading the body.
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	rsp, err := c.send(ctx, cl, u, tokens, tok)
	if err != nil {
		if cancel != nil {
			cancel()
		}
		if _, ok := errors.AsType[*RedirectError](err); !ok {
			err = fmt.Errorf("kick: %s: %w", cl.op.ID, redactError(err))
		}
		return nil, cl.secrets.Error(err)
	}
	rsp, err = c.answer(cl, rsp, cancel)
	return rsp, cl.secrets.Error(err)
}

// send is the attempt loop: it sends the call's request to u with tok, and sends it again while
// the answer asks for it, and returns the last answer (or error):
//
//   - a redirect (301, 302, 303, 307, 308 with a Location) of a GET or HEAD request is followed to
//     a URL under the call's base URL (its origin and path prefix), at most maxRedirects in a row,
//     when the caller's CheckRedirect also allows it; any other is a *RedirectError: a token goes
//     nowhere else, and a POST, PATCH, PUT or DELETE (a chat message, a ban) is never sent again
//     by a redirect (a 307 or 308 replays the body; a 301, 302 or 303 turns it into a GET);
//   - a 401 when the token's source can refresh (kickauth's can): the token is invalidated and
//     the request sent once more with the new one; without a new token, Kick's 401 stands;
//   - retries within the retry policy: 429 and 5xx answers and connection errors for idempotent
//     methods (GET, HEAD, OPTIONS, PUT, DELETE, and a POST or PATCH that carries an idempotency
//     key); for other methods only when Kick cannot have processed the request, a 429 or a
//     connection that could not be made (neverConnected), so a chat message is never sent
//     twice. Waits grow exponentially from MinBackoff to MaxBackoff with jitter; a Retry-After
//     (seconds or an HTTP date) replaces the wait; a wait longer than maxRetryAfter, or than the
//     time left before the context's deadline, is not made: the last answer is returned at once.
//     Each retry asks the token source again.
//
// Every request waits for the rate limiter, and is reported to the logger and the request hook.
func (c *Client) send(ctx context.Context, cl *call, u *url.URL, tokens *tokenCache, tok *oauth2.Token) (*http.Response, error) {
	method := cl.op.Method
	if cl.user != nil {
		method = cl.user.Method
	}
	idempotent := isIdempotent(method) || cl.idempotent
	var (
		via      []*http.Request
		replayed bool
	)
	for retry := 0; ; {
		if c.limiter != nil {
			if err := c.limiter.Wait(ctx); err != nil {
				return nil, err
			}
		}
		var bearer []string
		if tok != nil {
			cl.secrets.Add(tok.AccessToken)
			bearer = tokens.bearer(tok.AccessToken)
		}
		req, err := c.request(ctx, cl, u, bearer)
		if err != nil {
			return nil, err
		}
		rsp, err := c.roundTrip(cl, req)
		if err == nil && isRedirect(rsp) {
			next, err := c.redirect(ctx, cl, req, rsp, bearer, via)
			switch {
			case errors.Is(err, http.ErrUseLastResponse):
				return rsp, nil
			case err != nil:
				discard(rsp)
				return nil, err
			}
			discard(rsp)
			via, u = append(via, req), next
			continue
		}
		if err == nil && rsp.StatusCode == http.StatusUnauthorized && tokens != nil && tokens.refreshable() && !replayed && cl.replayable() {
			tokens.invalidate(tok.AccessToken)
			// A refresh error here (the user must authorize again, say) is worth reporting, but
			// not instead of Kick's 401, which stands without a new token.
			if fresh, ferr := tokens.Token(ctx); ferr == nil && fresh.AccessToken != tok.AccessToken {
				discard(rsp)
				tok, replayed = fresh, true
				continue
			}
		}
		wait, again := c.retryWait(ctx, cl, idempotent, retry, rsp, err)
		if !again {
			return rsp, err
		}
		if rsp != nil {
			discard(rsp)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
		retry++
		if tokens != nil {
			if tok, err = tokens.Token(ctx); err != nil {
				return nil, fmt.Errorf("get token: %w", err)
			}
		}
	}
}

// roundTrip sends req through the client's http.Client, which follows no redirect (send does),
// and reports it to the logger and the hook.
func (c *Client) roundTrip(cl *call, req *http.Request) (*http.Response, error) {
	cl.attempts++
	if c.cfg.logger == nil && c.cfg.hook == nil {
		return c.http.Do(req) //nolint:gosec // G704: the URL is under one of the client's base URLs (target, operationFor, redirect)
	}
	start := time.Now()
	rsp, err := c.http.Do(req) //nolint:gosec // G704: as above
	ri := RequestInfo{Operation: cl.op.ID, Method: req.Method, URL: cl.secrets.String(redactURL(req.URL)), Attempt: cl.attempts,
		Duration: time.Since(start), Err: cl.secrets.Error(redactError(err))}
	if rsp != nil {
		ri.StatusCode = rsp.StatusCode
	}
	if c.cfg.hook != nil {
		c.cfg.hook(ri)
	}
	if c.cfg.logger != nil {
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
		c.cfg.logger.LogAttrs(req.Context(), level, "kick request", attrs...)
	}
	return rsp, err
}

// isRedirect reports whether rsp is a redirect net/http would follow: 301, 302, 303, 307 or 308,
// with a Location.
func isRedirect(rsp *http.Response) bool {
	switch rsp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return rsp.Header.Get("Location") != ""
	}
	return false
}

// maxRedirects is how many redirects in a row the client follows.
const maxRedirects = 10

// redirect returns where the redirect rsp of req leads, when send may follow it (see send), or a
// *RedirectError; then it asks the CheckRedirect of the caller's http.Client, if any, whose
// error it returns (http.ErrUseLastResponse makes rsp the answer).
func (c *Client) redirect(ctx context.Context, cl *call, req *http.Request, rsp *http.Response, bearer []string, via []*http.Request) (*url.URL, error) {
	first := req
	if len(via) > 0 {
		first = via[0]
	}
	loc, err := rsp.Location()
	var reason string
	switch {
	case err != nil:
		reason = "its Location is not a URL"
	case first.Method != http.MethodGet && first.Method != http.MethodHead:
		reason = "a " + first.Method + " request is never sent again by a redirect"
	case originOf(loc) != originOf(first.URL):
		reason = "it leads to another scheme, host or port than the request's"
	case !underPrefix(cl.base, loc):
		reason = "it leads outside the base URL's path " + cl.base.EscapedPath()
	case len(via)+1 >= maxRedirects:
		reason = fmt.Sprintf("stopped after %d redirects", maxRedirects)
	}
	if reason != "" {
		e := &RedirectError{Operation: cl.op.ID, Method: first.Method, URL: cl.secrets.String(redactURL(req.URL)),
			StatusCode: rsp.StatusCode, Reason: reason, Location: cl.secrets.String(rsp.Header.Get("Location"))}
		if loc != nil {
			e.Location = cl.secrets.String(redactURL(loc))
		}
		return nil, e
	}
	if check := c.cfg.httpClient.CheckRedirect; check != nil {
		next, err := c.request(ctx, cl, loc, bearer)
		if err != nil {
			return nil, err
		}
		next.Response = rsp
		if err := check(next, append(via[:len(via):len(via)], req)); err != nil {
			return nil, err
		}
	}
	return loc, nil
}

// maxRetryAfter is the longest Retry-After the client waits for; a longer one ends the retries.
const maxRetryAfter = time.Minute

// retryWait returns how long to wait before sending the call again after retry retries, and
// whether to (see send).
func (c *Client) retryWait(ctx context.Context, cl *call, idempotent bool, retry int, rsp *http.Response, err error) (time.Duration, bool) {
	switch {
	case retry >= c.cfg.retry.MaxRetries || !cl.replayable() || ctx.Err() != nil:
		return 0, false
	case err != nil:
		if !idempotent && !neverConnected(err) {
			return 0, false
		}
	case rsp.StatusCode == http.StatusTooManyRequests:
	case rsp.StatusCode >= 500 && rsp.StatusCode <= 599 && idempotent:
	default:
		return 0, false
	}
	wait := c.cfg.retry.backoff(retry)
	if rsp != nil {
		if ra, ok := retryAfter(rsp.Header, c.now()); ok {
			if ra > maxRetryAfter {
				return 0, false
			}
			wait = ra
		}
	}
	if deadline, ok := ctx.Deadline(); ok && wait >= time.Until(deadline) {
		// Waiting would only end in DeadlineExceeded: Kick's answer says more.
		return 0, false
	}
	return wait, true
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
func (p RetryPolicy) backoff(retry int) time.Duration {
	d := min(p.MinBackoff, p.MaxBackoff)
	for range retry {
		if d > p.MaxBackoff/2 {
			d = p.MaxBackoff
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
