package kick_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExampleRewardsService_List() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

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
	// Pick my next loadout: 2500 points, paused false
}

func ExampleRewardsService_Create() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	reward, err := client.Rewards.Create(context.Background(), kick.RewardCreateParams{
		Title:               "Choose the next map",
		Cost:                1000,
		Description:         "Name a map for the next round",
		BackgroundColor:     "#ff6b00",
		IsUserInputRequired: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	// Only the app that created a reward may change or delete it: keep its id.
	fmt.Println(reward.Title, reward.Cost, reward.IsEnabled, len(reward.ID))
	// Output: Choose the next map 1000 true 26
}

func ExampleRewardsService_Update() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// Only the fields set are changed.
	reward, err := client.Rewards.Update(context.Background(), "01KBQVW2KVQNX4Y6RN800Y9K4N", kick.RewardUpdateParams{
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
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// Pick my next loadout, which this app created.
	if err := client.Rewards.Delete(context.Background(), "01KCTQ8BSM8WG44HKGZAMRR0TE"); err != nil {
		log.Fatal(err)
	}
	// Hydrate!, which the streamer created on kick.com: not this app's to delete.
	err := client.Rewards.Delete(context.Background(), "01KBSGJFS9MGCEJFEJH2AJ6QEA")
	fmt.Println(errors.Is(err, kick.ErrForbidden))
	// Output: true
}

func ExampleRewardsService_ListRedemptions() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

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
	// more: false
}

func ExampleRewardsService_AllRedemptions() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	now := fake.Now() // the fake's clock, which its data follows; against Kick, time.Now()
	// Pages are fetched as the loop needs them.
	for g, err := range client.Rewards.AllRedemptions(context.Background(), kick.RedemptionListParams{}) {
		if err != nil {
			log.Fatal(err)
		}
		for _, r := range g.Redemptions {
			fmt.Println(g.Reward.Title, r.ID, r.Redeemer.UserID, now.Sub(r.RedeemedAt).Round(time.Minute), "ago")
		}
	}
	// Output:
	// Song Request 01KCTMKVPJSHGFM52XHC9MSHDF 1002 20m0s ago
	// Song Request 01KCTMVZVAQ33RVXHGD7N7WX7E 51724903 15m0s ago
}

func ExampleRewardsService_AcceptRedemptions() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// A pending Song Request, and a Hydrate! one: a reward made on kick.com, not by this app.
	failed, err := client.Rewards.AcceptRedemptions(context.Background(), []string{"01KCTMKVPJSHGFM52XHC9MSHDF", "01KCTNCYQG4M5TWF0FEGH259ED"})
	if err != nil {
		log.Fatal(err)
	}
	// Only the redemptions that could not be accepted come back.
	for _, f := range failed {
		fmt.Println(f.ID, f.Reason)
	}
	// Output: 01KCTNCYQG4M5TWF0FEGH259ED reward is not managed by this app
}

func ExampleRewardsService_RejectRedemptions() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	failed, err := client.Rewards.RejectRedemptions(context.Background(), []string{"01KCTMVZVAQ33RVXHGD7N7WX7E"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("failures:", len(failed))
	// Output: failures: 0
}
