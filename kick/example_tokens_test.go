package kick_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExampleTokensService_Introspect() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client, err := kick.NewClient(
		kick.WithAPIBaseURL(fake.APIBaseURL),
		kick.WithOAuthBaseURL(fake.OAuthBaseURL),
		kick.WithUserTokenSource(fake.UserTokenSource(kicktest.Streamer.UserID, kick.ScopeUserRead, kick.ScopeChannelRead)),
	)
	if err != nil {
		log.Fatal(err)
	}

	info, err := client.Tokens.Introspect(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Active, info.Kind, info.Scopes, "expires in", time.Until(info.ExpiresAt).Round(time.Hour))
	// Output: true user [user:read channel:read] expires in 2h0m0s
}

func ExampleTokensService_Revoke() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// Revoking a refresh token ends the whole authorization: its access tokens stop working.
	tok := fake.UserToken(kicktest.Viewer.UserID)
	err := client.Tokens.Revoke(context.Background(), tok.RefreshToken, kick.TokenHintRefreshToken)
	fmt.Println(err)
	// Output: <nil>
}

func ExampleTokensService_Request() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// A token saved when the user authorized the app; kickauth's token sources do this refresh
	// for you.
	saved := fake.UserToken(kicktest.Streamer.UserID, kick.ScopeUserRead, kick.ScopeChatWrite)
	tok, err := client.Tokens.Request(context.Background(), kick.TokenRequestParams{
		GrantType:    kick.GrantRefreshToken,
		ClientID:     fake.App.ClientID,
		ClientSecret: kick.Secret(fake.App.ClientSecret),
		RefreshToken: kick.Secret(saved.RefreshToken),
	})
	if err != nil {
		log.Fatal(err)
	}
	// Printing a token never shows its secrets.
	fmt.Println(tok)
	// Output: kick.Token{TokenType:"Bearer", AccessToken:REDACTED, RefreshToken:REDACTED, ExpiresIn:2h0m0s, Scopes:[user:read chat:write]}
}
