package kicktypes_test

import (
	"encoding/json"
	"fmt"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
)

// A CategorySummary marshals as Kick's JSON, the same in package kick (kick.CategorySummary is
// this type) and in webhook events.
func ExampleCategorySummary() {
	b, err := json.Marshal(kicktypes.CategorySummary{ID: 15, Name: "Just Chatting", Thumbnail: "https://files.kick.com/c/15.webp"})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
	// Output: {"id":15,"name":"Just Chatting","thumbnail":"https://files.kick.com/c/15.webp"}
}

// Switching on an event type works the same with the constants of kicktypes, kick and webhook.
func ExampleEventType() {
	for _, t := range kicktypes.AllEventTypes[:2] {
		switch t {
		case kicktypes.EventChatMessageSent:
			fmt.Println("chat:", t)
		default:
			fmt.Println("other:", t)
		}
	}
	// Output:
	// chat: chat.message.sent
	// other: channel.followed
}
