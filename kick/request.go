package kick

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick/internal/redact"
)

// Every call, a service method's and Do's and BareDo's, goes through three files, in this order:
//
//	request.go   what is sent: the call (its operation, its request options applied once, what it
//	             sends) and the *http.Request of each attempt, always under a base URL's path
//	send.go      the attempt loop: the token, sending, a redirect within the base URL, one replay
//	             after a 401, retries with backoff, the rate limiter, the log and the request hook
//	response.go  the answer: an *APIError for a non-2xx status; else the body, read within the
//	             client's limit, checked for what identifies it and decoded

// call is one call of an operation, as the send loop reads it: what the caller asked for, made
// once, and what the loop learns while it runs. Nothing of it travels in a context.
type call struct {
	op *gen.Operation
	// kinds are the token kinds the call accepts, in the order it tries them: the operation's, or
	// fewer (onlyTokens: Users.Me takes a user token only).
	kinds []TokenKind
	// optionalAuth lets a call with no token of those kinds go without one, unless a kind was
	// chosen: the operations Do does not know, whose security the client cannot tell.
	optionalAuth bool
	// idempotent marks a call the retry policy may send again like a GET: a POST or PATCH with the
	// operation's idempotency key (x-kick-idempotency-key), which Do's caller may not send.
	idempotent bool
	// cfg is the call's RequestOptions, applied.
	cfg requestConfig
	// req is what a service method sends, built by gen; user is the caller's request, for Do and
	// BareDo.
	req  gen.Request
	user *http.Request
	// base is the base URL the request is under (the API's or the OAuth server's): the only
	// origin and path prefix its token, redirects included, may go to.
	base *url.URL
	// into receives a success body: decoded with the tolerant decoder for a service method, as Do
	// documents for Do (userDecode). nil reads nothing.
	into       any
	userDecode bool
	// bare makes the call return a success response with its body unread (BareDo).
	bare bool
	// secrets are the credentials the call sent (its tokens, those of a token request), redacted
	// from everything it reports.
	secrets redact.Secrets
	// meta receives the answer's metadata for Do; nil otherwise.
	meta *Response
	// attempts counts the HTTP requests made so far.
	attempts int
}

// newCall applies opts to a call of op.
func newCall(op *gen.Operation, opts []RequestOption) *call {
	cl := &call{op: op, idempotent: op.Idempotent}
	for _, o := range opts {
		if o != nil {
			o(&cl.cfg)
		}
	}
	cl.kinds = make([]TokenKind, len(op.Tokens))
	for i, k := range op.Tokens {
		cl.kinds[i] = TokenKind(k)
	}
	if cl.cfg.kinds != nil {
		for _, k := range cl.cfg.kinds {
			if !slices.Contains(cl.kinds, k) {
				// A service narrows to kinds the spec gives the operation: a spec change that
				// breaks it fails every test of the method at once.
				panic(fmt.Sprintf("kick: %s does not accept %s tokens (it accepts %v)", op.ID, k, cl.kinds))
			}
		}
		cl.kinds = cl.cfg.kinds
	}
	cl.secrets.Add(cl.cfg.secrets...)
	return cl
}

// The header values the client sends, shared by every request: a request's header map is its
// own, but net/http never changes a value slice it was given (each has its capacity, so an append
// copies).
var (
	jsonContentType = []string{"application/json"}[:1:1]
	formContentType = []string{"application/x-www-form-urlencoded"}[:1:1]
)

const (
	contentTypeJSON = "application/json"
	contentTypeForm = "application/x-www-form-urlencoded"
)

// contentTypeValue is the shared header value of a content type.
func contentTypeValue(ct string) []string {
	switch ct {
	case contentTypeJSON:
		return jsonContentType
	case contentTypeForm:
		return formContentType
	}
	return []string{ct}
}

// target returns the URL of a service method's call: the path gen built (its parameters escaped
// as path segments) and the query, under the base URL of the operation's server, copied from the
// parsed base URL (nothing is parsed). It refuses a path that would leave the base URL's path (a
// parameter ".." or "%2e%2e"), before anything is sent.
func (c *Client) target(cl *call) (*url.URL, error) {
	base := c.baseURL(cl.op.Server)
	u := new(url.URL)
	*u = *base
	p := cl.req.Path
	u.Path = base.Path + p
	if strings.IndexByte(p, '%') >= 0 || base.RawPath != "" {
		dec, err := url.PathUnescape(p)
		if err != nil {
			return nil, invalid(cl.op.ID, "path", "%q is not an escaped path", p)
		}
		u.Path, u.RawPath = base.Path+dec, base.EscapedPath()+p
	}
	u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = cl.req.Query, false, "", ""
	if !underPrefix(base, u) {
		return nil, invalid(cl.op.ID, "path", "%q leaves the base URL's path %q", p, base.EscapedPath())
	}
	cl.base = base
	return u, nil
}

// baseURL returns the base URL of a server of the spec.
func (c *Client) baseURL(s gen.Server) *url.URL {
	if s == gen.ServerOAuth {
		return c.oauthURL
	}
	return c.apiURL
}

// request returns the *http.Request of one attempt to u, with ctx, a fresh body and, when tok is
// not nil, the bearer token's header value. A service method's request is built from what the client holds (the
// User-Agent, the Content-Type and the token cache's header value), Do's is a copy of the
// caller's with a fresh body (nil when it cannot be sent again: then body is the original's, for
// the first attempt only).
func (c *Client) request(ctx context.Context, cl *call, u *url.URL, bearer []string) (*http.Request, error) {
	if cl.user != nil {
		req := cl.user
		r := req.Clone(ctx)
		if u != req.URL {
			// A redirect's target, on the same origin.
			r.URL, r.Host = u, ""
		}
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
		if bearer != nil {
			r.Header["Authorization"] = bearer
		}
		return r, nil
	}
	h := make(http.Header, 3)
	h["User-Agent"] = c.userAgent
	if cl.req.ContentType != "" {
		h["Content-Type"] = contentTypeValue(cl.req.ContentType)
	}
	if bearer != nil {
		h["Authorization"] = bearer
	}
	r := &http.Request{
		Method:     cl.op.Method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Host:       u.Host,
	}
	if b := cl.req.Body; b != nil {
		// An io.NopCloser over a *bytes.Reader, as http.NewRequest makes: net/http knows it holds
		// the whole body, and writes headers and body at once (another reader gets its headers
		// flushed on their own first, a write more per request).
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		if len(b) == 0 {
			r.Body, r.GetBody = http.NoBody, func() (io.ReadCloser, error) { return http.NoBody, nil }
		}
	}
	return r.WithContext(ctx), nil
}

// replayable reports whether the call's body can be sent again: a service method's always can,
// Do's when the request has a GetBody (NewRequest's do) or no body.
func (cl *call) replayable() bool {
	if cl.user == nil {
		return true
	}
	req := cl.user
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// underPrefix reports whether u lies under base: the same origin (scheme, host and port), and a
// path that starts with base's path at a segment boundary and never climbs out of it, however a
// server reads it: with its escapes decoded ("%2e%2e" is "..", "%2f" and "%5c" separate segments,
// as a backslash does), a ";" parameter cut from a segment ("..;"), and its dot segments resolved, it
// is still under base's path. A path that only a lenient server would take out of the prefix is
// refused all the same: its request, with its token, would go outside.
func underPrefix(base, u *url.URL) bool {
	if originOf(u) != originOf(base) {
		return false
	}
	rest, ok := strings.CutPrefix(u.EscapedPath(), base.EscapedPath())
	if !ok || rest != "" && rest[0] != '/' {
		return false
	}
	if !strings.ContainsAny(rest, `.%\;`) {
		return true
	}
	dec, err := url.PathUnescape(rest)
	if err != nil {
		return false
	}
	depth := 0
	for _, seg := range strings.FieldsFunc(dec, func(r rune) bool { return r == '/' || r == '\\' }) {
		if i := strings.IndexByte(seg, ';'); i >= 0 {
			seg = seg[:i]
		}
		switch seg {
		case "", ".":
		case "..":
			if depth--; depth < 0 {
				return false
			}
		default:
			depth++
		}
	}
	return true
}

// onOAuthServer reports whether a path is served by the OAuth server (id.kick.com) rather than the
// API: the spec gives /oauth and the paths under it their own server (TestOAuthPathsMatchSpecServers
// holds this to the spec). target and NewRequest both route by it.
func onOAuthServer(path string) bool {
	return path == "/oauth" || strings.HasPrefix(path, "/oauth/")
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

// fetch sends req and decodes the 2xx JSON answer into into; nil reads nothing, and the answer
// only has to carry what identifies it.
func (c *Client) fetch(ctx context.Context, req gen.Request, opts []RequestOption, into any) error {
	cl := newCall(req.Operation, opts)
	cl.req, cl.into = req, into
	_, err := c.do(ctx, cl) //nolint:bodyclose // not bare: do closes the body and returns no response
	return err
}

// encode encodes a request body of op as encoding/json encodes v. A model whose JSON is another
// type's (a wire struct) gives that type with wire, which is encoded directly: through the
// model's MarshalJSON, encoding/json would check and compact the bytes once more.
func encode(op *gen.Operation, v any) ([]byte, error) {
	if w, ok := v.(interface{ wire() any }); ok {
		v = w.wire()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("kick: %s: encode body: %w", op.ID, err)
	}
	return b, nil
}

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
// server's (WithOAuthBaseURL), any other against the API's (WithAPIBaseURL). path may carry a query
// string: "/public/v1/users?id=1&id=2". A full URL is accepted too, when it lies under one of the
// two base URLs; no other host ever gets the client's tokens. A path that would climb out of the
// base URL's path (a ".." segment, written plainly or escaped, or an escaped slash) is refused.
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
		payload, contentType = []byte(b.Encode()), contentTypeForm
	case []byte:
		payload, contentType = b, contentTypeJSON
	case io.Reader:
		if payload, err = io.ReadAll(b); err != nil {
			return nil, fmt.Errorf("kick: NewRequest: read the body: %w", err)
		}
		contentType = contentTypeJSON
	default:
		if payload, err = json.Marshal(b); err != nil {
			return nil, fmt.Errorf("kick: NewRequest: encode the body: %w", err)
		}
		contentType = contentTypeJSON
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
		if _, _, ok := c.server(u); !ok {
			return nil, &ValidationError{Operation: "NewRequest", Field: "path", Reason: fmt.Sprintf("%s leaves the base URL's path", redactURL(u))}
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

// server returns the base URL u lies under (underPrefix) and u's escaped path after it.
func (c *Client) server(u *url.URL) (base *url.URL, rel string, ok bool) {
	for _, b := range []*url.URL{c.apiURL, c.oauthURL} {
		if underPrefix(b, u) {
			return b, strings.TrimPrefix(u.EscapedPath(), b.EscapedPath()), true
		}
	}
	return nil, "", false
}

// operationFor returns the call of req: the known operation with its method and a path template
// its path matches (a template without parameters first), or an operation the SDK does not know,
// named by method and path, that takes either kind of token and, when the client has none, is
// sent without one.
func (c *Client) operationFor(req *http.Request, opts []RequestOption) (*call, error) {
	if req == nil || req.URL == nil {
		return nil, &ValidationError{Operation: "Do", Field: "req", Reason: "is nil or has no URL"}
	}
	base, rel, ok := c.server(req.URL)
	if !ok || req.URL.User != nil {
		return nil, &ValidationError{Operation: "Do", Field: "req.URL",
			Reason: fmt.Sprintf("%s is not under the client's base URLs", redactURL(req.URL))}
	}
	if rel == "" {
		rel = "/"
	}
	var cl *call
	if op := knownOperation(req.Method, rel); op != nil {
		cl = newCall(op, opts)
		// The caller's body may lack the operation's idempotency key: retried as its method says.
		cl.idempotent = false
	} else {
		unknown := &gen.Operation{ID: req.Method + " " + rel, Method: req.Method, Path: rel, Tokens: []string{string(TokenKindUser), string(TokenKindApp)}}
		cl = newCall(unknown, opts)
		cl.optionalAuth = true
	}
	cl.user, cl.base = req, base
	return cl, nil
}

// knownOperation returns the operation of method on the escaped path, preferring a template
// with fewer parameters: PATCH /public/v1/channels/rewards/redemptions would match rewards/{id}
// only if no literal template did. It returns nil for a request of no operation of the spec.
func knownOperation(method, path string) *gen.Operation {
	var best *gen.Operation
	params := 0
	for _, op := range gen.Operations {
		if op.Method != method {
			continue
		}
		if n, ok := matchPath(op.Path, path); ok && (best == nil || n < params) {
			best, params = op, n
		}
	}
	return best
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
	cl, err := c.userCall(req, opts)
	if err != nil {
		return nil, err
	}
	cl.into, cl.userDecode, cl.meta = v, true, new(Response)
	_, err = c.do(ctx, cl) //nolint:bodyclose // not bare: no response comes back
	if cl.meta.StatusCode == 0 {
		return nil, err
	}
	return cl.meta, err
}

// BareDo sends req as Do does and returns the *http.Response of a 2xx answer with its body unread:
// the caller reads and must close it. Reading stops with an error matching ErrResponseTooLarge
// after the client's size limit, and closing the body ends the call's Timeout. A non-2xx answer is
// an *APIError (or *RateLimitError), as from Do, returned with the response, whose body it has read
// (the response's Body is then empty). The response's Request is req, without the token. A success
// answer's body is not checked against the operation.
func (c *Client) BareDo(ctx context.Context, req *http.Request, opts ...RequestOption) (*http.Response, error) {
	cl, err := c.userCall(req, opts)
	if err != nil {
		return nil, err
	}
	cl.bare = true
	rsp, err := c.do(ctx, cl)
	if rsp != nil {
		rsp.Request = req
	}
	return rsp, err
}

// userCall is the call of Do or BareDo: req's operation, and the credential of an Authorization
// header the caller set (sent with WithoutToken, or when the client has no token for an unknown
// operation) among what the call redacts from its errors.
func (c *Client) userCall(req *http.Request, opts []RequestOption) (*call, error) {
	cl, err := c.operationFor(req, opts)
	if err != nil {
		return nil, err
	}
	if a := req.Header.Get("Authorization"); a != "" {
		if _, cred, ok := strings.Cut(a, " "); ok {
			a = strings.TrimSpace(cred)
		}
		cl.secrets.Add(a)
	}
	return cl, nil
}
