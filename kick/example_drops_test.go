package kick_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExampleDropsService_ListClaims() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	page, err := client.Drops.ListClaims(context.Background(), kick.DropsClaimListParams{CampaignID: "01K9PT69ZWCJTPKF0R975KMS8E", Limit: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range page.Items {
		fmt.Println(c.ClaimID, c.UserID, c.ExternalStatus)
	}
	// Pass NextCursor as Cursor for the next page, or range over AllClaims.
	fmt.Println("more:", page.NextCursor != "")
	// Output:
	// 01KAHCQF18J6SS3VD9WEC0FX71 9183746 processed
	// 01KAHHCJ04RCQRR7SEFJXDZA7Q 51724903 initiated
	// more: true
}

func ExampleDropsService_AllClaims() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// Find the claims not fulfilled yet, page after page.
	var updates []kick.DropsClaimUpdateParams
	for claim, err := range client.Drops.AllClaims(context.Background(), kick.DropsClaimListParams{Limit: 1000}) {
		if err != nil {
			log.Fatal(err)
		}
		if claim.ExternalStatus == "initiated" {
			updates = append(updates, kick.DropsClaimUpdateParams{ClaimID: claim.ClaimID, ExternalStatus: "processed"})
		}
	}
	fmt.Println(len(updates), "to process:", updates[0].ClaimID)
	// Output: 3 to process: 01KAHHCJ04RCQRR7SEFJXDZA7Q
}

func ExampleDropsService_UpdateClaims() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	err := client.Drops.UpdateClaims(context.Background(), []kick.DropsClaimUpdateParams{
		{ClaimID: "01KAHHCJ04RCQRR7SEFJXDZA7Q", ExternalStatus: "processed"},
	})
	fmt.Println(err)
	// Output: <nil>
}
