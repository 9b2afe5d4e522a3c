package kick

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/url"
	"strings"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick/internal/pkce"
	"github.com/kick-sdk/kick-go/kick/internal/tolerant"
)

// TokensService introspects, revokes and requests OAuth tokens on Kick's OAuth server
// (id.kick.com). Kick docs: OAuth 2.1.
type TokensService service

// TokenInfo is the status of an access token, from introspection. It marshals as Kick sends it:
// Kind as "token_type", Scopes space-separated in "scope", ExpiresAt in Unix seconds in "exp".
// Kick's schema: TokenIntrospection.
type TokenInfo struct {
	// Active says whether the token is valid. When it is false the other fields are zero: Kick
	// tells nothing more about an inactive token.
	Active bool
	// ClientID is the client id of the app the token was issued to.
	ClientID string
	// Kind says whether it is a user token or an app token.
	Kind TokenKind
	// Scopes are the scopes the user granted; nil for app tokens.
	Scopes []Scope
	// ExpiresAt is when the token expires, in UTC.
	ExpiresAt time.Time
}

// tokenInfoJSON is TokenInfo as Kick's JSON.
type tokenInfoJSON struct {
	Active    bool      `json:"active"`
	ClientID  string    `json:"client_id,omitempty"`
	TokenType TokenKind `json:"token_type,omitempty"`
	Scope     string    `json:"scope,omitempty"`
	Exp       int64     `json:"exp,omitempty"`
}

// MarshalJSON writes i as Kick sends it.
func (i TokenInfo) MarshalJSON() ([]byte, error) {
	w := tokenInfoJSON{Active: i.Active, ClientID: i.ClientID, TokenType: i.Kind, Scope: tokensJoinScopes(i.Scopes)}
	if !i.ExpiresAt.IsZero() {
		w.Exp = i.ExpiresAt.Unix()
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads i as Kick sends it, as the client decodes it (tolerantly), for callers of
// encoding/json.
func (i *TokenInfo) UnmarshalJSON(b []byte) error {
	return tolerant.Unmarshal(b, i)
}

// UnmarshalJSONFrom reads i as Kick sends it, in the decoder's one pass. A null leaves i as it is.
func (i *TokenInfo) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		return err
	}
	var w tokenInfoJSON
	if err := jsonv2.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	*i = TokenInfo{Active: w.Active, ClientID: w.ClientID, Kind: w.TokenType, Scopes: tokensParseScopes(w.Scope)}
	if w.Exp != 0 {
		i.ExpiresAt = time.Unix(w.Exp, 0).UTC()
	}
	return nil
}

// tokensParseScopes splits Kick's space-separated scope list; it returns nil for none.
func tokensParseScopes(s string) []Scope {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return nil
	}
	scopes := make([]Scope, len(fields))
	for i, f := range fields {
		scopes[i] = Scope(f)
	}
	return scopes
}

// tokensJoinScopes is the space-separated scope list of Kick's JSON; "" for none.
func tokensJoinScopes(scopes []Scope) string {
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	return strings.Join(s, " ")
}

// TokenTypeHint tells Revoke which kind of token it revokes.
type TokenTypeHint string

// The token type hints.
const (
	TokenHintAccessToken  TokenTypeHint = "access_token"
	TokenHintRefreshToken TokenTypeHint = "refresh_token"
)

// GrantType is the OAuth grant of a token request.
type GrantType string

// The grants of Kick's token endpoint.
const (
	// GrantAuthorizationCode exchanges the code of the authorize redirect, with the PKCE verifier,
	// for a user access token and a refresh token.
	GrantAuthorizationCode GrantType = "authorization_code"
	// GrantClientCredentials issues an app access token (no refresh token).
	GrantClientCredentials GrantType = "client_credentials"
	// GrantRefreshToken exchanges a refresh token for a new user access token and a new refresh
	// token.
	GrantRefreshToken GrantType = "refresh_token"
)

// TokenRequestParams is the form Request sends. Only the fields of the chosen grant are sent; the
// others are ignored. Its secrets are Secret values: fmt (any verb), log/slog and JSON print them
// as REDACTED, and Reveal(request) marshals them in clear. It marshals with the form's field
// names. Kick's schema: TokenGrant (one of AuthorizationCodeGrant, ClientCredentialsGrant,
// RefreshTokenGrant).
type TokenRequestParams struct {
	// GrantType chooses the grant.
	GrantType GrantType `json:"grant_type"`
	// ClientID and ClientSecret authenticate the app; every grant needs them.
	ClientID     string `json:"client_id"`
	ClientSecret Secret `json:"client_secret"`
	// Code, RedirectURI and CodeVerifier are the authorization code grant's: the code of the
	// authorize redirect, the redirect URI of the authorize request, and the PKCE verifier (43 to
	// 128 characters of A-Z, a-z, 0-9, "-", ".", "_" and "~") whose S256 challenge it carried.
	Code         Secret `json:"code,omitempty"`
	RedirectURI  string `json:"redirect_uri,omitempty"`
	CodeVerifier Secret `json:"code_verifier,omitempty"`
	// RefreshToken is the refresh token grant's.
	RefreshToken Secret `json:"refresh_token,omitempty"`
}

// MarshalJSON writes the request with its secrets redacted; marshal Reveal(request) for them.
func (r TokenRequestParams) MarshalJSON() ([]byte, error) { return r.marshalJSON(false) }

func (r TokenRequestParams) marshalJSON(reveal bool) ([]byte, error) {
	type plain TokenRequestParams
	//nolint:gosec // the secrets are "REDACTED" unless Reveal asked for them
	return json.Marshal(struct {
		plain
		ClientSecret string `json:"client_secret"`
		Code         string `json:"code,omitempty"`
		CodeVerifier string `json:"code_verifier,omitempty"`
		RefreshToken string `json:"refresh_token,omitempty"`
	}{plain(r), r.ClientSecret.text(reveal), r.Code.text(reveal), r.CodeVerifier.text(reveal), r.RefreshToken.text(reveal)})
}

// Token is a token issued by Kick's token endpoint. AccessToken and RefreshToken are Secret
// values: fmt (any verb), log/slog and encoding/json print them as REDACTED. Marshal
// Reveal(token) to store them; that JSON is Kick's (expires_in in seconds, scope
// space-separated) and unmarshals back into the same Token. Kick's schema: Token.
type Token struct {
	// AccessToken is the token to send as "Authorization: Bearer <AccessToken.Reveal()>".
	AccessToken Secret
	// TokenType is "Bearer".
	TokenType string
	// RefreshToken gets the next user access token with GrantRefreshToken; empty for app tokens.
	// Store the new one after every refresh.
	RefreshToken Secret
	// ExpiresIn is the access token's lifetime from the time of the request, in whole seconds.
	ExpiresIn time.Duration
	// Scopes are the granted scopes; nil for app tokens.
	Scopes []Scope
}

// tokenJSON is Token as Kick's JSON.
type tokenJSON struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int64  `json:"expires_in"`
	Scope        string `json:"scope,omitempty"`
}

// MarshalJSON writes the token as Kick sends it, its secrets redacted; marshal Reveal(token) for
// them.
func (t Token) MarshalJSON() ([]byte, error) { return t.marshalJSON(false) }

func (t Token) marshalJSON(reveal bool) ([]byte, error) {
	return json.Marshal(tokenJSON{
		AccessToken:  t.AccessToken.text(reveal),
		TokenType:    t.TokenType,
		RefreshToken: t.RefreshToken.text(reveal),
		ExpiresIn:    int64(t.ExpiresIn / time.Second),
		Scope:        tokensJoinScopes(t.Scopes),
	})
}

// UnmarshalJSON reads a token as Kick sends it, as the client decodes it (tolerantly), for
// callers of encoding/json.
func (t *Token) UnmarshalJSON(b []byte) error {
	return tolerant.Unmarshal(b, t)
}

// UnmarshalJSONFrom reads a token as Kick sends it, in the decoder's one pass. A null leaves t as
// it is.
func (t *Token) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		return err
	}
	var w tokenJSON
	if err := jsonv2.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	if w.ExpiresIn < 0 || w.ExpiresIn > math.MaxInt64/int64(time.Second) {
		return fmt.Errorf("kick: Token: expires_in %d is not a number of seconds a time.Duration holds", w.ExpiresIn)
	}
	*t = Token{
		AccessToken:  Secret(w.AccessToken),
		TokenType:    w.TokenType,
		RefreshToken: Secret(w.RefreshToken),
		ExpiresIn:    time.Duration(w.ExpiresIn) * time.Second,
		Scopes:       tokensParseScopes(w.Scope),
	}
	return nil
}

// tokensRedacted is what a secret prints as.
const tokensRedacted = "REDACTED"

func tokensRedact(secret Secret) string {
	if secret == "" {
		return `""`
	}
	return tokensRedacted
}

// String describes the token with its secrets redacted.
func (t Token) String() string {
	return fmt.Sprintf("kick.Token{TokenType:%q, AccessToken:%s, RefreshToken:%s, ExpiresIn:%s, Scopes:%v}",
		t.TokenType, tokensRedact(t.AccessToken), tokensRedact(t.RefreshToken), t.ExpiresIn, t.Scopes)
}

// GoString is String, for %#v.
func (t Token) GoString() string { return t.String() }

// Format prints String for every verb (%q quotes it), so that no verb prints the secrets.
func (t Token) Format(f fmt.State, verb rune) { tokensFormat(f, verb, t.String()) }

// tokensFormat writes s, the redacted description of a value, for every verb; %q quotes it.
func tokensFormat(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s)
		return
	}
	_, _ = io.WriteString(f, s)
}

// LogValue logs the token with its secrets redacted.
func (t Token) LogValue() slog.Value {
	scopes := make([]string, len(t.Scopes))
	for i, s := range t.Scopes {
		scopes[i] = string(s)
	}
	return slog.GroupValue(
		slog.String("token_type", t.TokenType),
		slog.String("access_token", t.AccessToken.String()),
		slog.String("refresh_token", t.RefreshToken.String()),
		slog.Duration("expires_in", t.ExpiresIn),
		slog.Any("scopes", scopes),
	)
}

// String describes the request with its secrets redacted.
func (r TokenRequestParams) String() string {
	return fmt.Sprintf("kick.TokenRequestParams{GrantType:%q, ClientID:%q, ClientSecret:%s, Code:%s, RedirectURI:%q, CodeVerifier:%s, RefreshToken:%s}",
		r.GrantType, r.ClientID, tokensRedact(r.ClientSecret), tokensRedact(r.Code), r.RedirectURI,
		tokensRedact(r.CodeVerifier), tokensRedact(r.RefreshToken))
}

// GoString is String, for %#v.
func (r TokenRequestParams) GoString() string { return r.String() }

// Format prints String for every verb (%q quotes it), so that no verb prints the secrets.
func (r TokenRequestParams) Format(f fmt.State, verb rune) { tokensFormat(f, verb, r.String()) }

// LogValue logs the request with its secrets redacted.
func (r TokenRequestParams) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("grant_type", string(r.GrantType)),
		slog.String("client_id", r.ClientID),
		slog.String("client_secret", r.ClientSecret.String()),
		slog.String("code", r.Code.String()),
		slog.String("redirect_uri", r.RedirectURI),
		slog.String("code_verifier", r.CodeVerifier.String()),
		slog.String("refresh_token", r.RefreshToken.String()),
	)
}

// Introspect tells whether the access token the call sends is active and, when it is, its app,
// kind, scopes and expiry. That is the user token by default; pass WithTokenKind(TokenKindApp) to
// introspect the app token. Kick may answer a token it does not know with ErrUnauthorized rather
// than with Active false.
//
// Token: the user token or the app token being introspected, no scope needed. Operation
// introspectToken (on id.kick.com).
//
// Kick API docs: https://docs.kick.com/getting-started/generating-tokens-oauth2-flow#token-introspect-endpoint
func (s *TokensService) Introspect(ctx context.Context, opts ...RequestOption) (*TokenInfo, error) {
	return s.introspect(ctx, gen.IntrospectToken.Request(), opts)
}

// IntrospectV1 is Introspect through the REST API's older endpoint, with the same result.
//
// Deprecated: use Introspect instead. Kick deprecated this endpoint on 2026-01-15.
//
// Token: the user token or the app token being introspected, no scope needed. Operation
// introspectTokenV1.
//
// Kick API docs: https://docs.kick.com/apis/users
func (s *TokensService) IntrospectV1(ctx context.Context, opts ...RequestOption) (*TokenInfo, error) {
	return s.introspect(ctx, gen.IntrospectTokenV1.Request(), opts)
}

// introspect sends an introspection without a body: the token is the one the call sends.
func (s *TokensService) introspect(ctx context.Context, req gen.Request, opts []RequestOption) (*TokenInfo, error) {
	var env data[TokenInfo]
	if err := s.client.fetch(ctx, req, opts, &env); err != nil {
		return nil, err
	}
	return &env.Data, nil
}

// Revoke revokes an access token or a refresh token. hint says which it is; "" sends no hint.
// Kick answers success for a token that was already invalid.
//
// As Kick's docs require, token travels in the query string (with Kick's parameter names token and
// token_hint_type, not RFC 7009's form body): the client redacts it from errors, logs and request
// hooks, but proxies between you and Kick may log it.
//
// Token: none; no Authorization header is sent. Operation revokeToken (on id.kick.com).
//
// Kick API docs: https://docs.kick.com/getting-started/generating-tokens-oauth2-flow#revoke-token-endpoint
func (s *TokensService) Revoke(ctx context.Context, token string, hint TokenTypeHint, opts ...RequestOption) error {
	op := gen.RevokeToken
	if token == "" {
		return invalid(op.ID, "token", "is empty")
	}
	switch hint {
	case "", TokenHintAccessToken, TokenHintRefreshToken:
	default:
		return invalid(op.ID, "hint", "%q is not %q or %q", hint, TokenHintAccessToken, TokenHintRefreshToken)
	}
	req := op.Request(token, string(hint))
	// Kick's docs send the form's Content-Type although the request has no body.
	req.ContentType = contentTypeForm
	return s.client.fetch(ctx, req, withOption(opts, sends(token)), nil)
}

// form checks r and returns the form of its grant.
func (r TokenRequestParams) form(op string) (url.Values, error) {
	required := func(field, v string) error {
		if v == "" {
			return invalid(op, field, "is empty; the %s grant needs it", r.GrantType)
		}
		return nil
	}
	switch r.GrantType {
	case "":
		return nil, invalid(op, "GrantType", "is empty")
	case GrantAuthorizationCode, GrantClientCredentials, GrantRefreshToken:
	default:
		return nil, invalid(op, "GrantType", "%q is not %q, %q or %q", r.GrantType, GrantAuthorizationCode, GrantClientCredentials, GrantRefreshToken)
	}
	for _, f := range []struct{ name, v string }{{"ClientID", r.ClientID}, {"ClientSecret", r.ClientSecret.Reveal()}} {
		if err := required(f.name, f.v); err != nil {
			return nil, err
		}
	}
	form := url.Values{
		"grant_type":    {string(r.GrantType)},
		"client_id":     {r.ClientID},
		"client_secret": {r.ClientSecret.Reveal()},
	}
	switch r.GrantType {
	case GrantAuthorizationCode:
		for _, f := range []struct{ name, v string }{{"Code", r.Code.Reveal()}, {"RedirectURI", r.RedirectURI}, {"CodeVerifier", r.CodeVerifier.Reveal()}} {
			if err := required(f.name, f.v); err != nil {
				return nil, err
			}
		}
		if u, err := url.Parse(r.RedirectURI); err != nil || !u.IsAbs() {
			return nil, invalid(op, "RedirectURI", "is not an absolute URI")
		}
		if err := tokensCheckVerifier(op, r.CodeVerifier.Reveal()); err != nil {
			return nil, err
		}
		form.Set("code", r.Code.Reveal())
		form.Set("redirect_uri", r.RedirectURI)
		form.Set("code_verifier", r.CodeVerifier.Reveal())
	case GrantRefreshToken:
		if err := required("RefreshToken", r.RefreshToken.Reveal()); err != nil {
			return nil, err
		}
		form.Set("refresh_token", r.RefreshToken.Reveal())
	}
	return form, nil
}

// tokensCheckVerifier checks a PKCE code verifier (pkce.Check) without echoing it: it is a secret.
func tokensCheckVerifier(op, v string) error {
	if err := pkce.Check(v); err != nil {
		return invalid(op, "CodeVerifier", "%s", err.Error())
	}
	return nil
}

// Request sends a token request to Kick's token endpoint, the raw OAuth call: it checks the fields
// r.GrantType needs, sends exactly those as an application/x-www-form-urlencoded body and returns
// the issued token. An OAuth error (such as "invalid_grant" for an expired code or refresh token)
// is an *APIError with OAuthError and OAuthErrorDescription.
//
// Most applications get tokens through the OAuth helpers built on golang.org/x/oauth2, which also
// refresh them; use Request to drive the endpoint yourself.
//
// Token: none; the app authenticates with ClientID and ClientSecret. Operation requestToken (on
// id.kick.com).
//
// Kick API docs: https://docs.kick.com/getting-started/generating-tokens-oauth2-flow#token-endpoint
func (s *TokensService) Request(ctx context.Context, r TokenRequestParams, opts ...RequestOption) (*Token, error) {
	op := gen.RequestToken
	form, err := r.form(op.ID)
	if err != nil {
		return nil, err
	}
	opts = withOption(opts, sends(r.ClientSecret.Reveal(), r.RefreshToken.Reveal(), r.Code.Reveal(), r.CodeVerifier.Reveal()))
	t := new(Token)
	if err := s.client.fetch(ctx, op.Request([]byte(form.Encode())), opts, t); err != nil {
		return nil, err
	}
	if t.AccessToken == "" {
		return nil, fmt.Errorf("kick: %s: no access token in the response: %w", op.ID, ErrUnexpectedResponse)
	}
	return t, nil
}
