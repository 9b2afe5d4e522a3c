package kick_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
)

func ExampleEventsService_List() {
	client, done := newExampleClient()
	defer done()

	subs, err := client.Events.List(context.Background(), kick.EventListParams{BroadcasterUserID: 24871935})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range subs {
		fmt.Println(s.ID, s.Type, s.Version)
	}
	// Output:
	// 01KC495X0JWV6QDFWC8TZVWC1K chat.message.sent 1
	// 01KC495X805CE7XXMJ3GGE5TSW channel.followed 1
}

func ExampleEventsService_Subscribe() {
	client, done := newExampleClient()
	defer done()

	// An app token can subscribe to any channel's events.
	results, err := client.Events.Subscribe(context.Background(), kick.SubscribeParams{
		BroadcasterUserID: 24871935,
		Events:            []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}, {Type: kick.EventChannelFollowed}},
	}, kick.WithTokenKind(kick.TokenKindApp))
	// Some events may fail while others succeed: the results hold both.
	var failed *kick.SubscribeError
	if err != nil && !errors.As(err, &failed) {
		log.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			fmt.Println("failed:", r.Type, r.Err)
			continue
		}
		fmt.Println("subscribed:", r.Type, r.SubscriptionID)
	}
	fmt.Println(errors.Is(err, kick.ErrSubscriptionFailed))
	// Output:
	// subscribed: channel.followed 01KCTSYW6C36ZF1PVDRZHG1QSD
	// failed: chat.message.sent kick: subscribe to chat.message.sent v1: subscription limit reached for event chat.message.sent
	// true
}

func ExampleEventsService_Unsubscribe() {
	client, done := newExampleClient()
	defer done()

	err := client.Events.Unsubscribe(context.Background(), []string{"01KC495X0JWV6QDFWC8TZVWC1K", "01KC495X805CE7XXMJ3GGE5TSW"})
	fmt.Println(err)
	// Output: <nil>
}
