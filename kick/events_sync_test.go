package kick_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// nova is a seeded streamer of kicktest other than Streamer.
const nova int64 = 24871935

// chatAndFollows are the events the tests of Sync ask for.
var chatAndFollows = []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}, {Type: kick.EventChannelFollowed, Version: 1}}

// syncFake starts a fake Kick with webhooks on and a clock that ticks a second per reading, so
// that subscriptions made one after another have distinct creation times.
func syncFake(t *testing.T, opts ...kicktest.Option) *kicktest.Server {
	t.Helper()
	base := kicktest.Now().Truncate(time.Second)
	var ticks atomic.Int64
	clock := func() time.Time { return base.Add(time.Duration(ticks.Add(1)) * time.Second) }
	all := append([]kicktest.Option{kicktest.WithWebhookURL("http://127.0.0.1:9/kick/webhook"), kicktest.WithClock(clock)}, opts...)
	return kicktest.New(t, all...)
}

// quick is the re-check of the tests: the default attempts, a millisecond apart.
func quick(p kick.EventSyncParams) kick.EventSyncParams {
	p.ConfirmWait = time.Millisecond
	return p
}

// identities returns "type vN" of each subscription, as Kick holds them.
func identities(subs []kick.EventSubscription) []string {
	out := make([]string, len(subs))
	for i, s := range subs {
		out[i] = string(s.Type) + " v" + string(rune('0'+s.Version))
	}
	return out
}

func subscribe(t *testing.T, c *kick.Client, broadcaster int64, types ...kick.EventType) []string {
	t.Helper()
	results, err := c.Events.SubscribeTo(context.Background(), broadcaster, types...)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(results))
	for i, r := range results {
		ids[i] = r.SubscriptionID
	}
	return ids
}

var ignoreErr = cmpopts.IgnoreFields(kick.SyncResult{}, "Err")

// Sync creates what is missing, confirms it, and a second run, at the next start, does nothing:
// one list request and no writes.
func TestSyncCreatesOnceAndIsIdempotent(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	c := s.MustClient(kicktest.Streamer.UserID)
	p := quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows})
	results, err := c.Events.Sync(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	subs := s.EventSubscriptions(kicktest.Streamer.UserID)
	if diff := cmp.Diff([]string{"chat.message.sent v1", "channel.followed v1"}, identities(subs)); diff != "" {
		t.Fatalf("subscriptions (-want +got):\n%s", diff)
	}
	want := []kick.SyncResult{
		{Type: kick.EventChatMessageSent, Version: 1, Action: kick.SyncCreated, SubscriptionID: subs[0].ID, Confirmed: true},
		{Type: kick.EventChannelFollowed, Version: 1, Action: kick.SyncCreated, SubscriptionID: subs[1].ID, Confirmed: true},
	}
	if diff := cmp.Diff(want, results); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	if n := s.Requests("createEventSubscriptions"); n != 1 {
		t.Errorf("%d create requests, want 1 for both events", n)
	}

	lists := s.Requests("listEventSubscriptions")
	again, err := c.Events.Sync(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		want[i].Action = kick.SyncUnchanged
	}
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
	if n := s.Requests("listEventSubscriptions") - lists; n != 1 {
		t.Errorf("the second run listed %d times, want 1", n)
	}
	if s.Requests("createEventSubscriptions") != 1 || s.Requests("deleteEventSubscriptions") != 0 {
		t.Error("the second run wrote")
	}
	if got := s.EventSubscriptions(0); len(got) != 2 {
		t.Errorf("%d subscriptions after two runs, want 2", len(got))
	}
}

// Duplicates of an event, as restarts that subscribed each time left them, are deleted; the
// oldest is kept, so that every Sync, in any process, keeps the same one.
func TestSyncDeletesDuplicatesKeepingTheOldest(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	c := s.MustClient(kicktest.Streamer.UserID)
	var chats []string
	for range 3 { // three restarts of a program that subscribes at start-up
		chats = append(chats, subscribe(t, c, kicktest.Streamer.UserID, kick.EventChatMessageSent)...)
	}
	follow := subscribe(t, c, kicktest.Streamer.UserID, kick.EventChannelFollowed)
	results, err := c.Events.Sync(context.Background(), quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows}))
	if err != nil {
		t.Fatal(err)
	}
	want := []kick.SyncResult{
		{Type: kick.EventChatMessageSent, Version: 1, Action: kick.SyncDeduplicated, SubscriptionID: chats[0], Duplicates: chats[1:], Confirmed: true},
		{Type: kick.EventChannelFollowed, Version: 1, Action: kick.SyncUnchanged, SubscriptionID: follow[0], Confirmed: true},
	}
	if diff := cmp.Diff(want, results); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	var left []string
	for _, sub := range s.EventSubscriptions(0) {
		left = append(left, sub.ID)
	}
	if diff := cmp.Diff([]string{chats[0], follow[0]}, left); diff != "" {
		t.Errorf("subscriptions left (-want +got):\n%s", diff)
	}
	if n := s.Requests("createEventSubscriptions"); n != 4 {
		t.Errorf("%d create requests, want the 4 of the restarts", n)
	}
}

// Subscriptions to events not asked for are reported and left alone unless DeleteStrays; another
// version of an event is another event; other channels are never touched.
func TestSyncStrays(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	c := s.MustClient(kicktest.Streamer.UserID)
	stray := subscribe(t, c, kicktest.Streamer.UserID, kick.EventKicksGifted)
	chat := subscribe(t, c, kicktest.Streamer.UserID, kick.EventChatMessageSent)
	other := subscribe(t, c, nova, kick.EventKicksGifted)
	p := quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows[:1]})

	results, err := c.Events.Sync(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := []kick.SyncResult{
		{Type: kick.EventChatMessageSent, Version: 1, Action: kick.SyncUnchanged, SubscriptionID: chat[0], Confirmed: true},
		{Type: kick.EventKicksGifted, Version: 1, Action: kick.SyncStray, SubscriptionID: stray[0], Confirmed: true},
	}
	if diff := cmp.Diff(want, results); diff != "" {
		t.Errorf("strays kept (-want +got):\n%s", diff)
	}
	if n := s.Requests("deleteEventSubscriptions"); n != 0 {
		t.Errorf("%d delete requests without DeleteStrays", n)
	}

	p.DeleteStrays = true
	results, err = c.Events.Sync(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want[1].Action = kick.SyncDeleted
	if diff := cmp.Diff(want, results); diff != "" {
		t.Errorf("strays deleted (-want +got):\n%s", diff)
	}
	var left []string
	for _, sub := range s.EventSubscriptions(0) {
		left = append(left, sub.ID)
	}
	if diff := cmp.Diff([]string{chat[0], other[0]}, left); diff != "" {
		t.Errorf("subscriptions left (-want +got):\n%s", diff)
	}

	// No events and DeleteStrays: the channel is unsubscribed from everything.
	if _, err := c.Events.Sync(context.Background(), kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, DeleteStrays: true}); err != nil {
		t.Fatal(err)
	}
	if got := s.EventSubscriptions(kicktest.Streamer.UserID); len(got) != 0 {
		t.Errorf("left %v", identities(got))
	}
}

// A dry run lists and reports the plan, and changes nothing.
func TestSyncDryRun(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	c := s.MustClient(kicktest.Streamer.UserID)
	chats := append(subscribe(t, c, kicktest.Streamer.UserID, kick.EventChatMessageSent), subscribe(t, c, kicktest.Streamer.UserID, kick.EventChatMessageSent)...)
	stray := subscribe(t, c, kicktest.Streamer.UserID, kick.EventLivestreamStatusUpdated)
	before := s.EventSubscriptions(0)
	writes := s.Requests("createEventSubscriptions")

	results, err := c.Events.Sync(context.Background(), kick.EventSyncParams{
		BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows, DeleteStrays: true, DryRun: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []kick.SyncResult{
		{Type: kick.EventChatMessageSent, Version: 1, Action: kick.SyncDeduplicated, SubscriptionID: chats[0], Duplicates: chats[1:], Confirmed: true},
		{Type: kick.EventChannelFollowed, Version: 1, Action: kick.SyncCreated},
		{Type: kick.EventLivestreamStatusUpdated, Version: 1, Action: kick.SyncDeleted, SubscriptionID: stray[0], Confirmed: true},
	}
	if diff := cmp.Diff(want, results); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, s.EventSubscriptions(0)); diff != "" {
		t.Errorf("a dry run changed the subscriptions:\n%s", diff)
	}
	if s.Requests("createEventSubscriptions") != writes || s.Requests("deleteEventSubscriptions") != 0 {
		t.Error("a dry run wrote")
	}
}

// Kick's listing lags behind a subscription just created (KickDevDocs#419): Sync lists again
// until it shows, and never creates it a second time meanwhile.
func TestSyncLaggingListing(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	s.SetListingLag(3)
	c := s.MustClient(kicktest.Streamer.UserID)
	results, err := c.Events.Sync(context.Background(), quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows}))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Action != kick.SyncCreated || !r.Confirmed {
			t.Errorf("%+v, want created and confirmed", r)
		}
	}
	// One listing to plan, three that lag, the fourth shows them.
	if n := s.Requests("listEventSubscriptions"); n != 5 {
		t.Errorf("%d listings, want 5", n)
	}
	if n := s.Requests("createEventSubscriptions"); n != 1 {
		t.Errorf("%d create requests, want 1", n)
	}
	if got := identities(s.EventSubscriptions(0)); len(got) != 2 {
		t.Errorf("subscriptions %v, want one per event", got)
	}
}

// A listing that never shows the new subscriptions makes Sync stop after ConfirmAttempts
// listings, report them unconfirmed, without an error, and not create them again.
func TestSyncListingThatNeverShows(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	s.SetListingLag(-1)
	c := s.MustClient(kicktest.Streamer.UserID)
	p := quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows, ConfirmAttempts: 3})
	results, err := c.Events.Sync(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	subs := s.EventSubscriptions(0)
	want := []kick.SyncResult{
		{Type: kick.EventChatMessageSent, Version: 1, Action: kick.SyncCreated, SubscriptionID: subs[0].ID},
		{Type: kick.EventChannelFollowed, Version: 1, Action: kick.SyncCreated, SubscriptionID: subs[1].ID},
	}
	if diff := cmp.Diff(want, results); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if n := s.Requests("listEventSubscriptions"); n != 1+3 {
		t.Errorf("%d listings, want 1 + ConfirmAttempts", n)
	}
	if len(subs) != 2 || s.Requests("createEventSubscriptions") != 1 {
		t.Errorf("%d subscriptions from %d create requests, want 2 from 1", len(subs), s.Requests("createEventSubscriptions"))
	}

	// No re-check at all.
	p.ConfirmAttempts = -1
	p.Events = []kick.SubscribeEvent{{Type: kick.EventKicksGifted}}
	lists := s.Requests("listEventSubscriptions")
	if _, err := c.Events.Sync(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if n := s.Requests("listEventSubscriptions") - lists; n != 1 {
		t.Errorf("ConfirmAttempts -1 listed %d times, want 1", n)
	}
}

// Kick drops every subscription when the app's webhooks are turned off: Sync then fails per
// event with Kick's reason, typed, and restores them once webhooks are back.
func TestSyncAfterWebhooksDisabled(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	c := s.MustClient(kicktest.Streamer.UserID)
	p := quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows})
	if _, err := c.Events.Sync(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	s.DisableWebhooks()
	if got := s.EventSubscriptions(0); len(got) != 0 {
		t.Fatalf("DisableWebhooks left %v", identities(got))
	}

	results, err := c.Events.Sync(context.Background(), p)
	var syncErr *kick.SyncError
	if !errors.As(err, &syncErr) || len(syncErr.Failed) != 2 || syncErr.BroadcasterUserID != kicktest.Streamer.UserID {
		t.Fatalf("err = %v, want a *SyncError of both events", err)
	}
	var se *kick.SubscriptionError
	if !errors.Is(err, kick.ErrSubscriptionFailed) || !errors.As(err, &se) || se.Message != "webhooks are not enabled for app" {
		t.Errorf("err = %v, want Kick's reason as a *SubscriptionError", err)
	}
	for _, r := range results {
		if r.Action != kick.SyncCreated || r.SubscriptionID != "" || r.Confirmed || !errors.Is(r.Err, kick.ErrSubscriptionFailed) {
			t.Errorf("%+v, want a failed creation", r)
		}
	}
	const msg = "kick: Events.Sync for channel 1001: 2 of the actions failed: chat.message.sent v1 created (webhooks are not enabled for app), channel.followed v1 created (webhooks are not enabled for app)"
	if err.Error() != msg {
		t.Errorf("message\n%s\nwant\n%s", err, msg)
	}

	s.SetWebhookURL("http://127.0.0.1:9/kick/webhook")
	if _, err := c.Events.Sync(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if got := identities(s.EventSubscriptions(0)); len(got) != 2 {
		t.Errorf("after webhooks came back: %v", got)
	}
}

// With only a user token, Kick subscribes the token owner's channel whatever the request says.
// Sync finds the subscription where Kick put it, deletes it and says why; its own channel works.
func TestSyncUserToken(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	userOnly, err := kick.NewClient(kick.WithAPIBaseURL(s.APIBaseURL), kick.WithUserTokenSource(s.UserTokenSource(kicktest.Streamer.UserID)))
	if err != nil {
		t.Fatal(err)
	}
	results, err := userOnly.Events.Sync(context.Background(), quick(kick.EventSyncParams{BroadcasterUserID: nova, Events: chatAndFollows[:1]}))
	var se *kick.SubscriptionError
	if !errors.As(err, &se) || !strings.Contains(se.Message, "Kick subscribed channel 1001, not 24871935") || !strings.Contains(se.Message, "was deleted") {
		t.Fatalf("err = %v, want a *SubscriptionError naming both channels", err)
	}
	if len(results) != 1 || results[0].SubscriptionID != "" || results[0].Confirmed {
		t.Errorf("results %+v", results)
	}
	if got := s.EventSubscriptions(0); len(got) != 0 {
		t.Errorf("left %v on the wrong channel", identities(got))
	}
	// The subscription deleted left no marker: the next Sync tries again, and fails again.
	results, err = userOnly.Events.Sync(context.Background(), quick(kick.EventSyncParams{BroadcasterUserID: nova, Events: chatAndFollows[:1]}))
	if !errors.As(err, &se) || len(results) != 1 || results[0].Action != kick.SyncCreated {
		t.Errorf("second Sync: %+v, %v; want created again, and the same error", results, err)
	}

	// A client with both kinds uses the app token, which subscribes any channel, unless told.
	both := s.MustClient(kicktest.Streamer.UserID)
	if _, err := both.Events.Sync(context.Background(), quick(kick.EventSyncParams{BroadcasterUserID: nova, Events: chatAndFollows[:1]})); err != nil {
		t.Fatal(err)
	}
	if got := s.EventSubscriptions(nova); len(got) != 1 {
		t.Errorf("nova's subscriptions %v", identities(got))
	}
	_, err = both.Events.Sync(context.Background(), quick(kick.EventSyncParams{BroadcasterUserID: nova, Events: chatAndFollows[1:]}), kick.WithTokenKind(kick.TokenKindUser))
	if !errors.As(err, &se) {
		t.Errorf("WithTokenKind(TokenKindUser): err = %v, want the user token's *SubscriptionError", err)
	}

	results, err = userOnly.Events.Sync(context.Background(), quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows}))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Action != kick.SyncCreated || !r.Confirmed {
			t.Errorf("own channel: %+v", r)
		}
	}
}

// Bad parameters and a missing token fail before any request.
func TestSyncInvalidInput(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	ctx := context.Background()
	for _, tc := range []struct {
		field string
		p     kick.EventSyncParams
	}{
		{"BroadcasterUserID", kick.EventSyncParams{Events: chatAndFollows}},
		{"BroadcasterUserID", kick.EventSyncParams{BroadcasterUserID: -1}},
		{"ConfirmWait", kick.EventSyncParams{BroadcasterUserID: 1, ConfirmWait: -time.Second}},
		{"Events[1].Type", kick.EventSyncParams{BroadcasterUserID: 1, Events: []kick.SubscribeEvent{{Type: kick.EventKicksGifted}, {Type: "channel.moderation.user_banned"}}}},
		{"Events[0].Version", kick.EventSyncParams{BroadcasterUserID: 1, Events: []kick.SubscribeEvent{{Type: kick.EventKicksGifted, Version: -1}}}},
		{"Events[1]", kick.EventSyncParams{BroadcasterUserID: 1, Events: []kick.SubscribeEvent{{Type: kick.EventKicksGifted}, {Type: kick.EventKicksGifted, Version: 1}}}},
	} {
		_, err := c.Events.Sync(ctx, tc.p)
		wantInvalid(t, err, "Events.Sync", tc.field)
	}
	none, srv2 := setupWith(t, false, false)
	_, err := none.Events.Sync(ctx, kick.EventSyncParams{BroadcasterUserID: 1})
	var mt *kick.MissingTokenError
	if !errors.As(err, &mt) {
		t.Errorf("without tokens: %v, want a *MissingTokenError", err)
	}
	noRequest(t, srv)
	noRequest(t, srv2)
}

// A failed first listing fails Sync before it changes anything; failed writes fail the results
// they concern, typed, and the others go on.
func TestSyncRequestFailures(t *testing.T) {
	t.Parallel()
	noRetry := kick.WithRetryPolicy(kick.RetryPolicy{MaxRetries: 0})
	t.Run("list", func(t *testing.T) {
		t.Parallel()
		s := syncFake(t)
		c := s.MustClient(kicktest.Streamer.UserID, noRetry)
		s.Fault("listEventSubscriptions", kicktest.Fault{StatusCode: 503, Times: 1})
		results, err := c.Events.Sync(context.Background(), kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows})
		if results != nil || !errors.Is(err, kick.ErrServer) || s.Requests("createEventSubscriptions") != 0 {
			t.Errorf("%+v, %v; want only a server error", results, err)
		}
	})
	t.Run("delete", func(t *testing.T) {
		t.Parallel()
		s := syncFake(t)
		c := s.MustClient(kicktest.Streamer.UserID, noRetry)
		chats := append(subscribe(t, c, kicktest.Streamer.UserID, kick.EventChatMessageSent), subscribe(t, c, kicktest.Streamer.UserID, kick.EventChatMessageSent)...)
		s.Fault("deleteEventSubscriptions", kicktest.Fault{StatusCode: 403, Times: 1})
		results, err := c.Events.Sync(context.Background(), quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows}))
		var ae *kick.APIError
		if !errors.As(err, &ae) || ae.Operation != "deleteEventSubscriptions" || !errors.Is(err, kick.ErrForbidden) {
			t.Fatalf("err = %v, want the delete's *APIError", err)
		}
		want := []kick.SyncResult{
			{Type: kick.EventChatMessageSent, Version: 1, Action: kick.SyncDeduplicated, SubscriptionID: chats[0], Duplicates: chats[1:], Confirmed: true},
			{Type: kick.EventChannelFollowed, Version: 1, Action: kick.SyncCreated, Confirmed: true},
		}
		if diff := cmp.Diff(want, results, ignoreErr, cmpopts.IgnoreFields(kick.SyncResult{}, "SubscriptionID")); diff != "" {
			t.Errorf("results (-want +got):\n%s", diff)
		}
		if !errors.Is(results[0].Err, kick.ErrForbidden) || results[1].Err != nil {
			t.Errorf("errors %v, %v", results[0].Err, results[1].Err)
		}
	})
	t.Run("re-check", func(t *testing.T) {
		t.Parallel()
		s := syncFake(t)
		lists := 0
		c := s.MustClient(kicktest.Streamer.UserID, noRetry, kick.WithRequestHook(func(ri kick.RequestInfo) {
			if ri.Operation == "listEventSubscriptions" {
				if lists++; lists == 1 {
					s.Fault("listEventSubscriptions", kicktest.Fault{StatusCode: 503, Times: 1}) // the first re-check
				}
			}
		}))
		results, err := c.Events.Sync(context.Background(), quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows}))
		if err != nil {
			t.Fatalf("a failed re-check failed Sync: %v", err)
		}
		if !results[0].Confirmed || s.Requests("listEventSubscriptions") != 3 || s.Requests("createEventSubscriptions") != 1 {
			t.Errorf("%+v after %d listings; want confirmed by the second re-check, created once", results, s.Requests("listEventSubscriptions"))
		}
	})
	t.Run("create", func(t *testing.T) {
		t.Parallel()
		s := syncFake(t)
		c := s.MustClient(kicktest.Streamer.UserID, noRetry)
		s.Fault("createEventSubscriptions", kicktest.Fault{StatusCode: 500, Times: 1})
		results, err := c.Events.Sync(context.Background(), quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows}))
		var syncErr *kick.SyncError
		if !errors.As(err, &syncErr) || len(syncErr.Failed) != 2 || !errors.Is(err, kick.ErrServer) {
			t.Fatalf("err = %v, want a *SyncError of two server errors", err)
		}
		for _, r := range results {
			if ae, ok := errors.AsType[*kick.APIError](r.Err); !ok || ae.Operation != "createEventSubscriptions" {
				t.Errorf("%+v, want the create's *APIError", r)
			}
		}
	})
}

// Duplicates are deleted 50 ids a request: Kick sets no limit, but every id lengthens the URL.
func TestSyncDeletesInBatches(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	c := s.MustClient(kicktest.Streamer.UserID)
	events := make([]kick.SubscribeEvent, 0, 121)
	for range 121 {
		// Raw requests: Subscribe refuses repeats in one call.
		events = append(events, kick.SubscribeEvent{Type: kick.EventChatMessageSent, Version: 1})
	}
	var out struct{}
	for _, e := range events {
		req, err := c.NewRequest("POST", "/public/v1/events/subscriptions", kick.EventSubscribeParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: []kick.SubscribeEvent{e}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Do(context.Background(), req, &out, kick.WithTokenKind(kick.TokenKindApp)); err != nil {
			t.Fatal(err)
		}
	}
	results, err := c.Events.Sync(context.Background(), kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows[:1]})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || len(results[0].Duplicates) != 120 {
		t.Fatalf("results %+v", results)
	}
	if n := s.Requests("deleteEventSubscriptions"); n != 3 {
		t.Errorf("%d delete requests for 120 ids, want 3", n)
	}
	if got := s.EventSubscriptions(0); len(got) != 1 || got[0].ID != results[0].SubscriptionID {
		t.Errorf("left %d subscriptions", len(got))
	}
}

// The re-check honors the context: a wait past its deadline is not begun (the subscriptions
// exist; they are reported unconfirmed), and a cancel ends a wait with the context's error.
func TestSyncConfirmHonorsTheContext(t *testing.T) {
	t.Parallel()
	t.Run("deadline", func(t *testing.T) {
		t.Parallel()
		s := syncFake(t)
		s.SetListingLag(-1)
		c := s.MustClient(kicktest.Streamer.UserID)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		results, err := c.Events.Sync(ctx, kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows, ConfirmWait: time.Hour})
		if err != nil || len(results) != 2 || results[0].Confirmed || results[0].SubscriptionID == "" {
			t.Errorf("%+v, %v; want created, unconfirmed, no error", results, err)
		}
		if n := s.Requests("listEventSubscriptions"); n != 2 {
			t.Errorf("%d listings, want the plan's and one re-check", n)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		t.Parallel()
		s := syncFake(t)
		s.SetListingLag(-1)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		lists := 0
		c := s.MustClient(kicktest.Streamer.UserID, kick.WithRequestHook(func(ri kick.RequestInfo) {
			if ri.Operation == "listEventSubscriptions" {
				if lists++; lists == 2 {
					cancel() // during the first re-check: the wait after it ends at once
				}
			}
		}))
		results, err := c.Events.Sync(ctx, kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows, ConfirmWait: time.Hour})
		if !errors.Is(err, context.Canceled) || len(results) != 2 || results[0].Action != kick.SyncCreated || results[0].Confirmed {
			t.Errorf("%+v, %v; want the results and context.Canceled", results, err)
		}
	})
}

// A result marshals with Err as its message, and SyncError lists each failure.
func TestSyncResultJSON(t *testing.T) {
	t.Parallel()
	r := kick.SyncResult{Type: kick.EventChatMessageSent, Version: 1, Action: kick.SyncDeduplicated, SubscriptionID: "01KC495X0JWV6QDFWC8TZVWC1K",
		Duplicates: []string{"01KC495X805CE7XXMJ3GGE5TSW"}, Confirmed: true, Err: errors.New("connection reset")}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"name":"chat.message.sent","version":1,"action":"deduplicated","subscription_id":"01KC495X0JWV6QDFWC8TZVWC1K",` +
		`"duplicates":["01KC495X805CE7XXMJ3GGE5TSW"],"confirmed":true,"error":"connection reset"}`
	if string(b) != want {
		t.Errorf("JSON\n%s\nwant\n%s", b, want)
	}
	var back kick.SyncResult
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	var se *kick.SubscriptionError
	if !errors.As(back.Err, &se) || se.Message != r.Err.Error() || back.Type != r.Type {
		t.Errorf("decoded %+v", back)
	}
	if err := json.Unmarshal([]byte(`[]`), &back); err == nil {
		t.Error("an array decoded into a SyncResult")
	}
}

// The finding: a listing that never shows new subscriptions (KickDevDocs#419) made every
// Sync create the events again, one subscription more per run. One process syncing seven times
// now holds one subscription per event: the first Sync's marker says it created them.
func TestSyncRepeatedOnANeverListingKick(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	s.SetListingLag(-1)
	c := s.MustClient(kicktest.Streamer.UserID)
	p := quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows, ConfirmAttempts: 1})
	for run := range 7 {
		results, err := c.Events.Sync(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		want := kick.SyncPending
		if run == 0 {
			want = kick.SyncCreated
		}
		for _, r := range results {
			if r.Action != want || r.SubscriptionID == "" || r.Confirmed {
				t.Errorf("run %d: %+v, want %s with its subscription id, unconfirmed", run, r, want)
			}
		}
	}
	if got := identities(s.EventSubscriptions(0)); len(got) != 2 {
		t.Errorf("after 7 Syncs: %v, want one subscription per event", got)
	}
}

// Replicas sharing a SyncStore, syncing at once, seven times, against a listing that never
// shows new subscriptions: never more than one subscription per event.
func TestSyncReplicasSharingAStore(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	s.SetListingLag(-1)
	store := kick.NewMemorySyncStore()
	const replicas = 3
	clients := make([]*kick.Client, replicas)
	for i := range clients {
		clients[i] = s.MustClient(kicktest.Streamer.UserID, kick.WithSyncStore(store))
	}
	p := quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows, ConfirmAttempts: 1})
	for range 7 {
		var wg sync.WaitGroup
		for _, c := range clients {
			wg.Go(func() {
				if _, err := c.Events.Sync(context.Background(), p); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got := identities(s.EventSubscriptions(0)); len(got) > 2 {
			t.Fatalf("%v: more than one subscription per event", got)
		}
	}
	if got := identities(s.EventSubscriptions(0)); len(got) != 2 {
		t.Errorf("%v, want one subscription per event", got)
	}
}

// Kick dropped a subscription the listing never showed (the app's webhooks were turned off and
// on again): nothing says so, so the marker is trusted for UnconfirmedTTL, and then Sync deletes
// that subscription in case it exists and creates a new one.
func TestSyncUnconfirmedMarkerExpires(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	s.SetListingLag(-1)
	c := s.MustClient(kicktest.Streamer.UserID)
	const ttl = 200 * time.Millisecond
	p := quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows[:1], ConfirmAttempts: -1,
		UnconfirmedTTL: ttl})
	first, err := c.Events.Sync(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	s.DisableWebhooks()
	s.SetWebhookURL("http://127.0.0.1:9/kick/webhook")
	again, err := c.Events.Sync(context.Background(), p)
	if err != nil || again[0].Action != kick.SyncPending || again[0].SubscriptionID != first[0].SubscriptionID {
		t.Fatalf("within the TTL: %+v, %v; want pending on %s", again, err, first[0].SubscriptionID)
	}
	if n := len(s.EventSubscriptions(0)); n != 0 {
		t.Fatalf("%d subscriptions", n)
	}
	time.Sleep(ttl)
	deletes := s.Requests("deleteEventSubscriptions")
	late, err := c.Events.Sync(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	subs := s.EventSubscriptions(0)
	want := []kick.SyncResult{{Type: kick.EventChatMessageSent, Version: 1, Action: kick.SyncCreated, SubscriptionID: subs[0].ID,
		Duplicates: []string{first[0].SubscriptionID}}}
	if diff := cmp.Diff(want, late); diff != "" {
		t.Errorf("past the TTL (-want +got):\n%s", diff)
	}
	if len(subs) != 1 || s.Requests("deleteEventSubscriptions") != deletes+1 {
		t.Errorf("%d subscriptions, %d deletions; want the old one deleted and one created", len(subs), s.Requests("deleteEventSubscriptions")-deletes)
	}
}

// A subscription Sync created that the listing does not show, beside another of the event that
// it shows (made by a program that subscribed directly): a duplicate, deleted.
func TestSyncDeletesAnUnlistedDuplicate(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	s.SetListingLag(-1)
	c := s.MustClient(kicktest.Streamer.UserID)
	p := quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows[:1], ConfirmAttempts: -1})
	first, err := c.Events.Sync(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	s.SetListingLag(0)
	listed := subscribe(t, c, kicktest.Streamer.UserID, kick.EventChatMessageSent)
	results, err := c.Events.Sync(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := []kick.SyncResult{{Type: kick.EventChatMessageSent, Version: 1, Action: kick.SyncDeduplicated, SubscriptionID: listed[0],
		Duplicates: []string{first[0].SubscriptionID}, Confirmed: true}}
	if diff := cmp.Diff(want, results); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if subs := s.EventSubscriptions(0); len(subs) != 1 || subs[0].ID != listed[0] {
		t.Errorf("subscriptions %v, want the listed one alone", identities(subs))
	}
	// The marker is gone: the next Sync does nothing.
	if again, err := c.Events.Sync(context.Background(), p); err != nil || again[0].Action != kick.SyncUnchanged {
		t.Errorf("next Sync: %+v, %v", again, err)
	}
}

// A SyncStore that fails: nothing is created without a marker, and the result says why.
func TestSyncStoreFailure(t *testing.T) {
	t.Parallel()
	s := syncFake(t)
	boom := errors.New("redis: connection refused")
	c := s.MustClient(kicktest.Streamer.UserID, kick.WithSyncStore(failingSyncStore{boom}))
	results, err := c.Events.Sync(context.Background(), quick(kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: chatAndFollows}))
	if !errors.Is(err, boom) || len(results) != 2 || !errors.Is(results[0].Err, boom) {
		t.Errorf("%+v, %v; want the store's error on each event", results, err)
	}
	if n := s.Requests("createEventSubscriptions"); n != 0 {
		t.Errorf("%d create requests without a marker", n)
	}
}

type failingSyncStore struct{ err error }

func (f failingSyncStore) Get(context.Context, string) (string, error) { return "", f.err }
func (f failingSyncStore) CompareAndSwap(context.Context, string, string, string, time.Duration) (bool, error) {
	return false, f.err
}
