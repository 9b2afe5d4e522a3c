package kick_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExampleModerationService_Ban() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// A 10-minute timeout in the broadcaster's own chat; a zero Duration bans permanently.
	err := client.Moderation.Ban(context.Background(), kick.ModerationBanParams{
		BroadcasterUserID: kicktest.Streamer.UserID,
		UserID:            kicktest.Viewer.UserID,
		Duration:          10 * time.Minute,
		Reason:            "spam",
	})
	if err != nil {
		log.Fatal(err)
	}
	bans := fake.Bans(kicktest.Streamer.UserID) // oldest first
	b := bans[len(bans)-1]
	fmt.Println(b.UserID, b.Reason, b.ExpiresAt.Sub(b.CreatedAt))
	// Output: 1002 spam 10m0s
}

func ExampleModerationService_Unban() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// kicktest's Streamer has banned a spam bot, crypto_giveaway_bot, from the chat.
	bans := fake.Bans(kicktest.Streamer.UserID)
	if err := client.Moderation.Unban(context.Background(), kicktest.Streamer.UserID, bans[0].UserID); err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(bans), "ban before,", len(fake.Bans(kicktest.Streamer.UserID)), "after")
	// Output: 1 ban before, 0 after
}
