package kick

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Response is what Kick answered a call besides its data: the status and headers of the last
// attempt. Do returns one; WithResponse fills one for any service method. It holds no request
// header, and a credential the call sent that the server echoed in a header is redacted.
type Response struct {
	// StatusCode is the HTTP status of the answer, such as 200.
	StatusCode int
	// Header is the answer's header: Kick's or Cloudflare's request ids (CF-Ray), Retry-After, Date.
	Header http.Header
	// Operation is the Kick operation id, such as "getUsers"; for a request Do matched to no
	// operation the SDK knows, its method and path, such as "GET /public/v2/widgets".
	Operation string
	// Attempts counts the HTTP requests the call made: 1, or more after retries and a 401 replay.
	Attempts int
}

// WithResponse makes a call store Kick's answer's status and headers in *r, as Do returns them: for
// a request id, or to look at a header the SDK does not interpret. *r is set whenever an answer
// arrived, also when the call fails with an *APIError, and left as it was otherwise (a validation
// error, a missing token, a connection error).
//
//	var rsp kick.Response
//	users, err := client.Users.Get(ctx, ids, kick.WithResponse(&rsp))
//	log.Print(rsp.Header.Get("CF-Ray"))
func WithResponse(r *Response) RequestOption {
	return func(rc *requestConfig) { rc.response = r }
}

// WithoutToken makes one call send no Authorization header, whatever its operation needs: for a
// request that carries its own credentials, or to see what Kick answers without one. The client
// then neither gets a token nor replays the request after a 401.
func WithoutToken() RequestOption {
	return func(rc *requestConfig) { rc.noToken = true }
}

// NewRequest returns a request for Do or BareDo: method (such as "GET") on path, which is
// resolved against the client's base URLs — a path that starts with /oauth/ against the OAuth
// server's (WithOAuthBaseURL), any other against the API's (WithBaseURL). path may carry a query
// string: "/public/v1/users?id=1&id=2". A full URL is accepted too, when it lies under one of the
// two base URLs; no other host ever gets the client's tokens.
//
// body is sent as the request body:
//
//   - nil sends none;
//   - url.Values is sent as a form (application/x-www-form-urlencoded), as the OAuth server expects;
//   - a []byte or an io.Reader is sent as it is, as application/json (set another Content-Type on
//     the request if it is not JSON); a reader is read here, so that retries can send it again;
//   - any other value is encoded as JSON, as json.Marshal does.
//
// The request asks for JSON (Accept: application/json). Headers set on it are sent, except
// Authorization, which the client sets from its token sources (see Do and WithoutToken).
func (c *Client) NewRequest(method, path string, body any) (*http.Request, error) {
	u, err := c.resolve(path)
	if err != nil {
		return nil, err
	}
	var (
		payload     []byte
		contentType string
	)
	switch b := body.(type) {
	case nil:
	case url.Values:
		payload, contentType = []byte(b.Encode()), "application/x-www-form-urlencoded"
	case []byte:
		payload, contentType = b, "application/json"
	case io.Reader:
		if payload, err = io.ReadAll(b); err != nil {
			return nil, fmt.Errorf("kick: NewRequest: read the body: %w", err)
		}
		contentType = "application/json"
	default:
		if payload, err = json.Marshal(b); err != nil {
			return nil, fmt.Errorf("kick: NewRequest: encode the body: %w", err)
		}
		contentType = "application/json"
	}
	var rd io.Reader
	if contentType != "" {
		// A *bytes.Reader gives the request a GetBody, so retries and a 401 replay resend it.
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequest(method, u.String(), rd) //nolint:noctx // Do and BareDo give it the call's context
	if err != nil {
		return nil, fmt.Errorf("kick: NewRequest: %w", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// resolve turns NewRequest's path into a URL under one of the client's base URLs.
func (c *Client) resolve(path string) (*url.URL, error) {
	if strings.HasPrefix(path, "/") && !strings.HasPrefix(path, "//") {
		base := c.cfg.baseURL
		if p, _, _ := strings.Cut(path, "?"); onOAuthServer(p) {
			base = c.cfg.oauthBaseURL
		}
		u, err := url.Parse(base + path)
		if err != nil {
			return nil, &ValidationError{Operation: "NewRequest", Field: "path", Reason: "is not a URL path: " + redactError(err).Error()}
		}
		if u.Fragment != "" {
			return nil, &ValidationError{Operation: "NewRequest", Field: "path", Reason: "has a fragment"}
		}
		return u, nil
	}
	u, err := url.Parse(path)
	if err != nil || !u.IsAbs() {
		return nil, &ValidationError{Operation: "NewRequest", Field: "path", Reason: "is neither a path starting with / nor a URL under the client's base URLs"}
	}
	if _, _, ok := c.server(u); !ok || u.Fragment != "" || u.User != nil {
		return nil, &ValidationError{Operation: "NewRequest", Field: "path", Reason: fmt.Sprintf("%s is not under the client's base URLs", redactURL(u))}
	}
	return u, nil
}

// server returns the base URL u lies under (its scheme, host and port, and its path as a prefix of
// u's, at a segment boundary) and u's escaped path after it.
func (c *Client) server(u *url.URL) (base *url.URL, rel string, ok bool) {
	for _, b := range []*url.URL{c.apiURL, c.oauthURL} {
		if originOf(u) != originOf(b) {
			continue
		}
		p := u.EscapedPath()
		rest, found := strings.CutPrefix(p, b.EscapedPath())
		if found && (rest == "" || rest[0] == '/') {
			return b, rest, true
		}
	}
	return nil, "", false
}

// operationFor returns the endpoint of req: the known operation with its method and a path
// template its path matches (a template without parameters first), or an operation the SDK does
// not know, named by method and path, that takes either kind of token and, when the client has
// none, is sent without one.
func (c *Client) operationFor(req *http.Request) (endpoint, error) {
	if req == nil || req.URL == nil {
		return endpoint{}, &ValidationError{Operation: "Do", Field: "req", Reason: "is nil or has no URL"}
	}
	_, rel, ok := c.server(req.URL)
	if !ok {
		return endpoint{}, &ValidationError{Operation: "Do", Field: "req.URL",
			Reason: fmt.Sprintf("%s is not under the client's base URLs", redactURL(req.URL))}
	}
	if rel == "" {
		rel = "/"
	}
	if ep, ok := knownEndpoint(req.Method, rel); ok {
		// The caller's body may lack the operation's idempotency key: retried as its method says.
		ep.idempotent = false
		return ep, nil
	}
	return endpoint{id: req.Method + " " + rel, method: req.Method, path: rel, auth: auth{TokenKindUser, TokenKindApp}, optionalAuth: true}, nil
}

// knownEndpoint returns the endpoint of method on the escaped path, preferring a template with
// fewer parameters: PATCH /public/v1/channels/rewards/redemptions would match rewards/{id} only if
// no literal template did.
func knownEndpoint(method, path string) (endpoint, bool) {
	best, params := -1, 0
	for i := range endpoints {
		ep := &endpoints[i]
		if ep.method != method {
			continue
		}
		if n, ok := matchPath(ep.path, path); ok && (best < 0 || n < params) {
			best, params = i, n
		}
	}
	if best < 0 {
		return endpoint{}, false
	}
	return endpoints[best], true
}

// matchPath reports whether path matches the template, whose {name} segments match any non-empty
// segment, and how many such segments it has. It allocates nothing.
func matchPath(template, path string) (params int, ok bool) {
	for {
		tseg, trest, tmore := strings.Cut(template, "/")
		pseg, prest, pmore := strings.Cut(path, "/")
		switch {
		case strings.HasPrefix(tseg, "{") && strings.HasSuffix(tseg, "}"):
			if pseg == "" {
				return 0, false
			}
			params++
		case tseg != pseg:
			return 0, false
		}
		if tmore != pmore {
			return 0, false
		}
		if !tmore {
			return params, true
		}
		template, path = trest, prest
	}
}

// Do sends req, made by NewRequest or by hand for a URL under the client's base URLs, as every
// service method sends its operation, and decodes a 2xx JSON answer into v:
//
//   - the token: a request whose method and path are those of an operation the SDK knows (its
//     path matching the operation's template, such as /public/v1/chat/{message_id}) takes that
//     operation's token kinds, and is that operation in errors, logs and RequestInfo; any other
//     request — an endpoint Kick added after this SDK — uses the user token when the client has a
//     source for one, else the app token, else none. WithTokenKind and WithoutToken choose for one
//     call. A missing token is a *MissingTokenError before anything is sent, and so is a scope
//     the operation needs that the user token says it was not granted (*MissingScopeError).
//   - the retry policy, Retry-After, the rate limiter, the refresh and single replay after a 401,
//     the client's Timeout, the logger and the request hook;
//   - the error model: a non-2xx answer is an *APIError (a 429 a *RateLimitError), a connection
//     error has its URL redacted, a success answer over the client's size limit or, for a known
//     operation, without the data it documents wraps ErrUnexpectedResponse.
//
// v may be nil (the body is read and dropped), an io.Writer (the body is written to it as Kick
// sent it) or a pointer that encoding/json decodes the whole body into — Kick's envelope, such as
// struct{ Data []T `json:"data"` }. An empty body leaves v untouched.
//
// The *Response is non-nil whenever Kick answered, also with an error. Do does not change req; it
// may be sent again when its body can be (NewRequest's can).
func (c *Client) Do(ctx context.Context, req *http.Request, v any, opts ...RequestOption) (*Response, error) {
	ep, err := c.operationFor(req)
	if err != nil {
		return nil, err
	}
	opts = callerCredentials(req, opts)
	meta := new(Response)
	_, err = c.exchange(ctx, ep, opts, &userRequest{req: req, v: v}, meta, false) //nolint:bodyclose // not bare: no response comes back
	if meta.StatusCode == 0 {
		meta = nil
	}
	return meta, err
}

// BareDo sends req as Do does and returns the *http.Response of a 2xx answer with its body unread:
// the caller reads and must close it. Reading stops with an error matching ErrResponseTooLarge
// after the client's size limit, and closing the body ends the call's Timeout. A non-2xx answer is
// an *APIError (or *RateLimitError), as from Do, returned with the response, whose body it has read
// (the response's Body is then empty). The response's Request is req, without the token. A success
// answer's body is not checked against the operation.
func (c *Client) BareDo(ctx context.Context, req *http.Request, opts ...RequestOption) (*http.Response, error) {
	ep, err := c.operationFor(req)
	if err != nil {
		return nil, err
	}
	opts = callerCredentials(req, opts)
	rsp, err := c.exchange(ctx, ep, opts, &userRequest{req: req}, nil, true)
	if rsp != nil {
		rsp.Request = req
	}
	return rsp, err
}

// callerCredentials adds the credential of an Authorization header the caller set (sent with
// WithoutToken, or when the client has no token for an unknown operation) to what the call
// redacts from its errors.
func callerCredentials(req *http.Request, opts []RequestOption) []RequestOption {
	a := req.Header.Get("Authorization")
	if a == "" {
		return opts
	}
	if _, cred, ok := strings.Cut(a, " "); ok {
		a = strings.TrimSpace(cred)
	}
	return withOption(opts, sends(a))
}

// userRequest is the requester of Do and BareDo: the caller's request and Do's v.
type userRequest struct {
	req *http.Request
	v   any
}

// send sends a copy of the request with the call's context, a fresh body, the client's
// User-Agent (unless the request sets one) and the first attempt's token (when the call sends
// one), through the client's transports.
func (u *userRequest) send(ctx context.Context, c *Client, _ endpoint, ci *callInfo) (*http.Response, error) {
	req := u.req
	r := req.Clone(ctx)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	if req.Header.Get("User-Agent") == "" {
		r.Header["User-Agent"] = c.userAgent
	}
	ci.authorizeFirst(r.Header) // operationFor made sure the URL is under one of the base URLs

	return c.http.Do(r) //nolint:gosec // G704: Do and BareDo send only URLs under the client's base URLs (operationFor)
}

func (u *userRequest) decode(ep endpoint, rsp *http.Response, body []byte) error {
	return decodeInto(ep, rsp, body, u.v)
}

// decodeInto is Do's decoder: body into v, as Do documents.
func decodeInto(ep endpoint, rsp *http.Response, body []byte, v any) error {
	switch v := v.(type) {
	case nil:
		return nil
	case io.Writer:
		_, err := v.Write(body)
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("kick: %s: decode %d response: %w: %w", ep.id, rsp.StatusCode, ErrUnexpectedResponse, err)
	}
	return nil
}

// limitedBody is the body BareDo hands out: it reads at most limit bytes, and ends the call's
// context when closed.
type limitedBody struct {
	body   io.ReadCloser
	left   int64 // bytes that may still be read
	limit  int64
	cancel context.CancelFunc // nil when the call has no Timeout
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// At the limit: one more byte means the body is too long.
		var one [1]byte
		for {
			n, err := b.body.Read(one[:])
			if n > 0 {
				return 0, fmt.Errorf("%w: over the limit of %d bytes", ErrResponseTooLarge, b.limit)
			}
			if err != nil {
				return 0, err
			}
		}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error {
	err := b.body.Close()
	if b.cancel != nil {
		b.cancel()
	}
	return err
}
