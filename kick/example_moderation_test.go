package kick_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kick-sdk/kick-go/kick"
)

func ExampleModerationService_Ban() {
	client, done := newExampleClient()
	defer done()

	// A 10-minute timeout; a zero Duration bans permanently.
	err := client.Moderation.Ban(context.Background(), kick.BanParams{
		BroadcasterUserID: 24871935,
		UserID:            33810257,
		Duration:          10 * time.Minute,
		Reason:            "spam",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("timed out")
	// Output: timed out
}

func ExampleModerationService_Unban() {
	client, done := newExampleClient()
	defer done()

	if err := client.Moderation.Unban(context.Background(), 24871935, 33810257); err != nil {
		log.Fatal(err)
	}
	fmt.Println("unbanned")
	// Output: unbanned
}
