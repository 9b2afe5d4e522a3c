package kickauth_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExampleS256Challenge() {
	// The example of RFC 7636, appendix B.
	fmt.Println(kickauth.S256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
	// Output: E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM
}

func ExampleAuthURL() {
	cfg := kickauth.NewConfig("01JQBHJ5B2NBRBEWT9J3NGXW5F", "client-secret", "https://bot.example/callback",
		kick.ScopeUserRead, kick.ScopeChatWrite)
	// NewAuthRequest generates the state and the verifier; fixed ones make the URL reproducible.
	fmt.Println(kickauth.AuthURL(cfg, "state-1", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))

	// A redirect URI on 127.0.0.1 gets the sacrificial parameter Kick's front end needs.
	cfg.RedirectURL = "http://127.0.0.1:3000/callback"
	cfg.Scopes = nil
	fmt.Println(kickauth.AuthURL(cfg, "state-1", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
	// Output:
	// https://id.kick.com/oauth/authorize?client_id=01JQBHJ5B2NBRBEWT9J3NGXW5F&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&redirect_uri=https%3A%2F%2Fbot.example%2Fcallback&response_type=code&scope=user%3Aread+chat%3Awrite&state=state-1
	// https://id.kick.com/oauth/authorize?client_id=01JQBHJ5B2NBRBEWT9J3NGXW5F&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&redirect=127.0.0.1&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fcallback&response_type=code&state=state-1
}

// The authorization code flow: send the user to req.URL, keep req until Kick redirects back,
// then exchange the code and save the token.
func ExampleExchange() {
	// A fake Kick, whose authorize endpoint approves at once as its streamer; against Kick,
	// cfg is kickauth.NewConfig(clientID, clientSecret, redirectURL, scopes...).
	fake := kicktest.MustNewServer()
	defer fake.Close()
	ctx := context.Background()
	cfg := fake.OAuthConfig("http://localhost:3000/callback", kick.ScopeUserRead, kick.ScopeChatWrite)

	req := kickauth.NewAuthRequest(cfg) // keep req server side, e.g. in the user's session

	// The user's browser visits req.URL and comes back to the redirect URI; here a client that
	// does not follow the redirect stands in for the browser and the callback handler.
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(req.URL)
	if err != nil {
		log.Fatal(err)
	}
	_ = resp.Body.Close()
	callback, _ := url.Parse(resp.Header.Get("Location"))

	tok, err := kickauth.Exchange(ctx, cfg, req, callback.Query())
	if err != nil {
		log.Fatal(err)
	}
	store := kickauth.NewMemoryStore()
	if err := store.Save(ctx, kickauth.StoreKey(cfg.ClientID, "alice"), tok); err != nil {
		log.Fatal(err)
	}
	fmt.Println("granted:", tok.Extra("scope"))

	// A forged callback fails the state check.
	forged := url.Values{"code": {"stolen"}, "state": {"guess"}}
	_, err = kickauth.Exchange(ctx, cfg, req, forged)
	fmt.Println(errors.Is(err, kickauth.ErrStateMismatch))
	// Output:
	// granted: user:read chat:write
	// true
}

func ExampleAppTokenSource() {
	fake := kicktest.MustNewServer() // a fake Kick; against Kick, cfg is kickauth.NewConfig(...)
	defer fake.Close()
	cfg := fake.OAuthConfig("")

	// Pass it to kick.WithAppTokenSource, or call Token yourself.
	src := kickauth.AppTokenSource(context.Background(), cfg)
	tok, err := src.Token()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Type(), time.Until(tok.Expiry) > 59*24*time.Hour)
	// Output: Bearer true
}

func ExampleUserTokenSource() {
	fake := kicktest.MustNewServer() // a fake Kick; against Kick, cfg is kickauth.NewConfig(...)
	defer fake.Close()
	ctx := context.Background()
	cfg := fake.OAuthConfig("http://localhost:3000/callback")

	// A token saved after the user authorized the app; its access token has expired.
	store := kickauth.NewMemoryStore()
	key := kickauth.StoreKey(cfg.ClientID, "alice")
	expired := fake.UserToken(kicktest.Streamer.UserID)
	expired.Expiry = time.Now().Add(-time.Minute)
	if err := store.Save(ctx, key, expired); err != nil {
		log.Fatal(err)
	}

	// Pass src to kick.WithUserTokenSource, or call Token yourself.
	src, err := kickauth.UserTokenSource(ctx, cfg, store, key)
	if err != nil {
		log.Fatal(err)
	}
	tok, err := src.Token() // refreshes, saves, then returns
	if err != nil {
		log.Fatal(err)
	}
	saved, _ := store.Load(ctx, key)
	fmt.Println("refreshed:", tok.AccessToken != expired.AccessToken)
	fmt.Println("rotated refresh token saved:", saved.RefreshToken == tok.RefreshToken && saved.RefreshToken != expired.RefreshToken)
	// Output:
	// refreshed: true
	// rotated refresh token saved: true
}

// When Kick rejects the refresh token (the user revoked the app, or the token aged out), Token
// returns an error matching ErrReauthorize: send the user through the authorize flow again.
func ExampleReauthorizeError() {
	fake := kicktest.MustNewServer() // a fake Kick; against Kick, cfg is kickauth.NewConfig(...)
	defer fake.Close()
	ctx := context.Background()
	cfg := fake.OAuthConfig("http://localhost:3000/callback")
	store := kickauth.NewMemoryStore()
	key := kickauth.StoreKey(cfg.ClientID, "alice")
	_ = store.Save(ctx, key, &oauth2.Token{AccessToken: "old", RefreshToken: "revoked-by-the-user", Expiry: time.Now().Add(-time.Minute)})

	src, _ := kickauth.UserTokenSource(ctx, cfg, store, key)
	_, err := src.Token()
	var re *kickauth.ReauthorizeError
	if errors.As(err, &re) {
		fmt.Println("authorize again:", re.Code) // re.Description has the server's words
	}
	fmt.Println(errors.Is(err, kickauth.ErrReauthorize))
	// Output:
	// authorize again: invalid_grant
	// true
}

func ExampleMemoryStore() {
	ctx := context.Background()
	store := kickauth.NewMemoryStore()
	key := kickauth.StoreKey("01JQBHJ5B2NBRBEWT9J3NGXW5F", "12345")
	tok := &oauth2.Token{AccessToken: "secret-access", TokenType: "Bearer", RefreshToken: "secret-refresh",
		Expiry: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)}
	if err := store.Save(ctx, key, tok.WithExtra(map[string]any{"scope": "user:read"})); err != nil {
		log.Fatal(err)
	}
	got, err := store.Load(ctx, key)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(key)
	fmt.Println(kickauth.Redact(got))
	_, err = store.Load(ctx, kickauth.StoreKey("01JQBHJ5B2NBRBEWT9J3NGXW5F", "67890"))
	fmt.Println(errors.Is(err, kickauth.ErrNoToken))
	// Output:
	// 01JQBHJ5B2NBRBEWT9J3NGXW5F/12345
	// kickauth.Token{Type: Bearer, AccessToken: REDACTED, RefreshToken: REDACTED, Expiry: 2026-07-01T12:00:00Z, Scope: "user:read"}
	// true
}

func ExampleFileStore() {
	dir, err := os.MkdirTemp("", "kick-tokens")
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	ctx := context.Background()

	// Real programs keep tokens in a directory of their own, such as DefaultFileStoreDir().
	store, err := kickauth.NewFileStore(dir)
	if err != nil {
		log.Fatal(err)
	}
	key := kickauth.StoreKey("01JQBHJ5B2NBRBEWT9J3NGXW5F", "12345")
	tok := &oauth2.Token{AccessToken: "secret-access", RefreshToken: "secret-refresh", Expiry: time.Now().Add(2 * time.Hour)}
	if err := store.Save(ctx, key, tok); err != nil {
		log.Fatal(err)
	}
	got, err := store.Load(ctx, key)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(filepath.Base(store.Path(key)))
	fmt.Println(got.RefreshToken == tok.RefreshToken)
	// Output:
	// token-01JQBHJ5B2NBRBEWT9J3NGXW5F_12345-0abeb168c15c8925.json
	// true
}

func ExampleRedact() {
	tok := &oauth2.Token{AccessToken: "secret-access", TokenType: "bearer", Expiry: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // keep the output reproducible
			}
			return a
		},
	}))
	logger.Info("got a token", "token", kickauth.Redact(tok))
	fmt.Printf("%v\n", kickauth.Redact(tok))
	// Output:
	// level=INFO msg="got a token" token.type=Bearer token.access_token=REDACTED token.refresh_token="" token.expiry=2026-07-01T12:00:00.000Z
	// kickauth.Token{Type: Bearer, AccessToken: REDACTED, RefreshToken: "", Expiry: 2026-07-01T12:00:00Z}
}
