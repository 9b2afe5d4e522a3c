package relay_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// kicktestRelay is a relay in front of kicktest, the fake Kick: kicktest posts its deliveries to
// the relay's webhook URL, and the relay syncs the app's subscriptions on kicktest.
func kicktestRelay(t *testing.T, sync relay.SyncOptions) (*kicktest.Server, *relay.Server, string, *relay.MemoryTokens) {
	t.Helper()
	k := kicktest.New(t)
	v, err := kicktest.Verifier()
	if err != nil {
		t.Fatal(err)
	}
	l := openBolt(t, filepath.Join(t.TempDir(), "relay.db"), relay.BoltOptions{})
	tokens := relay.NewMemoryTokens()
	if sync.Client == nil {
		c, err := kick.NewClient(kick.WithAPIBaseURL(k.APIBaseURL), kick.WithOAuthBaseURL(k.OAuthBaseURL), kick.WithAppTokenSource(k.AppTokenSource()))
		if err != nil {
			t.Fatal(err)
		}
		sync.Client = c
	}
	srv, err := relay.NewServer(l, tokens, relay.WithWebhookOptions(webhook.WithVerifier(v)), relay.WithSubscriptions(sync),
		relay.WithLogger(discardLogger()))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		_ = srv.Close()
	})
	k.SetWebhookURL(hs.URL + relay.DefaultWebhookPath)
	return k, srv, hs.URL + relay.DefaultEventsPath, tokens
}

func subscribedTypes(k *kicktest.Server, broadcaster int64) []kick.EventType {
	var out []kick.EventType
	for _, s := range k.EventSubscriptions(broadcaster) {
		out = append(out, s.Type)
	}
	slices.Sort(out)
	return out
}

// The whole loop on kicktest: a token for Streamer's chat makes the relay subscribe the app to
// chat.message.sent for Streamer (Events.Sync), a chat message sent on the fake Kick is delivered
// to the relay, and the consumer's OnChatMessageSent, registered on a webhook.Handler as a webhook
// server would, gets it through relay.Run.
func TestKicktestLoopWithRun(t *testing.T) {
	t.Parallel()
	k, srv, eventsURL, tokens := kicktestRelay(t, relay.SyncOptions{})
	tok, _, err := relay.CreateToken(context.Background(), tokens, relay.Grant{Name: "bot", Broadcasters: []int64{kicktest.Streamer.UserID},
		Types: []kick.EventType{kick.EventChatMessageSent}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.SyncSubscriptions(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]kick.EventType{kick.EventChatMessageSent}, subscribedTypes(k, kicktest.Streamer.UserID)); diff != "" {
		t.Fatalf("subscriptions (-want +got):\n%s", diff)
	}

	h, err := webhook.NewHandler()
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *webhook.ChatMessageSent, 10)
	h.OnChatMessageSent(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChatMessageSent) error {
		got <- e
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- relay.Run(ctx, eventsURL, tok, relay.Filter{}, h, relay.WithStart(relay.ID{}))
	}()
	k.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "hello through the relay")
	select {
	case e := <-got:
		if e.Content != "hello through the relay" || e.Broadcaster.UserID != kicktest.Streamer.UserID {
			t.Errorf("got %q in %d", e.Content, e.Broadcaster.UserID)
		}
	case <-time.After(time.Minute):
		t.Fatal("no chat message")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// The relay keeps one subscription set for all its tokens: the union of what they need per
// channel, each event once; with DeleteStrays, a revoked token's subscriptions go.
func TestSyncSubscriptionsFollowTokens(t *testing.T) {
	t.Parallel()
	k, srv, _, tokens := kicktestRelay(t, relay.SyncOptions{DeleteStrays: true, Interval: time.Hour})
	ctx := context.Background()
	streamer, nova := kicktest.Streamer.UserID, int64(0)
	for _, u := range k.Users() {
		if u.Username == "nova_streams" {
			nova = u.UserID
		}
	}
	_, a, _ := relay.CreateToken(ctx, tokens, relay.Grant{Broadcasters: []int64{streamer}, Types: []kick.EventType{kick.EventChatMessageSent}})
	_, _, _ = relay.CreateToken(ctx, tokens, relay.Grant{Broadcasters: []int64{streamer, nova}, Types: []kick.EventType{kick.EventChatMessageSent, kick.EventChannelFollowed}})
	_, _, _ = relay.CreateToken(ctx, tokens, relay.Grant{AllBroadcasters: true}) // names no channel: subscribes nothing
	if _, err := srv.SyncSubscriptions(ctx, false); err != nil {
		t.Fatal(err)
	}
	want := []kick.EventType{kick.EventChannelFollowed, kick.EventChatMessageSent}
	for _, b := range []int64{streamer, nova} {
		if diff := cmp.Diff(want, subscribedTypes(k, b)); diff != "" {
			t.Errorf("broadcaster %d (-want +got):\n%s", b, diff)
		}
	}
	// Nothing changed: no call to Kick.
	before := k.Requests("listEventSubscriptions")
	if _, err := srv.SyncSubscriptions(ctx, false); err != nil {
		t.Fatal(err)
	}
	if after := k.Requests("listEventSubscriptions"); after != before {
		t.Errorf("an unchanged round listed subscriptions %d times", after-before)
	}
	list, _ := tokens.List(ctx)
	for _, g := range list {
		if g.ID != a.ID {
			if err := tokens.Revoke(ctx, g.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := srv.SyncSubscriptions(ctx, false); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]kick.EventType{kick.EventChatMessageSent}, subscribedTypes(k, streamer)); diff != "" {
		t.Errorf("streamer after revoking (-want +got):\n%s", diff)
	}
	if got := subscribedTypes(k, nova); len(got) != 0 {
		t.Errorf("nova after revoking: %v", got)
	}
}

// With a Lock held by another relay, a relay does not sync.
func TestSyncOnlyWithTheLock(t *testing.T) {
	t.Parallel()
	k, srv, _, tokens := kicktestRelay(t, relay.SyncOptions{Lock: lockHeldElsewhere{}, Interval: time.Hour})
	ctx := context.Background()
	_, _, _ = relay.CreateToken(ctx, tokens, relay.Grant{Broadcasters: []int64{kicktest.Streamer.UserID}})
	res, err := srv.SyncSubscriptions(ctx, true)
	if err != nil || res != nil {
		t.Fatalf("SyncSubscriptions = %v, %v", res, err)
	}
	if got := subscribedTypes(k, kicktest.Streamer.UserID); len(got) != 0 {
		t.Errorf("subscribed without the lock: %v", got)
	}
}

type lockHeldElsewhere struct{}

func (lockHeldElsewhere) Acquire(context.Context, time.Duration) (bool, error) { return false, nil }

// A relay started before the app can subscribe (no webhook URL yet, so Kick answers "webhooks
// are not enabled") retries its sync with a short backoff, not at the next Interval: once the
// URL is set, the subscriptions follow within seconds although Interval is an hour.
func TestFailedSyncRetriedBeforeTheInterval(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := kicktest.New(t) // no webhook URL: every subscription fails
	tokens := relay.NewMemoryTokens()
	if _, _, err := relay.CreateToken(ctx, tokens, relay.Grant{Broadcasters: []int64{kicktest.Streamer.UserID},
		Types: []kick.EventType{kick.EventChatMessageSent}}); err != nil {
		t.Fatal(err)
	}
	c, err := kick.NewClient(kick.WithAPIBaseURL(k.APIBaseURL), kick.WithOAuthBaseURL(k.OAuthBaseURL), kick.WithAppTokenSource(k.AppTokenSource()))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := relay.NewServer(openBolt(t, filepath.Join(t.TempDir(), "relay.db"), relay.BoltOptions{}), tokens,
		relay.WithSubscriptions(relay.SyncOptions{Client: c, Interval: time.Hour}), relay.WithLogger(discardLogger()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	deadline := time.Now().Add(30 * time.Second)
	for k.Requests("createEventSubscriptions") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the relay never tried to subscribe")
		}
		time.Sleep(10 * time.Millisecond)
	}
	k.SetWebhookURL("https://relay.example.com/kick/webhook")
	for len(subscribedTypes(k, kicktest.Streamer.UserID)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("after a failed sync, the relay waited for its Interval (an hour) to try again")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
