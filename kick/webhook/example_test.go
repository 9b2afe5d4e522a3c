package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// A chat bot's endpoint, with the fake Kick of package kicktest playing Kick: it delivers a
// chat message, signed with its key, to the bot's server. In production the handler is
// webhook.NewHandler(), which trusts Kick's published key; kicktest.NewHandler() is the same
// handler trusting kicktest's key instead (webhook.NewHandler() would answer kicktest 403, and log
// why).
//
// The server sets its timeouts: ReadHeaderTimeout bounds the headers, which the handler cannot;
// ReadTimeout the whole request (the handler bounds the body itself as well, see
// WithBodyReadTimeout); IdleTimeout the time a kept-alive connection may sit unused.
func Example() {
	h, err := kicktest.NewHandler() // in production: webhook.NewHandler()
	if err != nil {
		log.Fatal(err)
	}
	h.OnChatMessageSent(func(ctx context.Context, d *webhook.Delivery, e *webhook.ChatMessageSent) error {
		fmt.Printf("%s in %s's chat: %s\n", e.Sender.Username, e.Broadcaster.Username, e.Content)
		return nil
	})
	mux := http.NewServeMux()
	mux.Handle("POST /kick/webhook", h)
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0") // in production: srv.ListenAndServe() on Kick's webhook URL
	if err != nil {
		log.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }()

	// The fake Kick, with the server as the app's webhook URL; the app subscribes to the chat.
	fake := kicktest.MustNewServer(kicktest.WithWebhookURL("http://" + ln.Addr().String() + "/kick/webhook"))
	defer fake.Close()
	ctx := context.Background()
	client := fake.MustClient(kicktest.Streamer.UserID)
	if _, err := client.Events.Sync(ctx, kick.EventSyncParams{
		BroadcasterUserID: kicktest.Streamer.UserID,
		Events:            []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}},
	}); err != nil {
		log.Fatal(err)
	}
	fake.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "hello")
	if err := fake.Flush(ctx); err != nil { // waits for the delivery
		log.Fatal(err)
	}
	for _, d := range fake.Deliveries() {
		fmt.Println(d.Type, d.StatusCode)
	}
	// Output:
	// kickgo_viewer in kickgo_streamer's chat: hello
	// chat.message.sent 200
}

// A test of the handler alone: a webhooktest.Signer plays Kick and signs deliveries with a key of
// its own, which the verifier trusts. The same delivery posted twice is processed once: the
// second time, a duplicate, it is acknowledged and not processed again.
func Example_signer() {
	kickStandIn, err := webhooktest.NewSigner()
	if err != nil {
		log.Fatal(err)
	}
	verifier, err := webhook.NewVerifier(webhook.WithPublicKey(kickStandIn.PublicKey()))
	if err != nil {
		log.Fatal(err)
	}
	h, err := webhook.NewHandler(
		webhook.WithVerifier(verifier),
		webhook.WithErrorHook(func(r *http.Request, d *webhook.Delivery, err error) {
			log.Printf("kick webhook from %s: %v", r.RemoteAddr, err)
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	h.OnChatMessageSent(func(ctx context.Context, d *webhook.Delivery, e *webhook.ChatMessageSent) error {
		fmt.Printf("%s in %s's chat: %s\n", e.Sender.Username, e.Broadcaster.Username, e.Content)
		return nil
	})
	mux := http.NewServeMux()
	mux.Handle("POST /kick/webhook", h)
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0") // in production: srv.ListenAndServe() on Kick's webhook URL
	if err != nil {
		log.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }()

	body := []byte(`{"message_id":"6f0c4e1a-7d2b-4c1e-9a8f-3b5d2e1c0f9a",
		"broadcaster":{"is_anonymous":false,"user_id":24871935,"username":"nova_streams","is_verified":true,
			"profile_picture":"","channel_slug":"nova_streams","identity":null},
		"sender":{"is_anonymous":false,"user_id":9183746,"username":"pixelpanda","is_verified":false,
			"profile_picture":"","channel_slug":"pixelpanda","identity":{"username_color":"#FF5733","badges":[]}},
		"content":"hello","emotes":[],"created_at":"2025-07-22T10:00:00Z"}`)
	d := webhooktest.NewDelivery(kick.EventChatMessageSent, body)
	for range 2 { // the second time, a duplicate: acknowledged, not processed again
		resp, err := kickStandIn.Post(context.Background(), nil, "http://"+ln.Addr().String()+"/kick/webhook", d)
		if err != nil {
			log.Fatal(err)
		}
		_ = resp.Body.Close()
		fmt.Println(resp.Status)
	}
	// Output:
	// pixelpanda in nova_streams's chat: hello
	// 200 OK
	// 200 OK
}

// Verifying a delivery without the Handler, for a server framework of your own. The body must be
// the raw bytes of the request.
func ExampleVerifier_Verify() {
	kickStandIn, err := webhooktest.NewSigner()
	if err != nil {
		log.Fatal(err)
	}
	v, err := webhook.NewVerifier(webhook.WithPublicKey(kickStandIn.PublicKey()))
	if err != nil {
		log.Fatal(err)
	}
	body := []byte(`{"broadcaster":{"is_anonymous":false,"user_id":24871935,"username":"nova_streams","is_verified":true,
			"profile_picture":"","channel_slug":"nova_streams","identity":null},
		"follower":{"is_anonymous":false,"user_id":51724903,"username":"lunakai","is_verified":false,
			"profile_picture":"","channel_slug":"lunakai","identity":null}}`)
	header := kickStandIn.Headers(webhooktest.NewDelivery(kick.EventChannelFollowed, body))

	d, err := v.Verify(context.Background(), header, body)
	if err != nil {
		log.Fatal(err)
	}
	e, err := d.Event()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Type, e.(*webhook.ChannelFollowed).Follower.Username)

	forged := []byte(strings.Replace(string(body), "lunakai", "mallory", 1))
	_, err = v.Verify(context.Background(), header, forged)
	fmt.Println(errors.Is(err, webhook.ErrSignatureMismatch))
	// Output:
	// channel.followed lunakai
	// true
}

// Passthrough mode hands verified, deduplicated deliveries to a queue undecoded; a worker decodes
// them later.
func ExampleWithPassthrough() {
	kickStandIn, err := webhooktest.NewSigner()
	if err != nil {
		log.Fatal(err)
	}
	verifier, err := webhook.NewVerifier(webhook.WithPublicKey(kickStandIn.PublicKey()))
	if err != nil {
		log.Fatal(err)
	}
	queue := make(chan *webhook.Delivery, 100)
	h, err := webhook.NewHandler(webhook.WithVerifier(verifier), webhook.WithPassthrough(
		func(ctx context.Context, d *webhook.Delivery) error {
			select {
			case queue <- d:
				return nil
			default:
				return errors.New("queue full") // 500: Kick retries later
			}
		}))
	if err != nil {
		log.Fatal(err)
	}

	body := []byte(`{"broadcaster":{"user_id":24871935,"username":"nova_streams","is_verified":true,"profile_picture":"","channel_slug":"nova_streams"},
		"sender":{"user_id":9183746,"username":"pixelpanda","is_verified":false,"profile_picture":"","channel_slug":"pixelpanda"},
		"gift":{"amount":500,"name":"Rage Quit","type":"LEVEL_UP","tier":"MID","message":"gg"},"created_at":"2025-10-20T04:00:08.634Z"}`)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, kickStandIn.NewRequest("/kick/webhook", webhooktest.NewDelivery(kick.EventKicksGifted, body)))
	fmt.Println(w.Code)

	// The worker.
	d := <-queue
	e, err := d.Event()
	if err != nil {
		log.Fatal(err)
	}
	gift := e.(*webhook.KicksGifted)
	fmt.Printf("%s gifted %d KICKs: %q\n", gift.Sender.Username, gift.Gift.Amount, gift.Gift.Message)
	// Output:
	// 200
	// pixelpanda gifted 500 KICKs: "gg"
}

// A key source that follows Kick's key rotation: it starts with Kick's published key and fetches
// the current one when a signature does not verify. With the kick package's client the fetch
// function is client.PublicKey.Get.
func ExampleNewFetchingKeySource() {
	rotated, err := webhooktest.NewSigner() // Kick after a key rotation
	if err != nil {
		log.Fatal(err)
	}
	fetches := 0
	src, err := webhook.NewFetchingKeySource(func(ctx context.Context) (string, error) {
		fetches++ // GET /public/v1/public-key
		return rotated.PublicKeyPEM(), nil
	})
	if err != nil {
		log.Fatal(err)
	}
	v, err := webhook.NewVerifier(webhook.WithKeySource(src))
	if err != nil {
		log.Fatal(err)
	}
	for range 3 {
		d := webhooktest.NewDelivery(kick.EventChannelFollowed, []byte(`{"follower":{"user_id":1}}`))
		if _, err := v.Verify(context.Background(), rotated.Headers(d), d.Body); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("verified 3 deliveries with", fetches, "fetch")
	// Output:
	// verified 3 deliveries with 1 fetch
}

// The catch-all gets event types this package does not know yet, with the raw body; Kick gets
// 200 so that it does not unsubscribe the app.
func ExampleHandler_OnDefault() {
	kickStandIn, err := webhooktest.NewSigner()
	if err != nil {
		log.Fatal(err)
	}
	verifier, err := webhook.NewVerifier(webhook.WithPublicKey(kickStandIn.PublicKey()))
	if err != nil {
		log.Fatal(err)
	}
	h, err := webhook.NewHandler(webhook.WithVerifier(verifier))
	if err != nil {
		log.Fatal(err)
	}
	h.OnDefault(func(ctx context.Context, d *webhook.Delivery, e webhook.Event) error {
		if u, ok := e.(*webhook.UnknownEvent); ok {
			fmt.Printf("new event %s v%d: %s\n", u.Type, u.Version, u.Raw)
		}
		return nil
	})
	w := httptest.NewRecorder()
	d := webhooktest.NewDelivery("channel.raided", []byte(`{"viewers":250}`))
	h.ServeHTTP(w, kickStandIn.NewRequest("/kick/webhook", d))
	fmt.Println(w.Code)
	// Output:
	// new event channel.raided v1: {"viewers":250}
	// 200
}

// Decoding is tolerant of what Kick actually sends: here an emote id as a number, a null
// is_verified, no identity, no created_at and a category under a capitalised key. A payload that
// lacks a key that identifies its type does not decode: it may be another event relabelled,
// since Kick does not sign the type.
func ExampleDecode() {
	user := `{"is_anonymous":false,"user_id":24871935,"username":"nova_streams","is_verified":null,
		"profile_picture":"","channel_slug":"nova_streams"}`
	e, err := webhook.Decode(kick.EventChatMessageSent, 1, []byte(`{"message_id":"6f0c4e1a-7d2b-4c1e-9a8f-3b5d2e1c0f9a",
		"broadcaster":`+user+`,"sender":`+user+`,"content":"[emote:37226:KEKW]",
		"emotes":[{"emote_id":37226,"positions":[{"s":0,"e":17}]}]}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.(*webhook.ChatMessageSent).Emotes[0].ID)

	e, err = webhook.Decode(kick.EventLivestreamMetadataUpdated, 1, []byte(`{"broadcaster":`+user+`,
		"metadata":{"title":"chill","language":"en","has_mature_content":false,
			"Category":{"id":15,"name":"Just Chatting","thumbnail":""}}}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.(*webhook.LivestreamMetadataUpdated).Metadata.Category.Name)

	_, err = webhook.Decode(kick.EventChannelFollowed, 1, []byte(`{"broadcaster":`+user+`,"sender":`+user+`}`))
	fmt.Println(errors.Is(err, webhook.ErrMissingField), err)
	// Output:
	// 37226
	// Just Chatting
	// true webhook: payload does not decode: channel.followed version 1: webhook: identifying field missing: follower
}
