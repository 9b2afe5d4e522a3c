// OAuth (https://docs.kick.com/getting-started/generating-tokens-oauth2-flow): the authorize step,
// the token, revoke and introspect endpoints of id.kick.com.

package kicktest

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

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

// formGrant reads the token endpoint's form, which the spec has validated (it lets only its three
// grants through), into the model of its schema, TokenGrant: kick.TokenRequestParams.
func formGrant(form url.Values) kick.TokenRequestParams {
	return kick.TokenRequestParams{
		GrantType: kick.GrantType(form.Get("grant_type")), ClientID: form.Get("client_id"), ClientSecret: kick.Secret(form.Get("client_secret")),
		Code: kick.Secret(form.Get("code")), RedirectURI: form.Get("redirect_uri"), CodeVerifier: kick.Secret(form.Get("code_verifier")),
		RefreshToken: kick.Secret(form.Get("refresh_token")),
	}
}

// requestToken serves the three grants of the token endpoint.
func (s *Server) requestToken(c *call) {
	form, err := url.ParseQuery(string(c.body))
	if err != nil {
		c.w.oauthError(http.StatusBadRequest, "invalid_request", "the body is not a form")
		return
	}
	g := formGrant(form)
	switch g.GrantType {
	case kick.GrantClientCredentials, kick.GrantAuthorizationCode, kick.GrantRefreshToken:
	default:
		c.w.oauthError(http.StatusBadRequest, "unsupported_grant_type", "")
		return
	}
	clientID, clientSecret := g.ClientID, g.ClientSecret.Reveal()
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
	switch g.GrantType {
	case kick.GrantClientCredentials:
		t := s.st.issueApp(now)
		c.w.json(http.StatusOK, kick.Reveal(kick.Token{AccessToken: kick.Secret(t.access), TokenType: "Bearer", ExpiresIn: appTokenLifetime}))
	case kick.GrantAuthorizationCode:
		code := s.st.codes[g.Code.Reveal()]
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
		case oauth2.S256ChallengeFromVerifier(g.CodeVerifier.Reveal()) != code.challenge:
			invalidGrant("code_verifier does not match the code_challenge")
			return
		}
		code.used = true
		s.userTokenAnswer(c, s.st.issueUser(code.userID, code.scopes, now))
	case kick.GrantRefreshToken:
		rt := s.st.refresh[g.RefreshToken.Reveal()]
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
	c.w.json(http.StatusOK, kick.Reveal(kick.Token{
		AccessToken: kick.Secret(t.access), TokenType: "Bearer", RefreshToken: kick.Secret(t.refresh),
		ExpiresIn: userTokenLifetime, Scopes: t.scopes,
	}))
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

// introspectToken and introspectTokenV1 (the REST API's older path) answer alike.
func (s *Server) introspectToken(c *call)   { s.introspect(c) }
func (s *Server) introspectTokenV1(c *call) { s.introspect(c) }

// introspect reports on the bearer token: active with its details, or {"active": false}.
func (s *Server) introspect(c *call) {
	if c.tok == nil {
		c.data(kick.TokenInfo{Active: false})
		return
	}
	// On the caller's clock, as the token's Expiry (token.oauth2): a caller compares exp with
	// time.Now, whatever the server's clock.
	expires := time.Now().Add(c.tok.expires.Sub(s.cfg.now()))
	c.data(kick.TokenInfo{Active: true, ClientID: c.s.clientID(), Kind: c.tok.kind, Scopes: c.tok.scopes, ExpiresAt: expires})
}

func (s *Server) clientID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.app.ClientID
}
