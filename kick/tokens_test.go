package kick_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

var tokensFixtureInfo = &kick.TokenInfo{
	Active:    true,
	ClientID:  "01JQBHJ5B2NBRBEWT9J3NGXW5F",
	Kind:      kick.TokenKindUser,
	Scopes:    []kick.Scope{kick.ScopeUserRead, kick.ScopeChannelRead},
	ExpiresAt: time.Date(2025, 12, 19, 8, 26, 36, 0, time.UTC),
}

func TestTokensIntrospect(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/oauth/token/introspect", want{method: "POST", path: "/oauth/token/introspect", token: userToken}, fixture(t, "introspectToken"))
	got, err := c.Tokens.Introspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tokensFixtureInfo, got); diff != "" {
		t.Errorf("info (-want +got):\n%s", diff)
	}
}

func TestTokensIntrospectAppToken(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/oauth/token/introspect", want{method: "POST", path: "/oauth/token/introspect", token: appToken},
		[]byte(`{"data":{"active":true,"client_id":"01JQBHJ5B2NBRBEWT9J3NGXW5F","token_type":"app","scope":"","exp":1771046347},"message":"OK"}`))
	got, err := c.Tokens.Introspect(context.Background(), kick.WithTokenKind(kick.TokenKindApp))
	if err != nil {
		t.Fatal(err)
	}
	want := &kick.TokenInfo{
		Active: true, ClientID: "01JQBHJ5B2NBRBEWT9J3NGXW5F", Kind: kick.TokenKindApp,
		ExpiresAt: time.Date(2026, 2, 14, 5, 19, 7, 0, time.UTC),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("info (-want +got):\n%s", diff)
	}
}

func TestTokensIntrospectInactive(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	srv.handle(t, "/oauth/token/introspect", want{method: "POST", path: "/oauth/token/introspect", token: appToken}, []byte(`{"data":{"active":false},"message":"OK"}`))
	got, err := c.Tokens.Introspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&kick.TokenInfo{}, got); diff != "" {
		t.Errorf("info (-want +got):\n%s", diff)
	}
}

func TestTokensIntrospectV1(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/token/introspect", want{method: "POST", path: "/public/v1/token/introspect", token: userToken}, fixture(t, "introspectTokenV1"))
	got, err := c.Tokens.IntrospectV1(context.Background()) //nolint:staticcheck // testing the deprecated call
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tokensFixtureInfo, got); diff != "" {
		t.Errorf("info (-want +got):\n%s", diff)
	}
}

func TestTokensIntrospectNeedsToken(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, false)
	_, err := c.Tokens.Introspect(context.Background())
	wantMissingToken(t, err, kick.TokenKindUser, kick.TokenKindApp)
	_, err = c.Tokens.IntrospectV1(context.Background()) //nolint:staticcheck // testing the deprecated call
	wantMissingToken(t, err, kick.TokenKindUser, kick.TokenKindApp)
	noRequest(t, srv)
}

func TestTokensIntrospectUnauthorized(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.mux.HandleFunc("/oauth/token/introspect", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusUnauthorized, []byte(`{"data":null,"message":"Unauthorized"}`))
	})
	_, err := c.Tokens.Introspect(context.Background())
	var ae *kick.APIError
	if !errors.As(err, &ae) || !errors.Is(err, kick.ErrUnauthorized) || ae.Operation != "introspectToken" || ae.Message != "Unauthorized" {
		t.Errorf("err = %v, want an ErrUnauthorized *APIError", err)
	}
}

// tokensRevokeHandler checks a revoke request: no bearer token, the query, the form Content-Type
// of Kick's docs and no body; it answers status with body.
func tokensRevokeHandler(t *testing.T, srv *server, query url.Values, status int, contentType, body string) {
	srv.mux.HandleFunc("/oauth/revoke", func(w http.ResponseWriter, r *http.Request) {
		check(t, r, want{method: "POST", path: "/oauth/revoke", query: query})
		if got := r.Header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
			t.Errorf("Content-Type = %q, want application/x-www-form-urlencoded", got)
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}

func TestTokensRevoke(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		hint  kick.TokenTypeHint
		query url.Values
	}{
		{"no hint", "", q("token", "the-secret-token")},
		{"access token", kick.TokenHintAccessToken, q("token", "the-secret-token", "token_hint_type", "access_token")},
		{"refresh token", kick.TokenHintRefreshToken, q("token", "the-secret-token", "token_hint_type", "refresh_token")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The client has both kinds of token, and sends neither.
			c, srv := setup(t)
			tokensRevokeHandler(t, srv, tt.query, http.StatusOK, "text/plain; charset=utf-8", "OK")
			if err := c.Tokens.Revoke(context.Background(), "the-secret-token", tt.hint); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestTokensRevokeInvalidInput(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, false)
	err := c.Tokens.Revoke(context.Background(), "", kick.TokenHintAccessToken)
	wantInvalid(t, err, "revokeToken", "token")
	err = c.Tokens.Revoke(context.Background(), "the-secret-token", "token_type_hint")
	ve := asInvalid(t, err, "revokeToken", "hint")
	if ve != nil && strings.Contains(ve.Error(), "the-secret-token") {
		t.Errorf("the validation error shows the token: %v", ve)
	}
	noRequest(t, srv)
}

// TestTokensRevokeErrorHidesToken checks that a failed revocation reports Kick's OAuth error and
// that the token appears nowhere: not in the error, its fields, the log or the request hook.
func TestTokensRevokeErrorHidesToken(t *testing.T) {
	t.Parallel()
	const secret = "sEcReT-t0ken-value"
	var logs bytes.Buffer
	var mu sync.Mutex
	var hooked []kick.RequestInfo
	c, srv := setup(t,
		kick.WithRetryPolicy(kick.RetryPolicy{}),
		kick.WithLogger(slog.New(slog.NewJSONHandler(&tokensSyncWriter{w: &logs, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		kick.WithRequestHook(func(ri kick.RequestInfo) { mu.Lock(); hooked = append(hooked, ri); mu.Unlock() }),
	)
	tokensRevokeHandler(t, srv, q("token", secret, "token_hint_type", "access_token"), http.StatusBadRequest, "application/json", `{"error":"Invalid request"}`)
	err := c.Tokens.Revoke(context.Background(), secret, kick.TokenHintAccessToken)
	var ae *kick.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if !errors.Is(err, kick.ErrBadRequest) || ae.StatusCode != http.StatusBadRequest || ae.OAuthError != "Invalid request" || ae.Operation != "revokeToken" || ae.Method != http.MethodPost {
		t.Errorf("error = %+v", ae)
	}
	if !strings.Contains(ae.URL, "token=REDACTED") {
		t.Errorf("URL = %q, want the token redacted", ae.URL)
	}
	mu.Lock()
	defer mu.Unlock()
	for name, s := range map[string]string{
		"err.Error()": err.Error(),
		"fields":      fmt.Sprintf("%#v", *ae),
		"body":        string(ae.Body),
		"log":         logs.String(),
		"hook":        fmt.Sprintf("%+v", hooked),
	} {
		if strings.Contains(s, secret) {
			t.Errorf("%s shows the token: %s", name, s)
		}
	}
	if len(hooked) != 1 || logs.Len() == 0 {
		t.Errorf("hook calls = %d, log = %q; want one of each", len(hooked), logs.String())
	}
}

// TestTokensRevokeTransportErrorHidesToken checks that a connection failure does not show the
// token either.
func TestTokensRevokeTransportErrorHidesToken(t *testing.T) {
	t.Parallel()
	const secret = "sEcReT-t0ken-value"
	c, srv := setup(t, kick.WithRetryPolicy(kick.RetryPolicy{}))
	srv.Close()
	err := c.Tokens.Revoke(context.Background(), secret, "")
	if err == nil {
		t.Fatal("Revoke to a closed server succeeded")
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error shows the token: %v", err)
	}
	var ue *url.Error
	if errors.As(err, &ue) && strings.Contains(ue.URL, secret) {
		t.Errorf("url.Error shows the token: %v", ue.URL)
	}
}

// tokensSyncWriter serializes writes to w.
type tokensSyncWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (s *tokensSyncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// tokensFormHandler checks a token request: no bearer token, a form body equal to form; it answers
// status with the JSON body.
func tokensFormHandler(t *testing.T, srv *server, form url.Values, status int, body []byte) {
	srv.mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		r.Body = http.NoBody
		check(t, r, want{method: "POST", path: "/oauth/token"})
		if got := r.Header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
			t.Errorf("Content-Type = %q, want application/x-www-form-urlencoded", got)
		}
		got, err := url.ParseQuery(string(raw))
		if err != nil {
			t.Errorf("body %q: %v", raw, err)
		}
		if diff := cmp.Diff(form, got); diff != "" {
			t.Errorf("form (-want +got):\n%s", diff)
		}
		respond(w, status, body)
	})
}

const tokensVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" // RFC 7636's example, 43 characters

func TestTokensRequest(t *testing.T) {
	t.Parallel()
	userTok := &kick.Token{
		AccessToken:  "NZQ5MZVKNGETMZI0NC0ZMDQ4LWIXYJITNGZHNJU2MDZKYJC5",
		TokenType:    "Bearer",
		RefreshToken: "OTBLMJA3ZTYTNDEWMS0ZYWVJLWE0YTITYJQ4ODQ1MJNHZJU3",
		ExpiresIn:    2 * time.Hour,
		Scopes:       []kick.Scope{kick.ScopeUserRead, kick.ScopeChatWrite},
	}
	tests := []struct {
		name string
		req  kick.TokenRequestParams
		form url.Values
		body []byte // nil: the requestToken fixture
		want *kick.Token
	}{
		{
			name: "authorization code",
			req: kick.TokenRequestParams{
				GrantType: kick.GrantAuthorizationCode, ClientID: "client-1", ClientSecret: "secret-1",
				Code: "code-1", RedirectURI: "http://localhost:3000/callback", CodeVerifier: tokensVerifier,
				RefreshToken: "not sent",
			},
			form: url.Values{
				"grant_type": {"authorization_code"}, "client_id": {"client-1"}, "client_secret": {"secret-1"},
				"code": {"code-1"}, "redirect_uri": {"http://localhost:3000/callback"}, "code_verifier": {tokensVerifier},
			},
			want: userTok,
		},
		{
			name: "client credentials",
			req: kick.TokenRequestParams{
				GrantType: kick.GrantClientCredentials, ClientID: "client-1", ClientSecret: "secret-1",
				Code: "not sent", CodeVerifier: "short", RefreshToken: "not sent",
			},
			form: url.Values{"grant_type": {"client_credentials"}, "client_id": {"client-1"}, "client_secret": {"secret-1"}},
			body: []byte(`{"access_token":"APPTOKEN","token_type":"Bearer","expires_in":5184000}`),
			want: &kick.Token{AccessToken: "APPTOKEN", TokenType: "Bearer", ExpiresIn: 1440 * time.Hour},
		},
		{
			name: "refresh token",
			req: kick.TokenRequestParams{
				GrantType: kick.GrantRefreshToken, ClientID: "client-1", ClientSecret: "secret-1", RefreshToken: "refresh-1",
				Code: "not sent", RedirectURI: "http://not.sent/",
			},
			form: url.Values{"grant_type": {"refresh_token"}, "client_id": {"client-1"}, "client_secret": {"secret-1"}, "refresh_token": {"refresh-1"}},
			want: userTok,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			body := tt.body
			if body == nil {
				body = fixture(t, "requestToken")
			}
			tokensFormHandler(t, srv, tt.form, http.StatusOK, body)
			got, err := c.Tokens.Request(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("token (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTokensRequestOAuthError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status   int
		body     string
		sentinel error
		code     string
		desc     string
	}{
		{400, `{"error":"invalid_grant","error_description":"The refresh token is invalid, expired or revoked."}`, kick.ErrBadRequest, "invalid_grant", "The refresh token is invalid, expired or revoked."},
		{401, `{"error":"invalid_client","error_description":"Client authentication failed."}`, kick.ErrUnauthorized, "invalid_client", "Client authentication failed."},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t, kick.WithRetryPolicy(kick.RetryPolicy{}))
			req := kick.TokenRequestParams{GrantType: kick.GrantRefreshToken, ClientID: "client-1", ClientSecret: "sEcReT-client", RefreshToken: "sEcReT-refresh"}
			tokensFormHandler(t, srv, url.Values{
				"grant_type": {"refresh_token"}, "client_id": {"client-1"}, "client_secret": {"sEcReT-client"}, "refresh_token": {"sEcReT-refresh"},
			}, tt.status, []byte(tt.body))
			got, err := c.Tokens.Request(context.Background(), req)
			var ae *kick.APIError
			if !errors.As(err, &ae) || got != nil {
				t.Fatalf("Request = %v, %v; want an *APIError", got, err)
			}
			want := &kick.APIError{
				StatusCode: tt.status, OAuthError: tt.code, OAuthErrorDescription: tt.desc,
				Operation: "requestToken", Method: "POST", URL: srv.URL + "/oauth/token", Body: []byte(tt.body),
				Header: ae.Header, // the server's, Date included; its Content-Type is checked below
			}
			if ct := ae.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Header Content-Type = %q", ct)
			}
			if diff := cmp.Diff(want, ae); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(err, %v) = false", tt.sentinel)
			}
			if s := err.Error(); strings.Contains(s, "sEcReT") || !strings.Contains(s, tt.code) {
				t.Errorf("err = %q", s)
			}
		})
	}
}

func TestTokensRequestUnexpectedResponse(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"token_type":"Bearer","expires_in":60}`, `not json`} {
		c, srv := setup(t)
		srv.mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
			respond(w, http.StatusOK, []byte(body))
		})
		got, err := c.Tokens.Request(context.Background(), kick.TokenRequestParams{GrantType: kick.GrantClientCredentials, ClientID: "c", ClientSecret: "s"})
		if !errors.Is(err, kick.ErrUnexpectedResponse) || got != nil {
			t.Errorf("body %s: Request = %v, %v; want ErrUnexpectedResponse", body, got, err)
		}
	}
}

func TestTokensRequestInvalidInput(t *testing.T) {
	t.Parallel()
	code := func(edit func(*kick.TokenRequestParams)) kick.TokenRequestParams {
		r := kick.TokenRequestParams{
			GrantType: kick.GrantAuthorizationCode, ClientID: "client-1", ClientSecret: "secret-1",
			Code: "code-1", RedirectURI: "http://localhost:3000/callback", CodeVerifier: tokensVerifier,
		}
		edit(&r)
		return r
	}
	tests := []struct {
		name  string
		req   kick.TokenRequestParams
		field string
	}{
		{"no grant", kick.TokenRequestParams{ClientID: "c", ClientSecret: "s"}, "GrantType"},
		{"unknown grant", kick.TokenRequestParams{GrantType: "password", ClientID: "c", ClientSecret: "s"}, "GrantType"},
		{"client credentials without id", kick.TokenRequestParams{GrantType: kick.GrantClientCredentials, ClientSecret: "s"}, "ClientID"},
		{"client credentials without secret", kick.TokenRequestParams{GrantType: kick.GrantClientCredentials, ClientID: "c"}, "ClientSecret"},
		{"refresh without token", kick.TokenRequestParams{GrantType: kick.GrantRefreshToken, ClientID: "c", ClientSecret: "s"}, "RefreshToken"},
		{"refresh without secret", kick.TokenRequestParams{GrantType: kick.GrantRefreshToken, ClientID: "c", RefreshToken: "r"}, "ClientSecret"},
		{"code without id", code(func(r *kick.TokenRequestParams) { r.ClientID = "" }), "ClientID"},
		{"code without code", code(func(r *kick.TokenRequestParams) { r.Code = "" }), "Code"},
		{"code without redirect", code(func(r *kick.TokenRequestParams) { r.RedirectURI = "" }), "RedirectURI"},
		{"relative redirect", code(func(r *kick.TokenRequestParams) { r.RedirectURI = "/callback" }), "RedirectURI"},
		{"unparsable redirect", code(func(r *kick.TokenRequestParams) { r.RedirectURI = "http://[::1" }), "RedirectURI"},
		{"code without verifier", code(func(r *kick.TokenRequestParams) { r.CodeVerifier = "" }), "CodeVerifier"},
		{"verifier of 42", code(func(r *kick.TokenRequestParams) { r.CodeVerifier = kick.Secret(tokensVerifier[:42]) }), "CodeVerifier"},
		{"verifier of 129", code(func(r *kick.TokenRequestParams) { r.CodeVerifier = kick.Secret(strings.Repeat("a", 129)) }), "CodeVerifier"},
		{"verifier with +", code(func(r *kick.TokenRequestParams) { r.CodeVerifier = kick.Secret(tokensVerifier[:42] + "+") }), "CodeVerifier"},
		{"verifier with a space", code(func(r *kick.TokenRequestParams) { r.CodeVerifier = " " + tokensVerifier }), "CodeVerifier"},
		{"verifier with é", code(func(r *kick.TokenRequestParams) { r.CodeVerifier = kick.Secret(tokensVerifier[:41] + "é") }), "CodeVerifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			got, err := c.Tokens.Request(context.Background(), tt.req)
			ve := asInvalid(t, err, "requestToken", tt.field)
			if got != nil {
				t.Errorf("token = %v, want nil", got)
			}
			if ve != nil && tt.req.CodeVerifier != "" && strings.Contains(ve.Error(), tt.req.CodeVerifier.Reveal()) {
				t.Errorf("the error shows the verifier: %v", ve)
			}
			noRequest(t, srv)
		})
	}
}

// TestTokensRequestVerifierBounds checks that verifiers of 43 and 128 characters of every allowed
// kind are accepted.
func TestTokensRequestVerifierBounds(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("AZaz09-._~", 13)[:128]
	for _, v := range []string{tokensVerifier, long} {
		c, srv := setup(t)
		tokensFormHandler(t, srv, url.Values{
			"grant_type": {"authorization_code"}, "client_id": {"c"}, "client_secret": {"s"},
			"code": {"x"}, "redirect_uri": {"myapp:/cb"}, "code_verifier": {v},
		}, http.StatusOK, fixture(t, "requestToken"))
		_, err := c.Tokens.Request(context.Background(), kick.TokenRequestParams{
			GrantType: kick.GrantAuthorizationCode, ClientID: "c", ClientSecret: "s", Code: "x", RedirectURI: "myapp:/cb", CodeVerifier: kick.Secret(v),
		})
		if err != nil {
			t.Errorf("verifier of %d: %v", len(v), err)
		}
	}
}

// TestTokenRedacted checks that no way of printing or logging a Token shows its secrets.
func TestTokenRedacted(t *testing.T) {
	t.Parallel()
	tok := kick.Token{
		AccessToken: "sEcReT-access", TokenType: "Bearer", RefreshToken: "sEcReT-refresh",
		ExpiresIn: 2 * time.Hour, Scopes: []kick.Scope{kick.ScopeUserRead, kick.ScopeChatWrite},
	}
	const want = `kick.Token{TokenType:"Bearer", AccessToken:REDACTED, RefreshToken:REDACTED, ExpiresIn:2h0m0s, Scopes:[user:read chat:write]}`
	if got := tok.String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	if got := tok.GoString(); got != want {
		t.Errorf("GoString() = %s, want %s", got, want)
	}
	wrapper := struct{ Tok kick.Token }{tok}
	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%10.3v"} {
		outputs = append(outputs, fmt.Sprintf(verb, tok), fmt.Sprintf(verb, &tok), fmt.Sprintf(verb, wrapper), fmt.Sprintf(verb, []kick.Token{tok}))
	}
	outputs = append(outputs, fmt.Sprint(tok), fmt.Sprintln(&tok))

	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("token", "tok", tok, "ptr", &tok)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("token", "tok", tok, "ptr", &tok)
	outputs = append(outputs, text.String(), js.String())

	for _, out := range outputs {
		if strings.Contains(out, "sEcReT") {
			t.Errorf("output shows a secret: %s", out)
		}
		if !strings.Contains(out, "REDACTED") {
			t.Errorf("output has no REDACTED: %s", out)
		}
	}

	var entry map[string]any
	if err := json.Unmarshal(js.Bytes(), &entry); err != nil {
		t.Fatalf("slog JSON %s: %v", js.Bytes(), err)
	}
	wantGroup := map[string]any{
		"token_type": "Bearer", "access_token": "REDACTED", "refresh_token": "REDACTED",
		"expires_in": float64(2 * time.Hour), "scopes": []any{"user:read", "chat:write"},
	}
	for _, key := range []string{"tok", "ptr"} {
		if diff := cmp.Diff(wantGroup, entry[key]); diff != "" {
			t.Errorf("slog %s (-want +got):\n%s", key, diff)
		}
	}

	// Empty secrets are shown as empty: nothing to hide.
	app := kick.Token{AccessToken: "sEcReT", TokenType: "Bearer", ExpiresIn: time.Hour}
	if got, want := fmt.Sprint(app), `kick.Token{TokenType:"Bearer", AccessToken:REDACTED, RefreshToken:"", ExpiresIn:1h0m0s, Scopes:[]}`; got != want {
		t.Errorf("app token = %s, want %s", got, want)
	}
}

// The methods of the Tokens service in the operations table.
var _ = addOperations(
	operation{"Tokens.Introspect", "introspectToken", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Tokens.Introspect(ctx)
	}},
	operation{"Tokens.IntrospectV1", "introspectTokenV1", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Tokens.IntrospectV1(ctx) //nolint:staticcheck // every operation, the deprecated ones too
	}},
	operation{"Tokens.Revoke", "revokeToken", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Tokens.Revoke(ctx, "token-to-revoke", kick.TokenHintAccessToken)
	}},
	operation{"Tokens.Request", "requestToken", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Tokens.Request(ctx, kick.TokenRequestParams{GrantType: kick.GrantClientCredentials, ClientID: "id", ClientSecret: "secret"})
	}},
)
