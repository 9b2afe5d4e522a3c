package kick_test

import (
	"context"
	"fmt"
	"log"
)

func ExampleKicksService_Leaderboard() {
	client, done := newExampleClient()
	defer done()

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
