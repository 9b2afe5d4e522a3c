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
// closes it at the end; an example has no t, so it uses NewServer and Close.
func Example() {
	s, err := kicktest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	client, err := s.Client(kicktest.Viewer.UserID)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// The code under test chats in Streamer's channel...
	if _, err := client.Chat.Send(ctx, kick.ChatMessage{
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

// A webhook handler receives the events kicktest delivers, signed with its key.
func Example_webhook() {
	key, err := webhook.ParsePublicKeyPEM([]byte(kicktest.PublicKeyPEM()))
	if err != nil {
		log.Fatal(err)
	}
	verifier, err := webhook.NewVerifier(webhook.WithPublicKey(key))
	if err != nil {
		log.Fatal(err)
	}
	h, err := webhook.NewHandler(webhook.WithVerifier(verifier))
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

	s, err := kicktest.NewServer(kicktest.WithWebhookURL(app.URL))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	client, err := s.Client(kicktest.Streamer.UserID)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Events.SubscribeTo(context.Background(), kicktest.Streamer.UserID, kick.EventChannelFollowed); err != nil {
		log.Fatal(err)
	}
	s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
	fmt.Println(<-follows)
	// Output:
	// kickgo_viewer followed kickgo-streamer
}

// Faults test a client's retries: two 503s, then the real answer.
func ExampleServer_Fault() {
	s, err := kicktest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	s.Fault("getLivestreamStats", kicktest.Fault{StatusCode: 503, Times: 2})
	client, err := s.Client(kicktest.Viewer.UserID, kick.WithRetryPolicy(kick.RetryPolicy{
		MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond,
	}))
	if err != nil {
		log.Fatal(err)
	}
	stats, err := client.Livestreams.Stats(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stats.TotalCount, "live streams after", s.Requests("getLivestreamStats"), "requests")
	// Output:
	// 5 live streams after 3 requests
}
