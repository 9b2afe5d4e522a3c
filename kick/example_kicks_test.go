package kick_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExampleKicksService_Leaderboard() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	board, err := client.Kicks.Leaderboard(context.Background(), 2)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range board.Week {
		fmt.Println(e.Rank, e.Username, e.GiftedAmount)
	}
	// Output:
	// 1 rustlord_88 5000
	// 2 pixelpanda 1000
}
