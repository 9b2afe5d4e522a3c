package kickauth_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// rfcVerifier is the code verifier of RFC 7636, appendix B.
const rfcVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

func TestS256ChallengeRFC7636AppendixB(t *testing.T) {
	t.Parallel()
	// The appendix's 32 random octets, base64url-encoded, are the verifier.
	octets := []byte{116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173,
		187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121}
	if got := base64.RawURLEncoding.EncodeToString(octets); got != rfcVerifier {
		t.Fatalf("verifier from the RFC's octets = %q, want %q", got, rfcVerifier)
	}
	got := kickauth.S256Challenge(rfcVerifier)
	if want := "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; got != want {
		t.Errorf("S256Challenge = %q, want %q", got, want)
	}
}

func TestGenerateState(t *testing.T) {
	t.Parallel()
	valid := regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	seen := map[string]bool{}
	for range 100 {
		s := kickauth.GenerateState()
		if !valid.MatchString(s) {
			t.Fatalf("GenerateState = %q, want 43 base64url characters", s)
		}
		if seen[s] {
			t.Fatalf("GenerateState repeated %q", s)
		}
		seen[s] = true
	}
}

func TestEndpoint(t *testing.T) {
	t.Parallel()
	want := oauth2.Endpoint{AuthURL: "https://id.kick.com/oauth/authorize", TokenURL: "https://id.kick.com/oauth/token",
		AuthStyle: oauth2.AuthStyleInParams}
	if diff := cmp.Diff(want, kickauth.Endpoint); diff != "" {
		t.Errorf("Endpoint (-want +got):\n%s", diff)
	}
	got := kickauth.EndpointAt("http://127.0.0.1:9999/")
	if got.AuthURL != "http://127.0.0.1:9999/oauth/authorize" || got.TokenURL != "http://127.0.0.1:9999/oauth/token" {
		t.Errorf("EndpointAt = %+v", got)
	}
	cfg := kickauth.NewConfig("id", "secret", "https://app.example/cb", kick.ScopeUserRead, kick.ScopeChatWrite)
	if diff := cmp.Diff([]string{"user:read", "chat:write"}, cfg.Scopes); diff != "" {
		t.Errorf("NewConfig scopes (-want +got):\n%s", diff)
	}
}

func TestAuthURL(t *testing.T) {
	t.Parallel()
	cfg := kickauth.NewConfig("client-1", "secret", "https://app.example/callback", kick.ScopeUserRead, kick.ScopeChatWrite)
	const state, verifier = "state-123", rfcVerifier
	u, err := url.Parse(kickauth.AuthURL(cfg, state, verifier))
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != "https://id.kick.com/oauth/authorize" {
		t.Errorf("authorize URL %q", got)
	}
	want := url.Values{
		"response_type":         {"code"},
		"client_id":             {"client-1"},
		"redirect_uri":          {"https://app.example/callback"},
		"scope":                 {"user:read chat:write"},
		"state":                 {state},
		"code_challenge":        {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
		"code_challenge_method": {"S256"},
	}
	if diff := cmp.Diff(want, u.Query()); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
}

// Kick's front end rewrites the first "127.0.0.1" of the URL, so the sacrificial parameter must
// hold it and come before redirect_uri.
func TestAuthURLLoopbackWorkaround(t *testing.T) {
	t.Parallel()
	cfg := kickauth.NewConfig("client-1", "secret", "http://127.0.0.1:3000/callback", kick.ScopeUserRead)
	raw := kickauth.AuthURL(cfg, "s", rfcVerifier)
	query := raw[strings.IndexByte(raw, '?')+1:]
	first := strings.Index(query, "127.0.0.1")
	if param := query[:first]; !strings.HasSuffix(param, "redirect=") {
		t.Errorf("first 127.0.0.1 of the query is not in the sacrificial parameter: %s", query)
	}
	if strings.Index(query, "redirect=") > strings.Index(query, "redirect_uri=") {
		t.Errorf("redirect comes after redirect_uri: %s", query)
	}
	u, _ := url.Parse(raw)
	if got := u.Query().Get("redirect_uri"); got != "http://127.0.0.1:3000/callback" {
		t.Errorf("redirect_uri = %q", got)
	}

	cfg.RedirectURL = "http://localhost:3000/callback"
	if raw := kickauth.AuthURL(cfg, "s", "v"); strings.Contains(raw, "redirect=") {
		t.Errorf("sacrificial parameter added for a localhost redirect: %s", raw)
	}
}

func TestNewAuthRequest(t *testing.T) {
	t.Parallel()
	cfg := kickauth.NewConfig("client-1", "secret", testRedirectURL, kick.ScopeUserRead)
	a, b := kickauth.NewAuthRequest(cfg), kickauth.NewAuthRequest(cfg)
	if a.State == b.State || a.Verifier == b.Verifier {
		t.Error("two requests share a state or a verifier")
	}
	u, _ := url.Parse(a.URL)
	if got, want := u.Query().Get("code_challenge"), kickauth.S256Challenge(a.Verifier); got != want {
		t.Errorf("code_challenge %q, want %q", got, want)
	}
	if got := u.Query().Get("state"); got != a.State {
		t.Errorf("state %q, want %q", got, a.State)
	}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("auth", "req", a)
	for _, out := range []string{fmt.Sprint(a), fmt.Sprintf("%+v %#v %s %q %x %d", a, a, a, a, a, a), logged.String()} {
		if strings.Contains(out, a.Verifier) {
			t.Errorf("verifier printed: %s", out)
		}
	}
}

// authorizeAtFake follows the authorize URL like a browser whose user consents, and returns the
// callback's query.
func authorizeAtFake(t *testing.T, authURL string) url.Values {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: status %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc.Query()
}

func TestAuthorizationCodeFlow(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	cfg := f.config(kick.ScopeUserRead, kick.ScopeChatWrite)
	req := kickauth.NewAuthRequest(cfg)
	tok, err := kickauth.Exchange(t.Context(), cfg, req, authorizeAtFake(t, req.URL))
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Expiry.IsZero() || tok.Type() != "Bearer" {
		t.Errorf("token %v", kickauth.Redact(tok))
	}
	if got := tok.Extra("scope"); got != "user:read chat:write" {
		t.Errorf("scope %v", got)
	}
	if n := f.count("authorization_code"); n != 1 {
		t.Errorf("%d code exchanges, want 1", n)
	}
}

// A config whose AuthStyle is left to auto-detection must still send one request with the client
// credentials in the body: the code is single-use.
func TestExchangeForcesCredentialsInBody(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	cfg := f.config(kick.ScopeUserRead)
	cfg.Endpoint.AuthStyle = oauth2.AuthStyleAutoDetect
	req := kickauth.NewAuthRequest(cfg)
	if _, err := kickauth.Exchange(t.Context(), cfg, req, authorizeAtFake(t, req.URL)); err != nil {
		t.Fatal(err)
	}
	if n := f.count("authorization_code"); n != 1 {
		t.Errorf("%d code exchanges, want 1", n)
	}
	if cfg.Endpoint.AuthStyle != oauth2.AuthStyleAutoDetect {
		t.Error("Exchange modified the caller's config")
	}
}

func TestExchangeRejectsBadCallbacks(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	cfg := f.config(kick.ScopeUserRead)
	req := kickauth.AuthRequest{State: "the-state", Verifier: rfcVerifier}
	tests := []struct {
		name  string
		req   kickauth.AuthRequest
		query url.Values
		want  error
	}{
		{"wrong state", req, url.Values{"code": {"c"}, "state": {"other"}}, kickauth.ErrStateMismatch},
		{"state prefix", req, url.Values{"code": {"c"}, "state": {"the-stat"}}, kickauth.ErrStateMismatch},
		{"no state", req, url.Values{"code": {"c"}}, kickauth.ErrStateMismatch},
		{"request without state", kickauth.AuthRequest{Verifier: req.Verifier}, url.Values{"code": {"c"}, "state": {""}}, kickauth.ErrStateMismatch},
		{"no code", req, url.Values{"state": {"the-state"}}, kickauth.ErrMissingCode},
		// A forged error redirect without the state must not end a flow in progress.
		{"error without state", req, url.Values{"error": {"access_denied"}}, kickauth.ErrStateMismatch},
		{"short verifier", kickauth.AuthRequest{State: "the-state", Verifier: "short"}, url.Values{"code": {"c"}, "state": {"the-state"}}, kickauth.ErrInvalidVerifier},
		{"verifier with a space", kickauth.AuthRequest{State: "the-state", Verifier: strings.Repeat("a", 42) + " "}, url.Values{"code": {"c"}, "state": {"the-state"}}, kickauth.ErrInvalidVerifier},
	}
	for _, tt := range tests {
		_, err := kickauth.Exchange(t.Context(), cfg, tt.req, tt.query)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}

	_, err := kickauth.Exchange(t.Context(), cfg, req, url.Values{"error": {"access_denied"}, "error_description": {"The user denied the request"}, "state": {"the-state"}})
	var ae *kickauth.AuthorizationError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *AuthorizationError", err)
	}
	if diff := cmp.Diff(&kickauth.AuthorizationError{Code: "access_denied", Description: "The user denied the request"}, ae); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n := f.count("authorization_code"); n != 0 {
		t.Errorf("%d requests sent for bad callbacks", n)
	}
}

// A used code, or a verifier that does not match the challenge, is invalid_grant: only a new
// authorization helps. The error names neither the code nor the verifier.
func TestExchangeInvalidGrant(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	f.echoSecrets = true
	cfg := f.config(kick.ScopeUserRead)
	req := kickauth.NewAuthRequest(cfg)
	q := authorizeAtFake(t, req.URL)
	if _, err := kickauth.Exchange(t.Context(), cfg, req, q); err != nil {
		t.Fatal(err)
	}
	_, err := kickauth.Exchange(t.Context(), cfg, req, q) // the code is spent
	if !errors.Is(err, kickauth.ErrReauthorize) {
		t.Fatalf("err = %v, want ErrReauthorize", err)
	}
	var re *kickauth.ReauthorizeError
	if !errors.As(err, &re) || re.Code != "invalid_grant" {
		t.Fatalf("err = %#v, want *ReauthorizeError with invalid_grant", err)
	}
	var oe *oauth2.RetrieveError
	if !errors.As(err, &oe) {
		t.Errorf("the chain lost x/oauth2's *RetrieveError")
	}

	other := kickauth.NewAuthRequest(cfg)
	req2 := kickauth.NewAuthRequest(cfg)
	q2 := authorizeAtFake(t, req2.URL)
	other.State = req2.State
	_, err = kickauth.Exchange(t.Context(), cfg, other, q2) // wrong verifier
	if !errors.Is(err, kickauth.ErrReauthorize) {
		t.Fatalf("wrong verifier: err = %v, want ErrReauthorize", err)
	}
	for _, s := range []string{q.Get("code"), q2.Get("code"), req.Verifier, other.Verifier, testClientSecret} {
		if strings.Contains(err.Error(), s) || strings.Contains(fmt.Sprintf("%+v", err), s) {
			t.Errorf("error %q contains a secret", err)
		}
	}
}
