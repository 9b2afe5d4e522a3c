package kick_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExampleCategoriesService_List() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	page, err := client.Categories.List(context.Background(), kick.CategoryListParams{Tags: []string{"Shooter"}, Limit: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range page.Items {
		fmt.Println(c.ID, c.Name, c.Tags)
	}
	fmt.Println("more:", page.NextCursor != "")
	// Output:
	// 12 Rust [FPS Shooter Survival]
	// 8549 Counter-Strike 2 [FPS Shooter Tactical]
	// more: true
}

func ExampleCategoriesService_All() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// All fetches the next page only when the loop has consumed the previous one.
	for c, err := range client.Categories.All(context.Background(), kick.CategoryListParams{Tags: []string{"FPS"}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.Name)
	}
	// Output:
	// Rust
	// Counter-Strike 2
	// VALORANT
	// Call of Duty: Warzone
}

func ExampleCategoriesService_Get() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	c, err := client.Categories.Get(context.Background(), 12)
	if errors.Is(err, kick.ErrNotFound) {
		fmt.Println("no such category")
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Name)
	// Output: Rust
}

func ExampleCategoriesService_SearchAllV1() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// The example server answers every page alike; SearchAllV1 stops when a page repeats.
	for c, err := range client.Categories.SearchAllV1(context.Background(), "rust") {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.ID, c.Name)
	}
	// Output:
	// 12 Rust
	// 10213 Rust Console Edition
}

func ExampleCategoriesService_GetV1() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	c, err := client.Categories.GetV1(context.Background(), 12)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Name, c.ViewerCount)
	// Output: Rust 1843
}
