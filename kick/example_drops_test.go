package kick_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
)

func ExampleDropsService_ListClaims() {
	client, done := newExampleClient()
	defer done()

	page, err := client.Drops.ListClaims(context.Background(), kick.DropsClaimListParams{CampaignID: "01K9PT69ZWCJTPKF0R975KMS8E", Limit: 100})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range page.Items {
		fmt.Println(c.ClaimID, c.UserID, c.ExternalStatus)
	}
	fmt.Println("next:", page.NextCursor)
	// Output:
	// 01KAHCQF18J6SS3VD9WEC0FX71 9183746 processed
	// 01KAHHCJ04RCQRR7SEFJXDZA7Q 51724903 initiated
	// next: 01KAHHCJ04RCQRR7SEFJXDZA7Q
}

func ExampleDropsService_AllClaims() {
	client, done := newExampleClient()
	defer done()

	// Find the claims not fulfilled yet, page after page.
	var updates []kick.DropsClaimUpdate
	for claim, err := range client.Drops.AllClaims(context.Background(), kick.DropsClaimListParams{Limit: 1000}) {
		if err != nil {
			log.Fatal(err)
		}
		if claim.ExternalStatus == "initiated" {
			updates = append(updates, kick.DropsClaimUpdate{ClaimID: claim.ClaimID, ExternalStatus: "processed"})
		}
	}
	fmt.Println(len(updates), "to process:", updates[0].ClaimID)
	// Output: 1 to process: 01KAHHCJ04RCQRR7SEFJXDZA7Q
}

func ExampleDropsService_UpdateClaims() {
	client, done := newExampleClient()
	defer done()

	err := client.Drops.UpdateClaims(context.Background(), []kick.DropsClaimUpdate{
		{ClaimID: "01KAHHCJ04RCQRR7SEFJXDZA7Q", ExternalStatus: "processed"},
	})
	fmt.Println(err)
	// Output: <nil>
}
