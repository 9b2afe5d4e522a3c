package relay_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// The whole loop on one machine: kicktest stands in for Kick, a relay with the embedded store
// owns the webhook URL and keeps the app's subscriptions, and a consumer with no public URL runs
// the same OnChatMessageSent as a webhook server would.
func Example() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	k := kicktest.MustNewServer() // Kick
	defer k.Close()

	// The relay, on a machine with a public URL.
	dir, _ := os.MkdirTemp("", "relay-example")
	defer func() { _ = os.RemoveAll(dir) }()
	log, err := relay.OpenBolt(filepath.Join(dir, "relay.db"), relay.BoltOptions{})
	if err != nil {
		panic(err)
	}
	defer func() { _ = log.Close() }()
	tokens := relay.NewMemoryTokens()
	verifier, _ := kicktest.Verifier() // in production: Kick's key, the default
	app, _ := kick.NewClient(kick.WithAPIBaseURL(k.APIBaseURL), kick.WithOAuthBaseURL(k.OAuthBaseURL), kick.WithAppTokenSource(k.AppTokenSource()))
	srv, err := relay.NewServer(log, tokens,
		relay.WithWebhookOptions(webhook.WithVerifier(verifier)),
		relay.WithSubscriptions(relay.SyncOptions{Client: app}),
		relay.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		panic(err)
	}
	defer func() { _ = srv.Close() }()
	public := httptest.NewServer(srv)
	defer public.Close()
	k.SetWebhookURL(public.URL + relay.DefaultWebhookPath) // the app's webhook URL

	// A token for a laptop: the streamer's chat. The relay subscribes the app to it.
	token, _, err := relay.CreateToken(ctx, tokens, relay.Grant{Name: "laptop",
		Broadcasters: []int64{kicktest.Streamer.UserID}, Types: []kick.EventType{kick.EventChatMessageSent}})
	if err != nil {
		panic(err)
	}
	if _, err := srv.SyncSubscriptions(ctx, false); err != nil { // the relay does it every minute
		panic(err)
	}

	k.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "hello from Kick")

	// The consumer, on the laptop.
	h, _ := webhook.NewHandler()
	h.OnChatMessageSent(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChatMessageSent) error {
		fmt.Printf("%s: %s\n", e.Sender.Username, e.Content)
		cancel()
		return nil
	})
	err = relay.Run(ctx, public.URL+relay.DefaultEventsPath, token, relay.Filter{}, h, relay.WithStart(relay.ID{}))
	fmt.Println("Run:", err)
	// Output:
	// kickgo_viewer: hello from Kick
	// Run: <nil>
}
