package doctor_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/doctor"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// A program runs the diagnosis at start-up and logs the problems, each with its fix. This one
// subscribed twice instead of running Events.Sync, so Kick would deliver each chat message twice.
func Example() {
	ctx := context.Background()
	fake := kicktest.MustNewServer(kicktest.WithWebhookURL("https://bot.example.com/kick/webhook"))
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID) // a user token and an app token
	for range 2 {
		if _, err := client.Events.SubscribeTo(ctx, kicktest.Streamer.UserID, kick.EventChatMessageSent); err != nil {
			log.Fatal(err)
		}
	}

	report, err := doctor.Run(ctx, doctor.Params{
		Client:            client,
		BroadcasterUserID: kicktest.Streamer.UserID,
		Events:            []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}},
		Keys:              webhook.StaticKey(kicktest.Signer().PublicKey()), // the fake signs with its own key
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d checks, verdict %s\n", len(report.Checks), report.Verdict())
	for _, c := range report.Problems() {
		fmt.Printf("%s %s: %s\n", c.Verdict, c.ID, c.Fix)
	}
	// Output:
	// 12 checks, verdict warn
	// warn duplicates: Delete the duplicates with client.Events.Sync (or kick doctor --fix), and subscribe with Sync rather than Subscribe at start-up.
	// warn webhook-url: Give the app's webhook URL (Params.WebhookURL, kick doctor --webhook-url or KICK_WEBHOOK_URL) to check it.
}
