package kicktest_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// The fake caps the app's subscriptions as Kick does, with caps a test can set, and answers a
// request over a cap with Kick's 400, which the SDK reports as a *kick.SubscriptionLimitError;
// nothing of that request is subscribed.
func TestSubscriptionLimits(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t, kicktest.WithWebhookURL("http://127.0.0.1:1/kick/webhook"),
		kicktest.WithSubscriptionLimits(kicktest.SubscriptionLimits{PerEvent: 3, ChatMessages: 2}))
	c := client(t, s, kicktest.Streamer.UserID)
	subscribe := func(broadcaster int64, types ...kick.EventType) error {
		_, err := c.Events.SubscribeTo(ctx(t), broadcaster, types...)
		return err
	}
	for _, b := range []int64{1001, 1002} {
		if err := subscribe(b, kick.EventChatMessageSent, kick.EventChannelFollowed); err != nil {
			t.Fatalf("under the caps: %v", err)
		}
	}
	err := subscribe(1003, kick.EventChatMessageSent, kick.EventChannelFollowed)
	var sle *kick.SubscriptionLimitError
	if !errors.As(err, &sle) || !errors.Is(err, kick.ErrSubscriptionLimit) || !errors.Is(err, kick.ErrBadRequest) ||
		sle.Detail != "event subscription limit reached" || sle.StatusCode != http.StatusBadRequest {
		t.Fatalf("a third chat subscription: %v", err)
	}
	if got := len(s.EventSubscriptions(1003)); got != 0 {
		t.Errorf("the refused request subscribed %d events", got)
	}
	// The chat cap is reached, the per-event cap not yet for follows.
	if err := subscribe(1003, kick.EventChannelFollowed); err != nil {
		t.Errorf("a third follow subscription: %v", err)
	}
	if err := subscribe(1004, kick.EventChannelFollowed); !errors.Is(err, kick.ErrSubscriptionLimit) {
		t.Errorf("a fourth follow subscription: %v", err)
	}
	noViolations(t, s)
}

// The default caps are Kick's for an app it has not verified.
func TestDefaultSubscriptionLimits(t *testing.T) {
	t.Parallel()
	if l := kicktest.DefaultSubscriptionLimits; l.PerEvent != 10000 || l.ChatMessages != 1000 {
		t.Errorf("DefaultSubscriptionLimits = %+v", l)
	}
}
