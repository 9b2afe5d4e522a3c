package kick_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExampleChannelsService_Get() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	channels, err := client.Channels.Get(context.Background(), []int64{24871935, 9183746})
	if err != nil {
		log.Fatal(err)
	}
	now := fake.Now() // the fake's clock, which its data follows; against Kick, time.Now()
	for _, ch := range channels {
		if ch.Stream.IsLive {
			fmt.Printf("%s is live in %s, for %.0f hours\n", ch.Slug, ch.Category.Name, now.Sub(ch.Stream.StartedAt).Hours())
		} else {
			// Offline: StartedAt is the zero time.
			fmt.Printf("%s is offline (StartedAt.IsZero: %v)\n", ch.Slug, ch.Stream.StartedAt.IsZero())
		}
	}
	// Output:
	// nova-streams is live in Rust, for 2 hours
	// pixelpanda is offline (StartedAt.IsZero: true)
}

func ExampleChannelsService_GetBySlug() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	channels, err := client.Channels.GetBySlug(context.Background(), []string{"PixelPanda"})
	if err != nil {
		log.Fatal(err)
	}
	// Slugs match without regard to case; the example server answers two channels, and only the
	// one asked for is kept.
	for _, ch := range channels {
		fmt.Println(ch.BroadcasterUserID, ch.Slug)
	}
	// Output: 9183746 pixelpanda
}

func ExampleChannelsService_Me() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	me, err := client.Channels.Me(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	// The stream key never prints; Reveal returns it, for an encoder's configuration.
	fmt.Println(me.Slug, me.Stream.Key, len(me.Stream.Key.Reveal()) > 0)
	// Output: kickgo-streamer REDACTED true
}

func ExampleChannelsService_Update() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// Only the fields set are sent; CustomTags: []string{} would remove every tag.
	err := client.Channels.Update(context.Background(), kick.ChannelUpdateParams{
		StreamTitle: kick.Ptr("Wipe day"),
		CategoryID:  kick.Ptr(int64(12)),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("updated")
	// Output: updated
}
