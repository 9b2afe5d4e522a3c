package kick

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick/internal/redact"
)

// Sentinel errors matched by errors.Is against an *APIError, by HTTP status.
var (
	// ErrBadRequest matches a 400 answer: invalid parameters.
	ErrBadRequest = errors.New("kick: bad request")
	// ErrUnauthorized matches a 401 answer: the token is missing, invalid or expired.
	ErrUnauthorized = errors.New("kick: unauthorized")
	// ErrForbidden matches a 403 answer: a missing scope, the wrong token kind, or Kick's Cloudflare
	// edge blocking the request.
	ErrForbidden = errors.New("kick: forbidden")
	// ErrNotFound matches a 404 answer.
	ErrNotFound = errors.New("kick: not found")
	// ErrRateLimited matches a 429 answer.
	ErrRateLimited = errors.New("kick: rate limited")
	// ErrServer matches any 5xx answer.
	ErrServer = errors.New("kick: server error")
)

// ErrMissingToken is matched by errors.Is when a call needs a kind of token the client has no
// source for. No request was sent. See *MissingTokenError.
var ErrMissingToken = errors.New("kick: no token of the kind this call needs")

// ErrInvalidInput is matched by errors.Is for every *ValidationError.
var ErrInvalidInput = errors.New("kick: invalid input")

// ErrUnexpectedResponse is wrapped when Kick answers a success status with a body that is not what
// the API documents: not JSON, JSON that does not decode, an answer without the "data" the
// operation documents (such as {"data":null}), or a body over the limit (ErrResponseTooLarge).
var ErrUnexpectedResponse = errors.New("kick: unexpected response")

// ErrResponseTooLarge is wrapped, together with ErrUnexpectedResponse, when a success answer's body
// is longer than the client reads (DefaultMaxResponseBytes, or WithMaxResponseBytes). The body is
// not read further.
var ErrResponseTooLarge = errors.New("kick: response body too large")

// ErrRedirect is matched by errors.Is for every *RedirectError.
var ErrRedirect = errors.New("kick: redirect not followed")

// RedirectError reports a redirect the client did not follow. The client follows a redirect only
// of a GET or HEAD request, to the same scheme, host and port, at most 10 in a row: a token goes
// to no other host, and a POST, PATCH, PUT or DELETE (a chat message, a ban) is never sent again
// by a redirect. Kick's API documents no redirects. It matches ErrRedirect.
type RedirectError struct {
	// Operation is the Kick operation id, such as "sendChatMessage".
	Operation string
	// Method and URL are the request that was redirected; Location is where the server
	// redirected it. Secrets are redacted from both URLs.
	Method   string
	URL      string
	Location string
	// StatusCode is the redirect's status, such as 307.
	StatusCode int
	// Reason says why the redirect was not followed.
	Reason string
}

// Error describes the redirect.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("kick: %s %s: %d redirect to %s not followed: %s", e.Method, e.URL, e.StatusCode, e.Location, e.Reason)
}

// Unwrap returns ErrRedirect.
func (e *RedirectError) Unwrap() error { return ErrRedirect }

// maxErrorBody bounds the copy of an error response's body kept in an *APIError.
const maxErrorBody = 4 << 10

// APIError is Kick's answer with a non-2xx status. It never holds a credential the client sent:
// query values that carry one are redacted from URL, and the access token, client secret, refresh
// token, code and verifier of the request are replaced by "REDACTED" in Message, the OAuth fields
// and Body wherever the server echoed them (as sent, percent-encoded, or JSON-escaped).
type APIError struct {
	// StatusCode is the HTTP status, such as 401.
	StatusCode int
	// Message is Kick's human-readable message (the API's "message", or the text of an HTML page's
	// title). Kick sends no machine-readable codes: branch on StatusCode or the sentinels.
	Message string
	// Detail is the reason some answers give in the envelope's "data" as a string, such as
	// "event subscription limit reached" (with Message "Bad request"); empty otherwise.
	Detail string
	// OAuthError and OAuthErrorDescription are the OAuth server's "error" and "error_description",
	// such as "invalid_grant". Cloudflare's JSON block page sets OAuthError too.
	OAuthError            string
	OAuthErrorDescription string
	// Operation is the Kick operation id, such as "getUsers"; for a request Client.Do matched to
	// no operation the SDK knows, its method and path, such as "GET /public/v2/widgets".
	Operation string
	// Method and URL identify the request; secrets in the query are replaced by "REDACTED".
	Method string
	URL    string
	// Body is the start of the response body (at most 4 KiB), with the request's credentials
	// redacted.
	Body []byte
	// Header is the response's header, such as a request id to quote to Kick, with the request's
	// credentials redacted from the values.
	Header http.Header
}

// Error describes the failure in one line.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kick: %s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.Message != "" && e.OAuthError != "":
		fmt.Fprintf(&b, ": %s (%s)", e.Message, e.OAuthError)
	case e.Message != "":
		fmt.Fprintf(&b, ": %s", e.Message)
	case e.OAuthError != "":
		fmt.Fprintf(&b, ": %s", e.OAuthError)
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	if e.OAuthErrorDescription != "" {
		fmt.Fprintf(&b, ": %s", e.OAuthErrorDescription)
	}
	return b.String()
}

// Is reports whether target is the sentinel of e's status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// RateLimitError is returned when Kick still answers 429 after the retries the policy allows, or
// asks for a wait longer than the client is willing to make (a minute) or than the time left
// before the call's deadline; then it is returned at once, without waiting. It matches
// ErrRateLimited, and errors.As also finds its *APIError.
type RateLimitError struct {
	*APIError
	// RetryAfter is the wait Kick asked for in a Retry-After header, or zero when it sent none
	// (Kick documents no rate-limit headers).
	RetryAfter time.Duration
}

// Error describes the rate limit.
func (e *RateLimitError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%s (retry after %s)", e.APIError.Error(), e.RetryAfter)
	}
	return e.APIError.Error()
}

// Unwrap returns the *APIError.
func (e *RateLimitError) Unwrap() error { return e.APIError }

// redactHeader returns h, or, when a value holds one of the call's credentials, a copy with them
// redacted.
func redactHeader(h http.Header, secrets *redact.Secrets) http.Header {
	if secrets.MaxLen() == 0 || !headerHolds(h, secrets) {
		return h
	}
	out := make(http.Header, len(h))
	for name, values := range h {
		vs := make([]string, len(values))
		for i, v := range values {
			vs[i] = secrets.String(v)
		}
		out[name] = vs
	}
	return out
}

func headerHolds(h http.Header, secrets *redact.Secrets) bool {
	for _, values := range h {
		for _, v := range values {
			if secrets.In(v) {
				return true
			}
		}
	}
	return false
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// newAPIError builds the error for a non-2xx response from the start of its body: body holds
// maxErrorBody bytes, and up to secrets.MaxLen more so that a secret that starts within the kept
// bytes is redacted whole.
func newAPIError(op string, req *http.Request, status int, contentType string, body []byte, secrets *redact.Secrets) *APIError {
	body = secrets.Prefix(body, maxErrorBody)
	e := &APIError{
		StatusCode: status,
		Operation:  op,
		Method:     req.Method,
		URL:        secrets.String(redactURL(req.URL)),
		Body:       body,
	}
	defer func() {
		// The body was redacted, but decoding JSON undoes escapes ("\u0074" is "t").
		e.Message = secrets.String(e.Message)
		e.Detail = secrets.String(e.Detail)
		e.OAuthError = secrets.String(e.OAuthError)
		e.OAuthErrorDescription = secrets.String(e.OAuthErrorDescription)
	}()
	var payload struct {
		Message          *string         `json:"message"`
		Data             json.RawMessage `json:"data"`
		Error            *string         `json:"error"`
		ErrorDescription *string         `json:"error_description"`
	}
	trimmed := strings.TrimSpace(string(body))
	switch {
	case json.Unmarshal(body, &payload) == nil:
		e.Message = deref(payload.Message)
		_ = json.Unmarshal(payload.Data, &e.Detail) // only a string: null, {} and the rest leave it empty
		e.OAuthError = deref(payload.Error)
		e.OAuthErrorDescription = deref(payload.ErrorDescription)
	case strings.Contains(contentType, "html") || strings.HasPrefix(trimmed, "<"):
		// Cloudflare's challenge page, or another HTML error page: keep its title readable.
		if m := htmlTitle.FindStringSubmatch(trimmed); m != nil {
			e.Message = strings.Join(strings.Fields(html.UnescapeString(m[1])), " ")
		}
		if e.Message == "" {
			e.Message = "HTML error page"
		}
		if status == http.StatusForbidden && strings.Contains(strings.ToLower(trimmed), "cloudflare") {
			e.Message = "blocked by Kick's Cloudflare edge: " + e.Message
		}
	default:
		line, _, _ := strings.Cut(trimmed, "\n")
		if len(line) > 200 {
			line = line[:200] + "…"
		}
		e.Message = line
	}
	return e
}

// RedactURL renders u as the client shows a URL in errors, logs and RequestInfo: without user
// info, and with the values of the query parameters that carry credentials (token, access_token,
// refresh_token, client_secret, code, code_verifier) replaced by "REDACTED".
func RedactURL(u *url.URL) string { return redact.URL(u) }

// redactURL is RedactURL.
func redactURL(u *url.URL) string { return redact.URL(u) }

// ValidationError reports input rejected before any request was sent. It matches ErrInvalidInput.
type ValidationError struct {
	// Operation is the Kick operation id, such as "sendChatMessage", or the Client method that
	// refused a raw request ("NewRequest", "Do").
	Operation string
	// Field names the offending input: a struct field such as "Content" or "Names[1]", or an
	// argument such as "ids[3]".
	Field string
	// Reason says what is wrong, such as "at most 500 characters".
	Reason string
}

// Error describes the rejected input.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("kick: %s: invalid %s: %s", e.Operation, e.Field, e.Reason)
}

// Unwrap returns ErrInvalidInput.
func (e *ValidationError) Unwrap() error { return ErrInvalidInput }

// MissingTokenError reports a call that needs a kind of token the client has no source for, or a
// token kind chosen with WithTokenKind that the operation does not accept. No request was sent. It
// matches ErrMissingToken.
type MissingTokenError struct {
	// Operation is the Kick operation id, such as "getUsers"; for a request Client.Do matched to
	// no operation the SDK knows, its method and path, such as "GET /public/v2/widgets".
	Operation string
	// Accepted lists the token kinds the operation accepts.
	Accepted []TokenKind
	// Chosen is the kind chosen with WithTokenKind, if any.
	Chosen TokenKind
}

// Error describes the missing token.
func (e *MissingTokenError) Error() string {
	kinds := make([]string, len(e.Accepted))
	for i, k := range e.Accepted {
		kinds[i] = string(k) + " token"
	}
	need := strings.Join(kinds, " or ")
	if e.Chosen != "" {
		return fmt.Sprintf("kick: %s: needs a %s; the call chose a %s token that is not accepted or not configured", e.Operation, need, e.Chosen)
	}
	return fmt.Sprintf("kick: %s: needs a %s, and the client has no source for one", e.Operation, need)
}

// Unwrap returns ErrMissingToken.
func (e *MissingTokenError) Unwrap() error { return ErrMissingToken }
