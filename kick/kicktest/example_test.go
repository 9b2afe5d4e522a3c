package kicktest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// A test of code that uses the kick client: in a test, kicktest.New(t) starts the server and
// closes it at the end; an example or a program has no t, so it uses MustNewServer and Close.
func Example() {
	s := kicktest.MustNewServer()
	defer s.Close()
	client := s.MustClient(kicktest.Viewer.UserID)
	ctx := context.Background()

	// The code under test chats in Streamer's channel...
	if _, err := client.Chat.Send(ctx, kick.ChatSendParams{
		Type:              kick.ChatMessageUser,
		BroadcasterUserID: kicktest.Streamer.UserID,
		Content:           "gg [emote:37226:KEKW]",
	}); err != nil {
		log.Fatal(err)
	}
	// ...and the test checks what Kick now holds.
	for _, m := range s.Messages(kicktest.Streamer.UserID) {
		fmt.Println(m.SenderUserID == kicktest.Viewer.UserID, m.Content)
	}

	// The seed data is there to read.
	channels, err := client.Channels.GetBySlug(ctx, []string{"nova-streams"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(channels[0].Category.Name, channels[0].Stream.IsLive)

	// A request that breaks the spec is answered 400, naming the violation.
	_, err = client.Categories.List(ctx, kick.CategoryListParams{Cursor: "x"})
	fmt.Println(errors.Is(err, kick.ErrBadRequest))
	var v *kicktest.SpecViolation
	if errors.As(s.Violations()[0], &v) {
		fmt.Println(v.Message)
	}
	// Output:
	// true gg [emote:37226:KEKW]
	// Rust true
	// true
	// parameter "cursor" in query: minimum string length is 4
}

// A webhook handler receives the events kicktest delivers, signed with its key: NewHandler is the
// handler of package webhook trusting that key instead of Kick's.
func Example_webhook() {
	h, err := kicktest.NewHandler()
	if err != nil {
		log.Fatal(err)
	}
	follows := make(chan string, 1)
	h.OnChannelFollowed(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChannelFollowed) error {
		follows <- e.Follower.Username + " followed " + e.Broadcaster.ChannelSlug
		return nil
	})
	app := httptest.NewServer(h)
	defer app.Close()

	s := kicktest.MustNewServer(kicktest.WithWebhookURL(app.URL))
	defer s.Close()
	client := s.MustClient(kicktest.Streamer.UserID)
	if _, err := client.Events.SubscribeTo(context.Background(), kicktest.Streamer.UserID, kick.EventChannelFollowed); err != nil {
		log.Fatal(err)
	}
	s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
	fmt.Println(<-follows)
	// Output:
	// kickgo_viewer followed kickgo-streamer
}

// Kick's listing of event subscriptions is known to lag behind a subscription just created;
// SetListingLag reproduces it, and DisableWebhooks Kick dropping every subscription when the
// app's webhooks are turned off. Events.Sync copes with both.
func ExampleServer_SetListingLag() {
	s := kicktest.MustNewServer(kicktest.WithWebhookURL("https://bot.example/kick/webhook"))
	defer s.Close()
	s.SetListingLag(2) // a new subscription is missing from the next 2 listings
	client := s.MustClient(kicktest.Streamer.UserID)
	ctx := context.Background()
	p := kick.EventSyncParams{
		BroadcasterUserID: kicktest.Streamer.UserID,
		Events:            []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}},
		ConfirmWait:       time.Millisecond,
	}
	results, err := client.Events.Sync(ctx, p)
	if err != nil {
		log.Fatal(err)
	}
	// One listing to plan, two that lag, one that shows it; created once.
	fmt.Println(results[0].Action, results[0].Confirmed, s.Requests("listEventSubscriptions"), len(s.EventSubscriptions(0)))

	s.DisableWebhooks()
	_, err = client.Events.Sync(ctx, p)
	fmt.Println(len(s.EventSubscriptions(0)), errors.Is(err, kick.ErrSubscriptionFailed))
	// Output:
	// created true 4 1
	// 0 true
}

// Faults test a client's retries: two 503s, then the real answer.
func ExampleServer_Fault() {
	s := kicktest.MustNewServer()
	defer s.Close()
	s.Fault("getLivestreamStats", kicktest.Fault{StatusCode: 503, Times: 2})
	client := s.MustClient(kicktest.Viewer.UserID, kick.WithRetryPolicy(kick.RetryPolicy{
		MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond,
	}))
	stats, err := client.Livestreams.Stats(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stats.TotalCount, "live streams after", s.Requests("getLivestreamStats"), "requests")
	// Output:
	// 5 live streams after 3 requests
}
