package kicktest

import (
	"github.com/kick-sdk/kick-go/kick"
)

// listingLag is how the subscription listing lags behind (SetListingLag). Server.mu guards it.
type listingLag struct {
	n      int            // listings a new subscription is left out of; < 0: all
	hidden map[string]int // subscription id → listings it is still left out of; < 0: all
}

// created records a new subscription, which the next n listings leave out.
func (l *listingLag) created(id string) {
	if l.n == 0 {
		return
	}
	if l.hidden == nil {
		l.hidden = map[string]int{}
	}
	l.hidden[id] = l.n
}

// listing returns the subscriptions one listing leaves out, and counts the listing.
func (l *listingLag) listing() map[string]bool {
	if len(l.hidden) == 0 {
		return nil
	}
	out := make(map[string]bool, len(l.hidden))
	for id, left := range l.hidden {
		out[id] = true
		switch {
		case left == 1:
			delete(l.hidden, id)
		case left > 1:
			l.hidden[id] = left - 1
		}
	}
	return out
}

// SetListingLag makes the listing of event subscriptions (GET /public/v1/events/subscriptions)
// lag behind, as Kick's is known to (KickDevDocs#419): a subscription created from now on is
// left out of the next n listings, whatever their filter, and listed after. With n < 0 it is
// never listed, as Kick has been seen to omit one for good. 0, the default, lists every
// subscription at once. Only the listing lags: the subscription exists, events are delivered to
// it, it can be deleted, and EventSubscriptions shows it.
func (s *Server) SetListingLag(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lag.n = n
}

// DisableWebhooks turns the app's webhooks off, as the switch in the app's developer settings
// does: the webhook URL is cleared and, as on Kick, every event subscription of the app is
// deleted. Subscribing then fails per event with "webhooks are not enabled for app" until
// SetWebhookURL sets a URL again; the subscriptions do not come back by themselves.
func (s *Server) DisableWebhooks() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setWebhookURLLocked("")
	clear(s.st.subs)
	s.st.subOrder = nil
	clear(s.lag.hidden)
}

// EventSubscriptions returns the app's event subscriptions to the events of broadcasterUserID's
// channel (all channels for 0), oldest first, as Kick holds them: those a lagging listing leaves
// out too (SetListingLag). A test asserts on these, not on what the lagging API lists.
func (s *Server) EventSubscriptions(broadcasterUserID int64) []kick.EventSubscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []kick.EventSubscription
	for _, id := range s.st.subOrder {
		sub := s.st.subs[id]
		if sub == nil || (broadcasterUserID != 0 && sub.broadcaster != broadcasterUserID) {
			continue
		}
		created := seconds(sub.created)
		out = append(out, kick.EventSubscription{
			ID: sub.id, AppID: s.app.ClientID, BroadcasterUserID: sub.broadcaster, Type: sub.event, Version: sub.version,
			Method: "webhook", CreatedAt: created, UpdatedAt: created,
		})
	}
	return out
}
