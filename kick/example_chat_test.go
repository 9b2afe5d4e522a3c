package kick_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
)

func ExampleChatService_Send() {
	client, done := newExampleClient()
	defer done()

	// As the token's user, to a channel of one's choice.
	sent, err := client.Chat.Send(context.Background(), kick.ChatMessage{
		Type:              kick.ChatMessageUser,
		Content:           "Hello chat!",
		BroadcasterUserID: 24871935,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sent.IsSent, sent.MessageID)

	// As the app's bot: always to the channel of the token's user.
	_, err = client.Chat.Send(context.Background(), kick.ChatMessage{
		Type:             kick.ChatMessageBot,
		Content:          "Welcome!",
		ReplyToMessageID: sent.MessageID,
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output: true 9ec70d6a-256c-4646-86c1-271e080d1d5c
}

func ExampleChatService_Delete() {
	client, done := newExampleClient()
	defer done()

	if err := client.Chat.Delete(context.Background(), "9ec70d6a-256c-4646-86c1-271e080d1d5c"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("deleted")
	// Output: deleted
}
