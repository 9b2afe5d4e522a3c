package kick_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExampleChatService_Send() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)
	ctx := context.Background()

	// As the token's user, to a channel of one's choice.
	sent, err := client.Chat.Send(ctx, kick.ChatSendParams{
		Type:              kick.ChatMessageUser,
		Content:           "Hello chat!",
		BroadcasterUserID: 24871935,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sent.IsSent, len(sent.MessageID))

	// As the app's bot: always to the channel of the token's user, here in reply to a viewer.
	question := fake.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "when is the next stream?")
	_, err = client.Chat.Send(ctx, kick.ChatSendParams{
		Type:             kick.ChatMessageBot,
		Content:          "Sunday, 18:00 UTC!",
		ReplyToMessageID: question,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range fake.Messages(kicktest.Streamer.UserID) {
		fmt.Println(m.SenderUserID, m.Content, m.ReplyToMessageID == question)
	}
	// Output:
	// true 36
	// 1002 when is the next stream? false
	// 1004 Sunday, 18:00 UTC! true
}

func ExampleChatService_Delete() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// The broadcaster and the channel's moderators may delete any message of its chat.
	spam := fake.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "free KICKs at scam.example")
	if err := client.Chat.Delete(context.Background(), spam); err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(fake.Messages(kicktest.Streamer.UserID)), "messages left")
	// Output: 0 messages left
}
