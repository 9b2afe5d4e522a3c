package kicktest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// receiver is an app's webhook endpoint: a webhook.Handler that trusts kicktest's key and keeps
// every delivery it verified, with its decoded event.
type receiver struct {
	URL    string
	mu     sync.Mutex
	got    []received
	errors []error
}

type received struct {
	d webhook.Delivery
	e webhook.Event
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	rc := &receiver{}
	h, err := kicktest.NewHandler(webhook.WithErrorHook(func(_ *http.Request, _ *webhook.Delivery, err error) {
		rc.mu.Lock()
		rc.errors = append(rc.errors, err)
		rc.mu.Unlock()
	}))
	if err != nil {
		t.Fatal(err)
	}
	h.OnDefault(func(_ context.Context, d *webhook.Delivery, e webhook.Event) error {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.got = append(rc.got, received{*d, e})
		return nil
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	rc.URL = srv.URL + "/kick/webhook"
	return rc
}

func (rc *receiver) events() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.got)
}

func (rc *receiver) failures() []error {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.errors)
}

func flush(t *testing.T, s *kicktest.Server) {
	t.Helper()
	if err := s.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
}

func TestEveryEventIsDeliveredSignedAndMatchesTheSpec(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	s := kicktest.New(t, kicktest.WithWebhookURL(rc.URL))
	c := client(t, s, kicktest.Streamer.UserID)
	if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID); err != nil {
		t.Fatal(err)
	}
	const songRequest = "01KBQVW2KVQNX4Y6RN800Y9K4N"

	chatID := s.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "hello [emote:37226:KEKW] & [emote:37226:KEKW]")
	s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
	s.Subscribe(9183746, kicktest.Streamer.UserID, 1)
	s.Subscribe(kicktest.Viewer.UserID, kicktest.Streamer.UserID, 4)
	s.GiftSubs(51724903, kicktest.Streamer.UserID, 33810257, 24871935)
	s.GiftSubs(0, kicktest.Streamer.UserID, 9183746)
	redemption := s.Redeem(kicktest.Viewer.UserID, songRequest, "lofi beats")
	s.StartStream(kicktest.Streamer.UserID, "LIVE: wipe day")
	s.EndStream(kicktest.Streamer.UserID)
	s.GiftKicks(kicktest.Viewer.UserID, kicktest.Streamer.UserID, 500, "w stream")
	title := "new title"
	if err := c.Channels.Update(ctx(t), kick.ChannelUpdateParams{StreamTitle: &title}); err != nil {
		t.Fatal(err)
	}
	if err := client(t, s, kicktest.Moderator.UserID).Moderation.Ban(ctx(t), kick.ModerationBanParams{BroadcasterUserID: kicktest.Streamer.UserID, UserID: 33810257, Reason: "spoilers"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Rewards.AcceptRedemptions(ctx(t), []string{redemption}); err != nil {
		t.Fatal(err)
	}
	flush(t, s)

	got := rc.events()
	var types []kick.EventType
	for _, r := range got {
		types = append(types, r.d.Type)
	}
	want := []kick.EventType{
		kick.EventChatMessageSent, kick.EventChannelFollowed, kick.EventChannelSubscriptionNew,
		kick.EventChannelSubscriptionRenewal, kick.EventChannelSubscriptionGifts, kick.EventChannelSubscriptionGifts,
		kick.EventChannelRewardRedemptionUpdated, kick.EventLivestreamStatusUpdated, kick.EventLivestreamStatusUpdated,
		kick.EventKicksGifted, kick.EventLivestreamMetadataUpdated, kick.EventModerationBanned,
		kick.EventChannelRewardRedemptionUpdated,
	}
	// Deliveries run concurrently: compare as sets with counts.
	slices.Sort(types)
	slices.Sort(want)
	if !slices.Equal(types, want) {
		t.Fatalf("delivered %v, want %v", types, want)
	}
	for _, r := range got {
		if _, unknown := r.e.(*webhook.UnknownEvent); unknown {
			t.Errorf("%s did not decode: %s", r.d.Type, r.d.Body)
		}
		switch e := r.e.(type) {
		case *webhook.ChatMessageSent:
			if e.MessageID != chatID || e.Sender.Identity == nil || e.Broadcaster.Identity != nil || len(e.Emotes) != 1 || len(e.Emotes[0].Positions) != 2 {
				t.Errorf("chat %+v", e)
			}
			if p := e.Emotes[0].Positions[0]; p.Start != 6 || p.End != 23 {
				t.Errorf("emote position %+v", p)
			}
		case *webhook.ChannelSubscriptionGifts:
			if e.Gifter.IsAnonymous != (e.Gifter.UserID == 0) {
				t.Errorf("gifter %+v", e.Gifter)
			}
		case *webhook.ModerationBanned:
			if !e.Metadata.ExpiresAt.IsZero() || e.Moderator.UserID != kicktest.Moderator.UserID || e.Metadata.Reason != "spoilers" {
				t.Errorf("ban %+v", e)
			}
		case *webhook.LivestreamStatusUpdated:
			if e.IsLive == !e.EndedAt.IsZero() || e.Title != "LIVE: wipe day" {
				t.Errorf("status %+v", e)
			}
		case *webhook.KicksGifted:
			if e.Gift.Name != "Rage Quit" || e.Gift.Message != "w stream" {
				t.Errorf("kicks %+v", e)
			}
		}
		if r.d.SubscriptionID == "" || r.d.Version != 1 || time.Since(r.d.Timestamp) > time.Minute {
			t.Errorf("delivery headers %+v", r.d)
		}
	}
	if errs := rc.failures(); len(errs) > 0 {
		t.Errorf("the handler refused: %v", errs)
	}
	ds := s.Deliveries()
	if len(ds) != len(want) {
		t.Errorf("%d deliveries logged", len(ds))
	}
	for _, d := range ds {
		if d.StatusCode != http.StatusOK || d.Err != nil || !d.Done || d.URL != rc.URL || d.BroadcasterUserID != kicktest.Streamer.UserID {
			t.Errorf("delivery %+v", d)
		}
	}
	noViolations(t, s)
}

func TestDeliveriesAreNotDeduplicated(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	s := kicktest.New(t, kicktest.WithWebhookURL(rc.URL))
	app := client(t, s, kicktest.Viewer.UserID)
	for range 2 {
		if _, err := app.Events.SubscribeTo(ctx(t), 24871935, kick.EventChannelFollowed); err != nil {
			t.Fatal(err)
		}
	}
	s.Follow(kicktest.Viewer.UserID, 24871935)
	s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID) // nobody subscribed
	flush(t, s)
	got := rc.events()
	if len(got) != 2 || got[0].d.MessageID == got[1].d.MessageID || got[0].d.SubscriptionID == got[1].d.SubscriptionID {
		t.Errorf("deliveries %+v", got)
	}
}

func TestEmit(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	s := kicktest.New(t, kicktest.WithWebhookURL(rc.URL))
	c := client(t, s, kicktest.Streamer.UserID)
	if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventKicksGifted); err != nil {
		t.Fatal(err)
	}
	// A payload from a future Kick, with a field nobody knows, is delivered as given.
	raw := []byte(`{"broadcaster":{"user_id":1001,"username":"kickgo_streamer","is_verified":true,"profile_picture":"","channel_slug":"kickgo-streamer"},"sender":{"user_id":1002,"username":"kickgo_viewer","is_verified":false,"profile_picture":"","channel_slug":"kickgo-viewer"},"gift":{"amount":50000,"name":"Mega Kick","type":"LEVEL_UP","tier":"ULTRA","message":"","pinned_time_seconds":3600,"animation":"fireworks"},"created_at":"2026-01-02T03:04:05.678Z"}`)
	if err := s.Emit(kick.EventKicksGifted, kicktest.Streamer.UserID, raw); err != nil {
		t.Fatal(err)
	}
	if err := s.Emit(kick.EventChannelFollowed, kicktest.Streamer.UserID, []byte(`{}`)); err == nil {
		t.Error("Emit without a subscription succeeded")
	}
	if err := s.Emit(kick.EventKicksGifted, kicktest.Streamer.UserID, []byte(`{`)); err == nil {
		t.Error("Emit of a broken payload succeeded")
	}
	flush(t, s)
	got := rc.events()
	if len(got) != 1 || string(got[0].d.Body) != string(raw) {
		t.Fatalf("got %+v", got)
	}
	if e, ok := got[0].e.(*webhook.KicksGifted); !ok || e.Gift.Tier != "ULTRA" {
		t.Errorf("event %+v", got[0].e)
	}
}

func TestDeliveryFailuresAreLogged(t *testing.T) {
	t.Parallel()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer down.Close()
	s := kicktest.New(t, kicktest.WithWebhookURL(down.URL))
	c := client(t, s, kicktest.Streamer.UserID)
	if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventChannelFollowed); err != nil {
		t.Fatal(err)
	}
	s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
	s.SetWebhookURL("")
	s.Follow(kicktest.Moderator.UserID, kicktest.Streamer.UserID)
	flush(t, s)
	ds := s.Deliveries()
	if len(ds) != 2 || ds[0].StatusCode != http.StatusServiceUnavailable || ds[0].Err != nil || !errors.Is(ds[1].Err, kicktest.ErrNoWebhookURL) {
		t.Errorf("deliveries %+v", ds)
	}
	var body webhook.ChannelFollowed
	if err := json.Unmarshal(ds[0].Body, &body); err != nil || body.Follower.UserID != kicktest.Viewer.UserID {
		t.Errorf("body %s", ds[0].Body)
	}
}

func TestFlushEndsWithTheContext(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	s := kicktest.New(t, kicktest.WithWebhookURL(slow.URL))
	if _, err := client(t, s, kicktest.Streamer.UserID).Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventChannelFollowed); err != nil {
		t.Fatal(err)
	}
	s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := s.Flush(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Flush = %v", err)
	}
	if d := s.Deliveries(); len(d) != 1 || d[0].Done {
		t.Errorf("in flight: %+v", d)
	}
	s.Close() // ends the delivery in flight
	if d := s.Deliveries(); !d[0].Done || d[0].Err == nil {
		t.Errorf("after Close: %+v", d)
	}
}

func TestPublicKeyVerifiesDeliveries(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	key, err := client(t, s, kicktest.Viewer.UserID).PublicKey.Get(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if key.PEM+"\n" != kicktest.PublicKeyPEM() && key.PEM != kicktest.PublicKeyPEM() {
		t.Errorf("served key %q", key.PEM)
	}
	if kicktest.Signer().PublicKeyPEM() != kicktest.PublicKeyPEM() {
		t.Error("Signer and PublicKeyPEM disagree")
	}
	pub, err := key.RSA()
	if err != nil || pub.N.BitLen() != 2048 {
		t.Errorf("key: %v", err)
	}
}

// The server's clock is Kick's time for its data, not for the delivery's timestamp: a server on
// another day (a leap day years ago) still delivers to a handler checking the real clock, as a
// program under test has, and the payload's times are on the server's clock.
func TestDeliveriesOfAServerOnAnotherDayPassTheReplayWindow(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	then := time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)
	s := kicktest.New(t, kicktest.WithWebhookURL(rc.URL), kicktest.WithClock(func() time.Time { return then }))
	c := client(t, s, kicktest.Streamer.UserID)
	if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventKicksGifted); err != nil {
		t.Fatal(err)
	}
	s.GiftKicks(kicktest.Viewer.UserID, kicktest.Streamer.UserID, 100, "leap")
	flush(t, s)
	if errs := rc.failures(); len(errs) != 0 {
		t.Fatalf("the handler refused the delivery: %v", errs)
	}
	got := rc.events()
	if len(got) != 1 {
		t.Fatalf("%d deliveries, want 1", len(got))
	}
	if skew := time.Since(got[0].d.Timestamp); skew < -time.Minute || skew > time.Minute {
		t.Errorf("Kick-Event-Message-Timestamp %v is %v from time.Now", got[0].d.Timestamp, skew)
	}
	gift, ok := got[0].e.(*webhook.KicksGifted)
	if !ok {
		t.Fatalf("event %T", got[0].e)
	}
	if !gift.CreatedAt.Equal(then) {
		t.Errorf("the gift's created_at is %v, want the server's clock, %v", gift.CreatedAt, then)
	}
	if d := s.Deliveries(); len(d) != 1 || d[0].StatusCode != http.StatusOK || !d[0].Timestamp.Equal(got[0].d.Timestamp) {
		t.Errorf("Deliveries %+v", d)
	}
}
