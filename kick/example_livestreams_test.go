package kick_test

import (
	"cmp"
	"context"
	"fmt"
	"log"
	"slices"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExampleLivestreamsService_List() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	page, err := client.Livestreams.List(context.Background(), kick.LivestreamListParams{Languages: []string{"en", "tr"}, Limit: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range page.Items {
		fmt.Println(l.ChannelSlug, l.Language, l.ViewerCount)
	}
	fmt.Println("more:", page.NextCursor != "")
	// Output:
	// slotqueen-vip en 5210
	// nova-streams en 1843
	// more: true
}

func ExampleLivestreamsService_All() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// Kick lists streams oldest first; collect them to sort by viewers.
	var streams []kick.Livestream
	for l, err := range client.Livestreams.All(context.Background(), kick.LivestreamListParams{CategoryIDs: []int64{12, 15}}) {
		if err != nil {
			log.Fatal(err)
		}
		streams = append(streams, l)
	}
	slices.SortFunc(streams, func(a, b kick.Livestream) int { return cmp.Compare(b.ViewerCount, a.ViewerCount) })
	for _, l := range streams {
		fmt.Println(l.Broadcaster.Username, l.ViewerCount, l.Category.Name)
	}
	// Output:
	// nova_streams 1843 Rust
	// lunakai 312 Just Chatting
}

func ExampleLivestreamsService_GetByUsers() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// Results follow the order of the ids; users who are not live are left out.
	streams, err := client.Livestreams.GetByUsers(context.Background(), []int64{51724903, 24871935})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range streams {
		fmt.Println(l.Broadcaster.UserID, l.Title)
	}
	// Output:
	// 51724903 sabah kahvesi & sohbet ☕
	// 24871935 FORCE WIPE DAY | solo to top clan | !discord
}

func ExampleLivestreamsService_Stats() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	stats, err := client.Livestreams.Stats(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stats.TotalCount, "streams live")
	// Output: 5 streams live
}

func ExampleLivestreamsService_ListV1() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	streams, err := client.Livestreams.ListV1(context.Background(), kick.LivestreamListV1Params{Sort: kick.LivestreamSortViewerCount, Limit: 10})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range streams {
		fmt.Println(l.ChannelID, l.ChannelSlug)
	}
	// Output:
	// 40211907 slotqueen-vip
	// 60987712 nomad-irl
	// 24592127 nova-streams
	// 27503398 clutchkingcs
	// 51398876 lunakai
}
