package doctor_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/doctor"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// listening points the fake's webhook URL at a new listener and returns the Params that serve
// it: the program's receiver is the doctor's, as with kick doctor --listen.
func listening(t *testing.T, s *setup) doctor.Params {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	url := "http://" + ln.Addr().String() + "/kick/webhook"
	s.srv.SetWebhookURL(url)
	p := s.p
	p.Listener, p.WebhookURL, p.Local = ln, url, true
	p.Resolver, p.Dial, p.RootCAs = nil, nil, nil
	p.ListenTimeout = time.Minute
	return p
}

func TestListen(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	p := listening(t, s)
	r := run(t, p)
	allOK(t, r, append(healthyChecks, doctor.CheckDelivery)...)
	want(t, r, doctor.CheckDelivery, doctor.OK, "chat.message.sent delivery arrived at "+p.Listener.Addr().String(), "")
	want(t, r, doctor.CheckWebhookForged, doctor.OK, "with 403", "") // the doctor's own receiver refused it
	msgs := s.srv.Messages(kicktest.Streamer.UserID)
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0].Content, "kick doctor ") || msgs[0].SenderUserID != kicktest.Streamer.UserID {
		t.Errorf("the channel's chat holds %+v, want the test message", msgs)
	}
	if n := len(s.srv.EventSubscriptions(kicktest.Streamer.UserID)); n != 2 {
		t.Errorf("%d subscriptions after Run, want the 2 it found", n)
	}
	// Served until Run returned, then closed.
	if c, err := net.Dial("tcp", p.Listener.Addr().String()); err == nil {
		_ = c.Close()
		t.Error("the listener still accepts connections")
	}
}

// TestListenSubscribes: without a chat.message.sent subscription, the proof makes one and
// deletes it after.
func TestListenSubscribes(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	follow := []kick.SubscribeEvent{{Type: kick.EventChannelFollowed}}
	ctx := context.Background()
	if _, err := s.client.Events.Sync(ctx, kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: follow, DeleteStrays: true}); err != nil {
		t.Fatal(err)
	}
	p := listening(t, s)
	p.Events = follow
	r := run(t, p)
	want(t, r, doctor.CheckDelivery, doctor.OK, "its signature verified", "")
	subs := s.srv.EventSubscriptions(0)
	if len(subs) != 1 || subs[0].Type != kick.EventChannelFollowed {
		t.Errorf("after Run the fake holds %+v, want the follow subscription alone", subs)
	}
	if n := s.srv.Requests("deleteEventSubscriptions"); n != 2 { // Sync's stray, and the proof's
		t.Errorf("deleteEventSubscriptions called %d times", n)
	}
}

// TestListenRotatedKey: the deliveries arrive, but do not verify with the key the program trusts.
func TestListenRotatedKey(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	p := listening(t, s)
	if _, err := s.srv.RotateSigningKey(); err != nil {
		t.Fatal(err)
	}
	p.ListenTimeout = 5 * time.Second // the refused delivery arrives; nothing else will
	r := run(t, p)
	want(t, r, doctor.CheckDelivery, doctor.Fail, "1 request arrived there but did not verify, the last: webhook: signature mismatch", "webhook.NewFetchingKeySource")
	want(t, r, doctor.CheckPublicKey, doctor.Fail, "another key", "NewFetchingKeySource")
}

// TestListenNothingArrives: Kick delivers elsewhere.
func TestListenNothingArrives(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	p := listening(t, s)
	s.srv.SetWebhookURL(newPlainServer(t, nil) + "/elsewhere")
	p.ListenTimeout = 200 * time.Millisecond // nothing will arrive
	r := run(t, p)
	want(t, r, doctor.CheckDelivery, doctor.Fail, "within 200ms; no request arrived there", "Make the app's webhook URL")
}

// TestListenPassive: without chat:write the proof waits for any delivery.
func TestListenPassive(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	client := userOnly(t, s.srv, kicktest.Streamer.UserID, kick.ScopeUserRead, kick.ScopeEventsSubscribe)
	p := listening(t, s)
	p.Client = client
	// Someone follows the channel, again and again, until the run ends.
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				s.srv.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
			}
		}
	}()
	r := run(t, p)
	close(done)
	<-stopped
	want(t, r, doctor.CheckScopes, doctor.Warn, "lacks chat:write", "chat:write")
	want(t, r, doctor.CheckDelivery, doctor.OK, "A channel.followed delivery arrived at", "")
	if n := len(s.srv.Messages(kicktest.Streamer.UserID)); n != 0 {
		t.Errorf("the chat holds %d messages", n)
	}

	p = listening(t, s)                                      // Run closed the first
	p.Client, p.ListenTimeout = client, 200*time.Millisecond // nothing will arrive now
	want(t, run(t, p), doctor.CheckDelivery, doctor.Fail, "could not make Kick send one: the user token lacks chat:write", "listening address")
}
