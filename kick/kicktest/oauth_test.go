package kicktest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// authorize follows the authorize URL without a browser and returns the redirect's query.
func authorize(t *testing.T, authURL string) url.Values {
	t.Helper()
	a := do(t, http.MethodGet, authURL, "", "", "")
	if a.status != http.StatusFound {
		t.Fatalf("authorize: %d %s", a.status, a.body)
	}
	loc, err := url.Parse(a.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc.Query()
}

func form(t *testing.T, s *kicktest.Server, path string, values url.Values) answer {
	t.Helper()
	return do(t, http.MethodPost, s.OAuthBaseURL+path, "", "application/x-www-form-urlencoded", values.Encode())
}

func TestAuthorizationCodeFlow(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	s.AuthorizeAs(kicktest.Viewer.UserID)
	cfg := s.OAuthConfig("http://127.0.0.1:53682/callback", kick.ScopeUserRead, kick.ScopeChatWrite)
	req := kickauth.NewAuthRequest(cfg)
	q := authorize(t, req.URL)
	if q.Get("state") != req.State || q.Get("code") == "" {
		t.Fatalf("redirect query %v", q)
	}
	tok, err := kickauth.Exchange(ctx(t), cfg, req, q)
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" || tok.Extra("scope") != "user:read chat:write" || tok.TokenType != "Bearer" {
		t.Errorf("token type %q scope %v refresh %t", tok.TokenType, tok.Extra("scope"), tok.RefreshToken != "")
	}
	c := client(t, s, kicktest.Streamer.UserID, kick.WithUserTokenSource(oauth2.StaticTokenSource(tok)))
	me, err := c.Users.Me(ctx(t))
	if err != nil || me.UserID != kicktest.Viewer.UserID {
		t.Fatalf("Me = %+v, %v", me, err)
	}
	// The code is single-use.
	if _, err := kickauth.Exchange(ctx(t), cfg, req, q); err == nil {
		t.Error("a used code was exchanged again")
	}
	noViolations(t, s)
}

func TestTokenEndpointChecks(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	cfg := s.OAuthConfig("http://localhost:8976/callback")
	req := kickauth.NewAuthRequest(cfg)
	code := authorize(t, req.URL).Get("code")
	exchange := func(mod func(url.Values)) answer {
		v := url.Values{
			"grant_type": {"authorization_code"}, "code": {code}, "client_id": {s.App.ClientID},
			"client_secret": {s.App.ClientSecret}, "redirect_uri": {cfg.RedirectURL}, "code_verifier": {req.Verifier},
		}
		mod(v)
		return form(t, s, "/oauth/token", v)
	}
	tests := []struct {
		name   string
		mod    func(url.Values)
		status int
		err    string
	}{
		{"wrong secret", func(v url.Values) { v.Set("client_secret", "nope") }, 401, "invalid_client"},
		{"wrong verifier", func(v url.Values) { v.Set("code_verifier", strings.Repeat("a", 43)) }, 400, "invalid_grant"},
		{"other redirect", func(v url.Values) { v.Set("redirect_uri", "http://localhost:9999/cb") }, 400, "invalid_grant"},
		{"unknown code", func(v url.Values) { v.Set("code", "Tk9QRQ") }, 400, "invalid_grant"},
		{"no verifier", func(v url.Values) { v.Del("code_verifier") }, 400, "invalid_request"},
	}
	for _, tt := range tests {
		if a := exchange(tt.mod); a.status != tt.status || a.message(t) != tt.err {
			t.Errorf("%s: %d %s, want %d %s", tt.name, a.status, a.body, tt.status, tt.err)
		}
	}
	// None of the failures used the code up.
	if a := exchange(func(url.Values) {}); a.status != 200 {
		t.Errorf("exchange: %d %s", a.status, a.body)
	}
	// Client credentials: an app token, no refresh token, no scope.
	a := form(t, s, "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {s.App.ClientID}, "client_secret": {s.App.ClientSecret}})
	if a.status != 200 || strings.Contains(string(a.body), "refresh_token") || !strings.Contains(string(a.body), `"expires_in":5184000`) {
		t.Errorf("client credentials: %d %s", a.status, a.body)
	}
	if vs := s.Violations(); len(vs) != 1 || !strings.Contains(vs[0].Error(), `property "code_verifier" is missing`) {
		t.Errorf("violations %v, want the request without a verifier", vs)
	}
}

func TestAuthorizeRejectsBadRequests(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t, kicktest.WithLoopbackRedirects(false), kicktest.WithApp(kicktest.App{RedirectURIs: []string{"https://bot.example/callback"}}))
	good := kickauth.NewAuthRequest(s.OAuthConfig("https://bot.example/callback")).URL
	if q := authorize(t, good); q.Get("code") == "" {
		t.Fatalf("registered redirect: %v", q)
	}
	edit := func(key, value string) string {
		u, _ := url.Parse(good)
		q := u.Query()
		if value == "" {
			q.Del(key)
		} else {
			q.Set(key, value)
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	for _, bad := range []string{
		edit("redirect_uri", "http://127.0.0.1:8080/callback"), // loopback not allowed here
		edit("client_id", "01JQBHJ5B2NBRBEWT9J3NGXW5F"),
		edit("state", ""),
		edit("code_challenge_method", "plain"),
		edit("code_challenge", ""),
		edit("scope", "user:read chat:delete"),
		edit("scope", ""),
		edit("response_type", "token"),
	} {
		if a := do(t, http.MethodGet, bad, "", "", ""); a.status != 400 || a.message(t) != "Invalid request" {
			t.Errorf("%s: %d %s", bad, a.status, a.body)
		}
	}
	// The user declines.
	s.AuthorizeAs(0)
	if q := authorize(t, good); q.Get("error") != "access_denied" || q.Get("code") != "" || q.Get("state") == "" {
		t.Errorf("declined: %v", q)
	}
}

func TestRefreshRotatesAndRevokeEndsTheGrant(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	first := s.UserToken(kicktest.Streamer.UserID, kick.ScopeUserRead)
	refresh := func(rt string) answer {
		return form(t, s, "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {s.App.ClientID}, "client_secret": {s.App.ClientSecret}})
	}
	a := refresh(first.RefreshToken)
	if a.status != 200 {
		t.Fatalf("refresh: %d %s", a.status, a.body)
	}
	var second kick.Token
	if err := json.Unmarshal(a.body, &second); err != nil {
		t.Fatal(err)
	}
	if second.RefreshToken == "" || second.RefreshToken.Reveal() == first.RefreshToken || !slices.Equal(second.Scopes, []kick.Scope{kick.ScopeUserRead}) {
		t.Errorf("rotated token %+v", second)
	}
	if a := refresh(first.RefreshToken); a.status != 400 || a.message(t) != "invalid_grant" {
		t.Errorf("a used refresh token: %d %s", a.status, a.body)
	}
	// Revoking the refresh token ends its authorization: its access tokens are inactive too.
	if a := do(t, http.MethodPost, s.OAuthBaseURL+"/oauth/revoke?token="+url.QueryEscape(second.RefreshToken.Reveal())+"&token_hint_type=refresh_token", "", "application/x-www-form-urlencoded", ""); a.status != 200 || string(a.body) != "OK" {
		t.Fatalf("revoke: %d %s", a.status, a.body)
	}
	for _, tok := range []string{first.AccessToken, second.AccessToken.Reveal()} {
		var info kick.TokenInfo
		a := do(t, http.MethodPost, s.OAuthBaseURL+"/oauth/token/introspect", tok, "", "")
		a.data(t, &info)
		if a.status != 200 || info.Active || info.ClientID != "" {
			t.Errorf("introspect after revoke: %d %s", a.status, a.body)
		}
		if a := getJSON(t, s, "/public/v1/users", tok); a.status != 401 {
			t.Errorf("a revoked token was accepted: %d", a.status)
		}
	}
	if a := refresh(second.RefreshToken.Reveal()); a.status != 400 {
		t.Errorf("a revoked refresh token: %d %s", a.status, a.body)
	}
	// Introspection of an active token, on both paths.
	live := s.AppToken().AccessToken
	for _, u := range []string{s.OAuthBaseURL + "/oauth/token/introspect", s.APIBaseURL + "/public/v1/token/introspect"} {
		var info kick.TokenInfo
		a := do(t, http.MethodPost, u, live, "", "")
		a.data(t, &info)
		if !info.Active || info.Kind != kick.TokenKindApp || info.ClientID != s.App.ClientID || info.ExpiresAt.IsZero() {
			t.Errorf("%s: %s", u, a.body)
		}
	}
	if a := do(t, http.MethodPost, s.OAuthBaseURL+"/oauth/token/introspect", "", "", ""); a.status != 401 {
		t.Errorf("introspect without a token: %d", a.status)
	}
	noViolations(t, s)
}

// TestIntrospectionExpOnTheCallersClock: an introspection's exp is on the caller's clock, as the
// token's Expiry is, whatever the server's clock says of its data: a caller compares it with
// time.Now (kick doctor reports a token that expired 1011 days ago otherwise).
func TestIntrospectionExpOnTheCallersClock(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t, kicktest.WithClock(func() time.Time { return time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC) }))
	tok := s.AppToken()
	var info kick.TokenInfo
	a := do(t, http.MethodPost, s.OAuthBaseURL+"/oauth/token/introspect", tok.AccessToken, "", "")
	a.data(t, &info)
	if info.ExpiresAt.IsZero() {
		t.Fatalf("no exp: %s", a.body)
	}
	if got := info.ExpiresAt; got.Sub(tok.Expiry).Abs() > 2*time.Second || time.Until(got) <= 0 {
		t.Errorf("exp %v, want the token's Expiry %v, in the future", got, tok.Expiry)
	}
}
