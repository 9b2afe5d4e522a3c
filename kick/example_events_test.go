package kick_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExampleEventsService_List() {
	// A fake Kick, for the example (see NewClient for Kick's), with the app's webhook URL: Kick
	// posts every event there, and refuses subscriptions without one.
	fake := kicktest.MustNewServer(kicktest.WithWebhookURL("https://bot.example/kick/webhook"))
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)
	ctx := context.Background()
	if _, err := client.Events.SubscribeTo(ctx, 24871935, kick.EventChatMessageSent, kick.EventChannelFollowed); err != nil {
		log.Fatal(err)
	}

	subs, err := client.Events.List(ctx, kick.EventListParams{BroadcasterUserID: 24871935})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range subs {
		fmt.Println(s.BroadcasterUserID, s.Type, s.Version, s.Method)
	}
	// Output:
	// 24871935 chat.message.sent 1 webhook
	// 24871935 channel.followed 1 webhook
}

func ExampleEventsService_Subscribe() {
	fake := kicktest.MustNewServer(kicktest.WithWebhookURL("https://bot.example/kick/webhook")) // a fake Kick; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	// An app token can subscribe to any channel's events. Subscribe adds subscriptions even when
	// the same ones exist: to subscribe at every start, use Sync.
	results, err := client.Events.Subscribe(context.Background(), kick.EventSubscribeParams{
		BroadcasterUserID: 24871935,
		Events:            []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}, {Type: kick.EventChannelFollowed, Version: 2}},
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
		fmt.Println("subscribed:", r.Type, len(r.SubscriptionID))
	}
	fmt.Println(errors.Is(err, kick.ErrSubscriptionFailed))
	// Output:
	// subscribed: chat.message.sent 26
	// failed: channel.followed kick: subscribe to channel.followed v2: version 2 of event channel.followed is not supported
	// true
}

func ExampleEventsService_Unsubscribe() {
	fake := kicktest.MustNewServer(kicktest.WithWebhookURL("https://bot.example/kick/webhook")) // a fake Kick; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)
	ctx := context.Background()
	results, err := client.Events.SubscribeTo(ctx, kicktest.Streamer.UserID, kick.EventKicksGifted)
	if err != nil {
		log.Fatal(err)
	}

	if err := client.Events.Unsubscribe(ctx, []string{results[0].SubscriptionID}); err != nil {
		log.Fatal(err)
	}
	subs, err := client.Events.List(ctx, kick.EventListParams{})
	fmt.Println(len(subs), err)
	// Output: 0 <nil>
}

// Sync at every start of a program instead of subscribing: the first run subscribes, and the
// next ones find each event subscribed once and change nothing. Subscribing at every start would
// add a subscription per event each time, and Kick delivers an event once per subscription.
func ExampleEventsService_Sync() {
	fake := kicktest.MustNewServer(kicktest.WithWebhookURL("https://bot.example/kick/webhook")) // a fake Kick; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	want := kick.EventSyncParams{
		BroadcasterUserID: kicktest.Streamer.UserID,
		Events:            []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}, {Type: kick.EventChannelFollowed}},
	}
	for start := range 3 {
		results, err := client.Events.Sync(context.Background(), want)
		if err != nil {
			log.Fatal(err)
		}
		for _, r := range results {
			fmt.Println(start, r.Type, r.Action, r.Confirmed)
		}
	}
	fmt.Println(len(fake.EventSubscriptions(kicktest.Streamer.UserID)), "subscriptions")
	// Output:
	// 0 chat.message.sent created true
	// 0 channel.followed created true
	// 1 chat.message.sent unchanged true
	// 1 channel.followed unchanged true
	// 2 chat.message.sent unchanged true
	// 2 channel.followed unchanged true
	// 2 subscriptions
}

// A program that subscribed at every start left duplicates, and a subscription to an event it no
// longer handles. A dry run reports what Sync would do; then Sync does it.
func ExampleEventsService_Sync_cleanUp() {
	fake := kicktest.MustNewServer(kicktest.WithWebhookURL("https://bot.example/kick/webhook")) // a fake Kick; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)
	ctx := context.Background()
	for range 3 {
		if _, err := client.Events.SubscribeTo(ctx, kicktest.Streamer.UserID, kick.EventChatMessageSent); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := client.Events.SubscribeTo(ctx, kicktest.Streamer.UserID, kick.EventKicksGifted); err != nil {
		log.Fatal(err)
	}

	p := kick.EventSyncParams{
		BroadcasterUserID: kicktest.Streamer.UserID,
		Events:            []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}, {Type: kick.EventChannelFollowed}},
		DeleteStrays:      true, // off by default: strays are reported and left alone
		DryRun:            true,
	}
	plan, err := client.Events.Sync(ctx, p)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range plan {
		fmt.Println(r.Type, r.Action, len(r.Duplicates), "duplicates")
	}
	p.DryRun = false
	if _, err := client.Events.Sync(ctx, p); err != nil {
		log.Fatal(err)
	}
	for _, s := range fake.EventSubscriptions(kicktest.Streamer.UserID) {
		fmt.Println(s.Type)
	}
	// Output:
	// chat.message.sent deduplicated 2 duplicates
	// channel.followed created 0 duplicates
	// kicks.gifted deleted 0 duplicates
	// chat.message.sent
	// channel.followed
}

// Kick drops every subscription when the app's webhooks are turned off, and refuses new ones:
// Sync reports Kick's reason for each event, as a *SubscriptionError.
func ExampleSyncError() {
	fake := kicktest.MustNewServer() // a fake Kick, with the app's webhooks off
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	results, err := client.Events.Sync(context.Background(), kick.EventSyncParams{
		BroadcasterUserID: kicktest.Streamer.UserID,
		Events:            []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}},
	})
	var syncErr *kick.SyncError
	if errors.As(err, &syncErr) {
		fmt.Println(len(syncErr.Failed), "failed")
	}
	var se *kick.SubscriptionError
	if errors.As(err, &se) {
		fmt.Println(se.Type, se.Message)
	}
	fmt.Println(errors.Is(err, kick.ErrSubscriptionFailed), results[0].Action, results[0].SubscriptionID == "")
	// Output:
	// 1 failed
	// chat.message.sent webhooks are not enabled for app
	// true created true
}

// Replicas of a program share Sync's markers (in production a kickredis.SyncStore on their
// Redis): against a listing that never shows a new subscription, the first Sync creates the
// event's subscription and every later one, in any replica, finds its marker and leaves it
// pending instead of creating another.
func ExampleWithSyncStore() {
	fake := kicktest.MustNewServer(kicktest.WithWebhookURL("https://bot.example/kick/webhook"))
	defer fake.Close()
	fake.SetListingLag(-1) // Kick's listing never shows a new subscription
	markers := kick.NewMemorySyncStore()
	replicas := []*kick.Client{
		fake.MustClient(kicktest.Streamer.UserID, kick.WithSyncStore(markers)),
		fake.MustClient(kicktest.Streamer.UserID, kick.WithSyncStore(markers)),
	}
	p := kick.EventSyncParams{
		BroadcasterUserID: kicktest.Streamer.UserID,
		Events:            []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}},
		ConfirmAttempts:   -1, // no re-listing: it would not show it
	}
	for _, c := range append(replicas, replicas...) {
		results, err := c.Events.Sync(context.Background(), p)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(results[0].Type, results[0].Action)
	}
	fmt.Println(len(fake.EventSubscriptions(kicktest.Streamer.UserID)), "subscription")
	// Output:
	// chat.message.sent created
	// chat.message.sent pending
	// chat.message.sent pending
	// chat.message.sent pending
	// 1 subscription
}
