package kickauth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/internal/pkce"
)

// ErrStateMismatch is returned by Exchange when the callback's state is not the one the
// authorization request sent: the callback may be forged (CSRF) or belong to another request.
var ErrStateMismatch = errors.New("kickauth: state in the callback does not match the authorization request")

// ErrMissingCode is returned by Exchange when the callback has neither a code nor an error.
var ErrMissingCode = errors.New("kickauth: no authorization code in the callback")

// ErrInvalidVerifier is matched by the error Exchange returns, before sending anything, when the
// request's PKCE verifier is not 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636, section 4.1);
// the error says which rule failed, never the verifier. kick.TokensService.Request checks
// verifiers by the same rule.
var ErrInvalidVerifier = errors.New("kickauth: invalid PKCE code verifier")

// S256Challenge returns the PKCE code challenge of verifier with method S256:
// base64url(SHA-256(verifier)) without padding (RFC 7636, section 4.2). Kick supports no other
// method. Generate verifiers with oauth2.GenerateVerifier.
func S256Challenge(verifier string) string {
	return oauth2.S256ChallengeFromVerifier(verifier)
}

// GenerateState returns a fresh state value for an authorization request: 32 random bytes,
// base64url-encoded without padding (43 characters).
func GenerateState() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails: crypto/rand crashes the program rather than return an error
	return base64.RawURLEncoding.EncodeToString(b)
}

// AuthRequest is one authorization request: the URL to send the user's browser to, and the state
// and PKCE verifier to keep until the callback (for example in the user's session, server side),
// where Exchange needs both. Use each AuthRequest once.
//
// String, GoString and LogValue hide the verifier, which must stay secret until the exchange.
type AuthRequest struct {
	// URL is the authorize URL on id.kick.com.
	URL string
	// State is the random value Kick sends back in the callback.
	State string
	// Verifier is the PKCE code verifier; its S256 challenge is in URL.
	Verifier string
}

// NewAuthRequest starts an authorization: it generates a state and a PKCE verifier and builds the
// authorize URL for cfg (see AuthURL). opts add parameters to the URL.
func NewAuthRequest(cfg *oauth2.Config, opts ...oauth2.AuthCodeOption) AuthRequest {
	state, verifier := GenerateState(), oauth2.GenerateVerifier()
	return AuthRequest{URL: AuthURL(cfg, state, verifier, opts...), State: state, Verifier: verifier}
}

// AuthURL returns the authorize URL for cfg with the given state and the S256 challenge of
// verifier: response_type=code, client_id, redirect_uri, scope (space-separated), state,
// code_challenge and code_challenge_method=S256, plus opts. Most programs call NewAuthRequest,
// which generates state and verifier.
//
// Kick's web front end rewrites the first "127.0.0.1" in the URL to "localhost", which breaks a
// redirect URI on 127.0.0.1 (Kick's docs, "Workaround for 127.0.0.1 Host Redirect URI"). When
// cfg.RedirectURL contains "127.0.0.1", AuthURL adds the sacrificial parameter
// redirect=127.0.0.1 that Kick's docs recommend. x/oauth2 sorts the parameters by name, so it
// always comes before redirect_uri, and no parameter before it can contain "127.0.0.1". Registering
// a localhost redirect URI avoids the problem altogether.
func AuthURL(cfg *oauth2.Config, state, verifier string, opts ...oauth2.AuthCodeOption) string {
	all := make([]oauth2.AuthCodeOption, 0, len(opts)+2)
	all = append(all, oauth2.S256ChallengeOption(verifier))
	if strings.Contains(cfg.RedirectURL, "127.0.0.1") {
		all = append(all, oauth2.SetAuthURLParam("redirect", "127.0.0.1"))
	}
	all = append(all, opts...)
	return cfg.AuthCodeURL(state, all...)
}

// String describes the request without its verifier.
func (r AuthRequest) String() string {
	return fmt.Sprintf("kickauth.AuthRequest{URL: %q, State: %q, Verifier: %s}", r.URL, r.State, redactedMark(r.Verifier))
}

// GoString is String: %#v hides the verifier too.
func (r AuthRequest) GoString() string { return r.String() }

// Format prints String for every verb, so no verb can print the verifier.
func (r AuthRequest) Format(f fmt.State, verb rune) { writeRedacted(f, verb, r.String()) }

// LogValue logs the URL and state, not the verifier.
func (r AuthRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("url", r.URL), slog.String("state", r.State),
		slog.String("verifier", logMark(r.Verifier)))
}

// AuthorizationError is an error Kick reported in the callback instead of a code, such as
// "access_denied" when the user declined.
type AuthorizationError struct {
	// Code is the callback's "error" parameter.
	Code string
	// Description is its "error_description" parameter, if any.
	Description string
}

// Error describes the failure in one line.
func (e *AuthorizationError) Error() string {
	if e.Description != "" {
		return fmt.Sprintf("kickauth: authorization failed: %s: %s", e.Code, e.Description)
	}
	return "kickauth: authorization failed: " + e.Code
}

// Exchange completes the authorization of req: callbackQuery is the query of the request Kick
// redirected the user to (r.URL.Query() in the callback handler). Exchange returns
// ErrStateMismatch unless the query's state equals req.State (compared in constant time, and
// checked first, so a forged error redirect cannot end a flow), an *AuthorizationError if the
// query carries an error, ErrMissingCode if it has no code; otherwise it exchanges
// the code and req.Verifier for a user token at cfg's token endpoint (grant_type
// authorization_code, client_id and client_secret in the form body, redirect_uri, code_verifier).
//
// A code Kick no longer accepts (used, expired, or issued to another verifier) yields a
// *ReauthorizeError, since only a new authorization helps. Save the token with
// UserSource.SetToken or a TokenStore; never log it (see Redacted). ctx may carry an *http.Client
// under oauth2.HTTPClient; a redirect of the token endpoint is not followed (a *kick.RedirectError).
func Exchange(ctx context.Context, cfg *oauth2.Config, req AuthRequest, callbackQuery url.Values) (*oauth2.Token, error) {
	// The state first: an error redirect carries the state too (RFC 6749 section 4.1.2.1), and one
	// without it is not an answer to this request, so a forged ?error= cannot end the flow.
	state := callbackQuery.Get("state")
	if req.State == "" || subtle.ConstantTimeCompare([]byte(state), []byte(req.State)) != 1 {
		return nil, ErrStateMismatch
	}
	if code := callbackQuery.Get("error"); code != "" {
		return nil, &AuthorizationError{Code: code, Description: callbackQuery.Get("error_description")}
	}
	code := callbackQuery.Get("code")
	if code == "" {
		return nil, ErrMissingCode
	}
	if err := pkce.Check(req.Verifier); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidVerifier, err)
	}
	tok, err := kickConfig(cfg).Exchange(tokenContext(ctx, nil), code, oauth2.VerifierOption(req.Verifier))
	if err != nil {
		return nil, userTokenError("exchange the authorization code", "", err, code, req.Verifier, cfg.ClientSecret)
	}
	return tok, nil
}
