package kicktest

import (
	"net/http"

	"github.com/kick-sdk/kick-go/kick"
)

// SubscriptionLimits caps an app's event subscriptions, as Kick does: per event type, whatever
// the channels, and further for chat messages of apps Kick has not verified. A request that would
// go over a cap subscribes nothing and is answered 400 with Kick's error,
// {"data":"event subscription limit reached","message":"Bad request"}, which the kick package
// reports as a *kick.SubscriptionLimitError.
type SubscriptionLimits struct {
	// PerEvent is the most subscriptions of one event type an app may have: 10,000 on Kick.
	PerEvent int
	// ChatMessages is the most subscriptions to chat.message.sent an app Kick has not verified
	// may have: 1,000 on Kick (verified apps get PerEvent).
	ChatMessages int
}

// DefaultSubscriptionLimits are Kick's caps for an app it has not verified, as the fake's app is
// not, stated on docs.kick.com.
var DefaultSubscriptionLimits = SubscriptionLimits{PerEvent: 10000, ChatMessages: 1000}

// WithSubscriptionLimits sets the caps on the app's event subscriptions, DefaultSubscriptionLimits
// by default: small ones let a test reach them. A cap of 0 or less means no cap.
func WithSubscriptionLimits(l SubscriptionLimits) Option {
	return func(c *config) { c.subLimits = &l }
}

// subscriptionLimitMessage is the "data" of Kick's answer to a subscription over a cap (Kick
// issues #100, #227, #243).
const subscriptionLimitMessage = "event subscription limit reached"

// subscriptionLimits returns the server's caps.
func (s *Server) subscriptionLimits() SubscriptionLimits {
	if s.cfg.subLimits != nil {
		return *s.cfg.subLimits
	}
	return DefaultSubscriptionLimits
}

// overSubscriptionLimit reports whether subscribing to events, on top of the app's subscriptions,
// would go over a cap; s.mu is held.
func (s *Server) overSubscriptionLimit(events []kick.SubscribeEvent) bool {
	l := s.subscriptionLimits()
	adding := map[kick.EventType]int{}
	for _, e := range events {
		adding[e.Type]++
	}
	for name, n := range adding {
		limit := l.PerEvent
		if name == kick.EventChatMessageSent && l.ChatMessages > 0 && (limit <= 0 || l.ChatMessages < limit) {
			limit = l.ChatMessages
		}
		if limit > 0 && s.st.countSubs(name)+n > limit {
			return true
		}
	}
	return false
}

// subscriptionLimitReached answers Kick's error for a subscription over a cap: a 400 whose data is
// the reason, a string.
func (c *call) subscriptionLimitReached() {
	c.w.json(http.StatusBadRequest, struct {
		Data    string `json:"data"`
		Message string `json:"message"`
	}{subscriptionLimitMessage, "Bad request"})
}
