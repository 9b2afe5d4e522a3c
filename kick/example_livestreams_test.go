package kick_test

import (
	"cmp"
	"context"
	"fmt"
	"log"
	"slices"

	"github.com/kick-sdk/kick-go/kick"
)

func ExampleLivestreamsService_List() {
	client, done := newExampleClient()
	defer done()

	page, err := client.Livestreams.List(context.Background(), kick.LivestreamListParams{Languages: []string{"en", "tr"}, Limit: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range page.Items {
		fmt.Println(l.ChannelSlug, l.Language, l.ViewerCount)
	}
	fmt.Println("more:", page.NextCursor != "")
	// Output:
	// nova-streams en 1843
	// lunakai tr 312
	// more: true
}

func ExampleLivestreamsService_All() {
	client, done := newExampleClient()
	defer done()

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
	client, done := newExampleClient()
	defer done()

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
	client, done := newExampleClient()
	defer done()

	stats, err := client.Livestreams.Stats(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stats.TotalCount, "streams live")
	// Output: 15487 streams live
}

func ExampleLivestreamsService_ListV1() {
	client, done := newExampleClient()
	defer done()

	streams, err := client.Livestreams.ListV1(context.Background(), kick.LivestreamV1Params{Sort: kick.LivestreamSortViewerCount, Limit: 10})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range streams {
		fmt.Println(l.ChannelID, l.ChannelSlug)
	}
	// Output:
	// 24592127 nova-streams
	// 51398876 lunakai
}
