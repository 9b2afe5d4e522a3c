package kickauth_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// A program uses the login `kick auth login` made: the token of the host's active account,
// refreshed at its OAuth server and saved back, so the CLI and the program share one login. Its
// token goes to the login's API alone. kickauth.TokenForHost does the same in the default token
// directory.
func ExampleLoginStore_TokenSource() {
	// A fake Kick, and a token directory with the login `kick auth login` would have saved in it.
	fake := kicktest.MustNewServer()
	defer fake.Close()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "tokens")
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	cli, err := kickauth.NewLoginStore(dir)
	if err != nil {
		log.Fatal(err)
	}
	err = cli.Save(ctx, &kickauth.Login{Host: kickauth.OAuthHost(fake.OAuthBaseURL), Account: "kickgo_streamer",
		ClientID: fake.App.ClientID, OAuthBaseURL: fake.OAuthBaseURL, APIBaseURL: fake.APIBaseURL}, fake.UserToken(kicktest.Streamer.UserID))
	if err != nil {
		log.Fatal(err)
	}

	// The program: against Kick, cfg is kickauth.NewConfig(clientID, clientSecret, "") and dir
	// "" (the default token directory).
	logins, err := kickauth.NewLoginStore(dir)
	if err != nil {
		log.Fatal(err)
	}
	users, login, err := logins.TokenSource(ctx, fake.OAuthConfig(""), "") // "": the active account
	if err != nil {
		log.Fatal(err) // errors.Is(err, kickauth.ErrNotLoggedIn): run `kick auth login` first
	}
	client, err := kick.NewClient(kick.WithAPIBaseURL(login.API()), kick.WithOAuthBaseURL(login.OAuthBaseURL),
		kick.WithUserTokenSource(users))
	if err != nil {
		log.Fatal(err)
	}
	me, err := client.Users.Me(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(login.Account, me.UserID)
	// Output: kickgo_streamer 1001
}
