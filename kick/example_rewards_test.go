package kick_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
)

func ExampleRewardsService_List() {
	client, done := newExampleClient()
	defer done()

	rewards, err := client.Rewards.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rewards {
		fmt.Printf("%s: %d points, paused %v\n", r.Title, r.Cost, r.IsPaused)
	}
	// Output:
	// Song Request: 500 points, paused false
	// Hydrate!: 100 points, paused true
}

func ExampleRewardsService_Create() {
	client, done := newExampleClient()
	defer done()

	reward, err := client.Rewards.Create(context.Background(), kick.RewardCreate{
		Title:               "Pick my next loadout",
		Cost:                2500,
		Description:         "Tell me what weapon to run next round",
		BackgroundColor:     "#ff6b00",
		IsUserInputRequired: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reward.ID, reward.Title, reward.IsEnabled)
	// Output: 01KCTQ8BSM8WG44HKGZAMRR0TE Pick my next loadout true
}

func ExampleRewardsService_Update() {
	client, done := newExampleClient()
	defer done()

	// Only the fields set are changed.
	reward, err := client.Rewards.Update(context.Background(), "01KBQVW2KVQNX4Y6RN800Y9K4N", kick.RewardUpdate{
		Cost:     kick.Ptr(int64(750)),
		IsPaused: kick.Ptr(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reward.Title, reward.Cost, reward.IsPaused)
	// Output: Song Request 750 true
}

func ExampleRewardsService_Delete() {
	client, done := newExampleClient()
	defer done()

	if err := client.Rewards.Delete(context.Background(), "01KBSGJFS9MGCEJFEJH2AJ6QEA"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("deleted")
	// Output: deleted
}

func ExampleRewardsService_ListRedemptions() {
	client, done := newExampleClient()
	defer done()

	page, err := client.Rewards.ListRedemptions(context.Background(), kick.RedemptionListParams{Status: kick.RedemptionPending})
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range page.Items {
		fmt.Printf("%s: %d pending\n", g.Reward.Title, len(g.Redemptions))
	}
	fmt.Println("more:", page.NextCursor != "")
	// Output:
	// Song Request: 2 pending
	// Hydrate!: 1 pending
	// more: true
}

func ExampleRewardsService_AllRedemptions() {
	client, done := newExampleClient()
	defer done()

	// Pages are fetched as the loop needs them.
	for g, err := range client.Rewards.AllRedemptions(context.Background(), kick.RedemptionListParams{}) {
		if err != nil {
			log.Fatal(err)
		}
		for _, r := range g.Redemptions {
			fmt.Println(g.Reward.Title, r.ID, r.Redeemer.UserID, r.RedeemedAt.Format("15:04"))
		}
	}
	// Output:
	// Song Request 01KCTMKVPJSHGFM52XHC9MSHDF 9183746 06:26
	// Song Request 01KCTMVZVAQ33RVXHGD7N7WX7E 51724903 06:31
	// Hydrate! 01KCTNCYQG4M5TWF0FEGH259ED 33810257 06:40
}

func ExampleRewardsService_AcceptRedemptions() {
	client, done := newExampleClient()
	defer done()

	failed, err := client.Rewards.AcceptRedemptions(context.Background(), []string{"01KCTMKVPJSHGFM52XHC9MSHDF", "01KCTMVZVAQ33RVXHGD7N7WX7E"})
	if err != nil {
		log.Fatal(err)
	}
	// Only the redemptions that could not be accepted come back.
	for _, f := range failed {
		fmt.Println(f.ID, f.Reason)
	}
	// Output: 01KCTMVZVAQ33RVXHGD7N7WX7E redemption is not pending
}

func ExampleRewardsService_RejectRedemptions() {
	client, done := newExampleClient()
	defer done()

	failed, err := client.Rewards.RejectRedemptions(context.Background(), []string{"01KCTNCYQG4M5TWF0FEGH259ED"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("failures:", len(failed))
	// Output: failures: 0
}
