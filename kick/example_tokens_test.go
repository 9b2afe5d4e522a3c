package kick_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
)

func ExampleTokensService_Introspect() {
	client, done := newExampleClient()
	defer done()

	info, err := client.Tokens.Introspect(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Active, info.Kind, info.Scopes, info.ExpiresAt)
	// Output: true user [user:read channel:read] 2025-12-19 08:26:36 +0000 UTC
}

func ExampleTokensService_Revoke() {
	client, done := newExampleClient()
	defer done()

	err := client.Tokens.Revoke(context.Background(), "refresh-token-to-revoke", kick.TokenHintRefreshToken)
	fmt.Println(err)
	// Output: <nil>
}

func ExampleTokensService_Request() {
	client, done := newExampleClient()
	defer done()

	tok, err := client.Tokens.Request(context.Background(), kick.TokenRequest{
		GrantType:    kick.GrantRefreshToken,
		ClientID:     "01JQBHJ5B2NBRBEWT9J3NGXW5F",
		ClientSecret: "client-secret",
		RefreshToken: "stored-refresh-token",
	})
	if err != nil {
		log.Fatal(err)
	}
	// Printing a token never shows its secrets.
	fmt.Println(tok)
	// Output: kick.Token{TokenType:"Bearer", AccessToken:REDACTED, RefreshToken:REDACTED, ExpiresIn:2h0m0s, Scopes:[user:read chat:write]}
}
