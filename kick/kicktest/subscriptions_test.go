package kicktest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// listed returns the ids the API lists, all channels.
func listed(t *testing.T, c *kick.Client) []string {
	t.Helper()
	subs, err := c.Events.List(ctx(t), kick.EventListParams{})
	if err != nil {
		t.Fatal(err)
	}
	return ids(subs)
}

func ids(subs []kick.EventSubscription) []string {
	out := []string{}
	for _, s := range subs {
		out = append(out, s.ID)
	}
	return out
}

// SetListingLag leaves a new subscription out of the next n listings, whatever their filter, and
// only the listing: EventSubscriptions shows it, deliveries reach it, it can be deleted.
func TestSetListingLag(t *testing.T) {
	t.Parallel()
	got := make(chan string, 4)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("Kick-Event-Subscription-Id")
	}))
	defer app.Close()
	s := kicktest.New(t, kicktest.WithWebhookURL(app.URL))
	c := client(t, s, kicktest.Streamer.UserID)
	old, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventChannelFollowed)
	if err != nil {
		t.Fatal(err)
	}
	s.SetListingLag(2)
	fresh, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventChatMessageSent)
	if err != nil {
		t.Fatal(err)
	}
	oldID, freshID := old[0].SubscriptionID, fresh[0].SubscriptionID
	if diff := cmp.Diff([]string{oldID}, listed(t, c)); diff != "" {
		t.Errorf("first listing (-want +got):\n%s", diff)
	}
	filtered, err := c.Events.List(ctx(t), kick.EventListParams{BroadcasterUserID: kicktest.Streamer.UserID})
	if err != nil || len(filtered) != 1 {
		t.Errorf("second (filtered) listing: %+v %v", filtered, err)
	}
	if diff := cmp.Diff([]string{oldID, freshID}, listed(t, c)); diff != "" {
		t.Errorf("third listing (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{oldID, freshID}, ids(s.EventSubscriptions(kicktest.Streamer.UserID))); diff != "" {
		t.Errorf("EventSubscriptions (-want +got):\n%s", diff)
	}

	// Never listed, but delivered to and deletable.
	s.SetListingLag(-1)
	hidden, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventKicksGifted)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if diff := cmp.Diff([]string{oldID, freshID}, listed(t, c)); diff != "" {
			t.Errorf("with lag -1 (-want +got):\n%s", diff)
		}
	}
	s.GiftKicks(kicktest.Viewer.UserID, kicktest.Streamer.UserID, 100, "gg")
	if err := s.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if id := <-got; id != hidden[0].SubscriptionID {
		t.Errorf("delivered for %q, want the unlisted subscription", id)
	}
	if err := c.Events.Unsubscribe(ctx(t), []string{hidden[0].SubscriptionID}); err != nil {
		t.Fatal(err)
	}
	if n := len(s.EventSubscriptions(0)); n != 2 {
		t.Errorf("%d subscriptions after deleting the unlisted one, want 2", n)
	}
	if n := len(s.EventSubscriptions(24871935)); n != 0 {
		t.Errorf("another channel has %d", n)
	}
	noViolations(t, s)
}

// DisableWebhooks drops every subscription, as Kick does, and subscribing fails until a URL is set.
func TestDisableWebhooks(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t, kicktest.WithWebhookURL("http://127.0.0.1:9/kick/webhook"))
	c := client(t, s, kicktest.Streamer.UserID)
	if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Events.SubscribeTo(ctx(t), 24871935, kick.EventChatMessageSent); err != nil {
		t.Fatal(err)
	}
	s.SetListingLag(-1)
	if _, err := c.Events.SubscribeTo(ctx(t), 24871935, kick.EventChannelFollowed); err != nil {
		t.Fatal(err)
	}
	s.DisableWebhooks()
	s.SetListingLag(0)
	if got := s.EventSubscriptions(0); len(got) != 0 || len(listed(t, c)) != 0 || s.App.WebhookURL != "" {
		t.Fatalf("after DisableWebhooks: %d held, %v listed, URL %q", len(got), listed(t, c), s.App.WebhookURL)
	}
	_, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventChatMessageSent)
	var se *kick.SubscriptionError
	if !errors.As(err, &se) || se.Message != "webhooks are not enabled for app" {
		t.Errorf("subscribing with webhooks off: %v", err)
	}
	s.SetWebhookURL("http://127.0.0.1:9/kick/webhook")
	if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventChatMessageSent); err != nil {
		t.Errorf("after SetWebhookURL: %v", err)
	}
	if n := len(listed(t, c)); n != 1 {
		t.Errorf("%d listed, want only the new one", n)
	}
}

// The helpers for code without a testing.TB: a server, a client, token sources that go through
// the OAuth server, and a webhook handler that trusts kicktest's key.
func TestStandaloneHelpers(t *testing.T) {
	t.Parallel()
	s := kicktest.MustNewServer(kicktest.WithSpecViolationHandler(func(err error) { t.Errorf("kicktest: %v", err) }))
	defer s.Close()
	me, err := s.MustClient(kicktest.Viewer.UserID).Users.Me(ctx(t))
	if err != nil || me.UserID != kicktest.Viewer.UserID {
		t.Errorf("MustClient: %+v %v", me, err)
	}

	client, err := kick.NewClient(kick.WithAPIBaseURL(s.APIBaseURL), kick.WithOAuthBaseURL(s.OAuthBaseURL),
		kick.WithUserTokenSource(s.UserTokenSource(kicktest.Moderator.UserID, kick.ScopeUserRead)),
		kick.WithAppTokenSource(s.AppTokenSource()))
	if err != nil {
		t.Fatal(err)
	}
	if me, err := client.Users.Me(ctx(t)); err != nil || me.UserID != kicktest.Moderator.UserID {
		t.Errorf("UserTokenSource: %+v %v", me, err)
	}
	if _, err := client.Users.Get(ctx(t), []int64{1001}, kick.WithTokenKind(kick.TokenKindApp)); err != nil {
		t.Errorf("AppTokenSource: %v", err)
	}
	if n := s.Requests("requestToken"); n != 1 {
		t.Errorf("the app token source asked the token endpoint %d times, want 1", n)
	}
	// The token source's tokens say what they were granted: the client refuses the call itself.
	if _, err := client.Chat.Send(ctx(t), kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "hi"}); !errors.Is(err, kick.ErrMissingScope) {
		t.Errorf("a user token with user:read only sent a chat message: %v", err)
	}

	// Whatever the server's clock, a token's Expiry is on the caller's, as a client computes it
	// from expires_in: a server three hours behind issues tokens that x/oauth2 (which checks
	// Expiry against time.Now) takes as good for two hours, and uses without a refresh.
	aged := kicktest.MustNewServer(kicktest.WithClock(func() time.Time { return time.Now().Add(-3 * time.Hour) }))
	defer aged.Close()
	if left := time.Until(aged.UserToken(kicktest.Viewer.UserID).Expiry); left < 119*time.Minute || left > 2*time.Hour {
		t.Errorf("a user token of a server 3 hours behind expires in %v, want 2h", left)
	}
	if left := time.Until(aged.AppToken().Expiry); left < 60*24*time.Hour-time.Minute || left > 60*24*time.Hour {
		t.Errorf("an app token of a server 3 hours behind expires in %v, want 60 days", left)
	}
	agedClient, err := kick.NewClient(kick.WithAPIBaseURL(aged.APIBaseURL), kick.WithUserTokenSource(aged.UserTokenSource(kicktest.Viewer.UserID)))
	if err != nil {
		t.Fatal(err)
	}
	if me, err := agedClient.Users.Me(ctx(t)); err != nil || me.UserID != kicktest.Viewer.UserID {
		t.Errorf("UserTokenSource of a server 3 hours behind: %+v %v", me, err)
	}
	if n := aged.Requests("requestToken"); n != 0 {
		t.Errorf("%d token requests for a fresh token, want none", n)
	}
	// A token expired on the caller's clock is refreshed through the fake's token endpoint.
	expired := aged.UserToken(kicktest.Viewer.UserID)
	expired.Expiry = time.Now().Add(-time.Minute)
	refreshed, err := kick.NewClient(kick.WithAPIBaseURL(aged.APIBaseURL),
		kick.WithUserTokenSource(aged.OAuthConfig("").TokenSource(ctx(t), expired)))
	if err != nil {
		t.Fatal(err)
	}
	if me, err := refreshed.Users.Me(ctx(t)); err != nil || me.UserID != kicktest.Viewer.UserID {
		t.Errorf("after a refresh: %+v %v", me, err)
	}
	if n := aged.Requests("requestToken"); n != 1 {
		t.Errorf("%d token requests, want the refresh", n)
	}

	if _, err := kicktest.NewHandler(nil); err == nil {
		t.Error("NewHandler(nil) succeeded")
	}
	if _, err := kicktest.Verifier(webhook.WithTolerance(-1)); err == nil {
		t.Error("Verifier with a bad option succeeded")
	}
}

func TestMustPanics(t *testing.T) {
	t.Parallel()
	busy := kicktest.New(t)
	addr := busy.APIBaseURL[len("http://"):]
	func() {
		defer func() {
			if recover() == nil {
				t.Error("MustNewServer on a busy address did not panic")
			}
		}()
		kicktest.MustNewServer(kicktest.WithAddrs(addr, ""))
	}()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("MustClient with a bad option did not panic")
			}
		}()
		busy.MustClient(kicktest.Viewer.UserID, kick.WithAPIBaseURL("::"))
	}()
}

// A handler of NewHandler accepts the fake's deliveries; webhook.NewHandler() refuses them with
// 403, and its default error hook says why.
func TestNewHandlerTrustsTheFake(t *testing.T) {
	t.Parallel()
	follows := make(chan string, 1)
	h, err := kicktest.NewHandler()
	if err != nil {
		t.Fatal(err)
	}
	h.OnChannelFollowed(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChannelFollowed) error {
		follows <- e.Follower.Username
		return nil
	})
	app := httptest.NewServer(h)
	defer app.Close()
	kickOnly, err := webhook.NewHandler(webhook.WithErrorHook(func(*http.Request, *webhook.Delivery, error) {}))
	if err != nil {
		t.Fatal(err)
	}
	other := httptest.NewServer(kickOnly)
	defer other.Close()

	s := kicktest.New(t, kicktest.WithWebhookURL(app.URL))
	c := client(t, s, kicktest.Streamer.UserID)
	if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventChannelFollowed); err != nil {
		t.Fatal(err)
	}
	s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
	if err := s.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if got := <-follows; got != "kickgo_viewer" {
		t.Errorf("follower %q", got)
	}
	s.SetWebhookURL(other.URL)
	s.Follow(kicktest.Moderator.UserID, kicktest.Streamer.UserID)
	if err := s.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
	d := s.Deliveries()
	if last := d[len(d)-1]; last.StatusCode != http.StatusForbidden {
		t.Errorf("webhook.NewHandler() answered the fake %d, want 403", last.StatusCode)
	}
}
