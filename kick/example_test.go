package kick_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExampleNewClient() {
	// A fake Kick stands in for api.kick.com and id.kick.com. Against Kick, leave out the two
	// URLs and pass token sources of your app and its user: package kickauth has them.
	fake := kicktest.MustNewServer()
	defer fake.Close()
	client, err := kick.NewClient(
		kick.WithAPIBaseURL(fake.APIBaseURL),
		kick.WithOAuthBaseURL(fake.OAuthBaseURL),
		// Any oauth2.TokenSource works. An app token acts for the app alone (client credentials);
		// a user token for the user who authorized the app.
		kick.WithAppTokenSource(fake.AppTokenSource()),
		kick.WithUserTokenSource(fake.UserTokenSource(kicktest.Streamer.UserID)),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	users, err := client.Users.Get(ctx, []int64{24871935})
	if err != nil {
		log.Fatal(err)
	}
	me, err := client.Users.Me(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(users[0].Username, me.Username)
	// Output: nova_streams kickgo_streamer
}

func ExampleUsersService_Get() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	users, err := client.Users.Get(context.Background(), []int64{24871935, 9183746})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.UserID, u.Username)
	}
	// Output:
	// 24871935 nova_streams
	// 9183746 pixelpanda
}

func ExampleUsersService_Me() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	me, err := client.Users.Me(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.Username, me.Email)
	// Output: kickgo_streamer kickgo.streamer@example.com
}
