package kicktest

import (
	"time"

	"crypto/subtle"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick"
)

// The authorize step: a browser redirect the spec describes in prose (UserAccessToken), not as an
// operation. Its route name for Fault and Requests is "authorize".
const (
	authorizePath  = "/oauth/authorize"
	authorizeRoute = "authorize"
)

// authorizeOp stands for the authorize step in the request pipeline: no security, no validation.
var authorizeOp = &operation{id: authorizeRoute, method: http.MethodGet, path: authorizePath, oauth: true, oauthErrors: true}

// authorize approves (or, after AuthorizeAs(0), declines) an authorization request at once, as the
// user would in the browser, and redirects to the redirect URI with code and state. A malformed
// request is answered 400 {"error": "Invalid request"} without a redirect, as Kick does.
func (s *Server) authorize(c *call) {
	q := c.r.URL.Query()
	invalid := func(why string) { c.w.oauthError(http.StatusBadRequest, "Invalid request", why) }
	var (
		app      App
		approver int64
	)
	s.locked(func() { app, approver = s.app, s.authorizer })
	redirect := q.Get("redirect_uri")
	target, err := url.Parse(redirect)
	switch {
	case q.Get("client_id") != app.ClientID:
		invalid("unknown client_id")
		return
	case redirect == "" || err != nil || !target.IsAbs():
		invalid("redirect_uri is missing or not an absolute URI")
		return
	case !slices.Contains(app.RedirectURIs, redirect) && (!s.cfg.loopback || !loopback(target)):
		invalid("redirect_uri is not registered for the app")
		return
	case q.Get("response_type") != "code":
		invalid("response_type must be code")
		return
	case q.Get("state") == "":
		invalid("state is required")
		return
	case q.Get("code_challenge_method") != "S256":
		invalid("code_challenge_method must be S256")
		return
	case len(q.Get("code_challenge")) != 43:
		invalid("code_challenge must be the base64url SHA-256 of the code verifier")
		return
	}
	var scopes []kick.Scope
	for _, sc := range strings.Fields(q.Get("scope")) {
		if !slices.Contains(kick.AllScopes, kick.Scope(sc)) {
			invalid("unknown scope " + sc)
			return
		}
		if !slices.Contains(scopes, kick.Scope(sc)) {
			scopes = append(scopes, kick.Scope(sc))
		}
	}
	if len(scopes) == 0 {
		invalid("scope is required")
		return
	}
	back := target.Query()
	back.Set("state", q.Get("state"))
	if approver == 0 {
		back.Set("error", "access_denied")
		back.Set("error_description", "The user denied the request")
	} else {
		code := newOpaque()
		s.locked(func() {
			s.st.codes[code] = &authCode{userID: approver, scopes: scopes, redirectURI: redirect, challenge: q.Get("code_challenge"), expires: s.cfg.now().Add(authCodeLifetime)}
		})
		back.Set("code", code)
	}
	target.RawQuery = back.Encode()
	c.w.header.Set("Location", target.String())
	c.w.raw(http.StatusFound, "", nil)
}

// loopback reports whether u is an http URI on a loopback host.
func loopback(u *url.URL) bool {
	if u.Scheme != "http" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// formGrant decodes the token endpoint's form, which the spec has validated, into the
// generated type of its grant: gen.AuthorizationCodeGrant, gen.ClientCredentialsGrant or
// gen.RefreshTokenGrant.
func formGrant(form url.Values) (any, error) {
	fields := make(map[string]string, len(form))
	for k := range form {
		fields[k] = form.Get(k)
	}
	b, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	var g gen.TokenGrant
	if err := g.UnmarshalJSON(b); err != nil {
		return nil, err
	}
	return g.ValueByDiscriminator()
}

// requestToken serves the three grants of the token endpoint.
func (s *Server) requestToken(c *call) {
	form, err := url.ParseQuery(string(c.body))
	if err != nil {
		c.w.oauthError(http.StatusBadRequest, "invalid_request", "the body is not a form")
		return
	}
	// The spec's validation lets only its three grants through.
	grant, err := formGrant(form)
	if err != nil {
		c.w.oauthError(http.StatusBadRequest, "unsupported_grant_type", "")
		return
	}
	var clientID, clientSecret string
	switch g := grant.(type) {
	case gen.ClientCredentialsGrant:
		clientID, clientSecret = g.ClientID, g.ClientSecret
	case gen.AuthorizationCodeGrant:
		clientID, clientSecret = g.ClientID, g.ClientSecret
	case gen.RefreshTokenGrant:
		clientID, clientSecret = g.ClientID, g.ClientSecret
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if subtle.ConstantTimeCompare([]byte(clientID), []byte(s.app.ClientID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(clientSecret), []byte(s.app.ClientSecret)) != 1 {
		c.w.oauthError(http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
		return
	}
	now := s.cfg.now()
	invalidGrant := func(why string) {
		c.w.oauthError(http.StatusBadRequest, "invalid_grant", "The provided authorization grant or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client: "+why)
	}
	switch g := grant.(type) {
	case gen.ClientCredentialsGrant:
		t := s.st.issueApp(now)
		c.w.json(http.StatusOK, gen.Token{AccessToken: t.access, TokenType: "Bearer", ExpiresIn: int64(appTokenLifetime.Seconds())})
	case gen.AuthorizationCodeGrant:
		code := s.st.codes[g.Code]
		switch {
		case code == nil:
			invalidGrant("unknown code")
			return
		case code.used:
			invalidGrant("the code was already used")
			return
		case !now.Before(code.expires):
			invalidGrant("the code expired")
			return
		case g.RedirectURI != code.redirectURI:
			invalidGrant("redirect_uri differs from the authorization request's")
			return
		case oauth2.S256ChallengeFromVerifier(g.CodeVerifier) != code.challenge:
			invalidGrant("code_verifier does not match the code_challenge")
			return
		}
		code.used = true
		s.userTokenAnswer(c, s.st.issueUser(code.userID, code.scopes, now))
	case gen.RefreshTokenGrant:
		rt := s.st.refresh[g.RefreshToken]
		switch {
		case rt == nil:
			invalidGrant("unknown refresh token")
			return
		case rt.revoked:
			invalidGrant("the refresh token was revoked")
			return
		case rt.used:
			invalidGrant("the refresh token was already used: store the new refresh token of every refresh")
			return
		}
		rt.used = true
		s.userTokenAnswer(c, s.st.issueUser(rt.userID, rt.scopes, now, rt.grant))
	}
}

func (s *Server) userTokenAnswer(c *call, t *token) {
	c.w.header.Set("Cache-Control", "no-store")
	c.w.json(http.StatusOK, gen.Token{
		AccessToken: t.access, TokenType: "Bearer", RefreshToken: ptr(t.refresh),
		ExpiresIn: int64(userTokenLifetime.Seconds()), Scope: ptr(t.scope()),
	})
}

// revokeToken revokes an access token, or a refresh token and every token of its authorization.
// An unknown token is not an error (RFC 7009).
func (s *Server) revokeToken(c *call) {
	value := c.r.URL.Query().Get("token")
	s.locked(func() {
		if t := s.st.tokens[value]; t != nil {
			t.revoked = true
		}
		if rt := s.st.refresh[value]; rt != nil {
			s.st.revokeGrant(rt.grant)
		}
	})
	c.w.raw(http.StatusOK, "text/plain; charset=utf-8", []byte("OK"))
}

// introspect reports on the bearer token: active with its details, or {"active": false}.
func (s *Server) introspect(c *call) {
	if c.tok == nil {
		c.ok(gen.TokenIntrospectionEnvelope{Data: gen.TokenIntrospection{Active: false}, Message: okMessage})
		return
	}
	c.ok(gen.TokenIntrospectionEnvelope{Data: gen.TokenIntrospection{
		Active:    true,
		ClientID:  ptr(c.s.clientID()),
		TokenType: ptr(gen.TokenKind(c.tok.kind)),
		Scope:     ptr(c.tok.scope()),
		// On the caller's clock, as the token's Expiry (token.oauth2): a caller compares exp
		// with time.Now, whatever the server's clock.
		Exp: ptr(time.Now().Add(c.tok.expires.Sub(s.cfg.now())).Unix()),
	}, Message: okMessage})
}

func (s *Server) clientID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.app.ClientID
}
