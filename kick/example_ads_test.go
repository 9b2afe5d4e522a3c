package kick_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// An ad break needs no id from the caller: StartBreak makes one, so that a retried request starts
// one break. The Ads API is inferred (see AdsService).
func ExampleAdsService_StartBreak() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)
	ctx := context.Background()

	if err := client.Ads.Enroll(ctx); err != nil {
		log.Fatal(err)
	}
	ad, err := client.Ads.StartBreak(ctx, kick.AdBreakStartParams{Duration: 90 * time.Second})
	if err != nil {
		log.Fatal(err)
	}
	status, err := client.Ads.Status(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(ad.ID), ad.RemainingAdBreaks, status.OptedIn, status.Limits.Max, status.Limits.Period)
	// Output:
	// 36 2 true 3 1h0m0s
}
