// Events (https://docs.kick.com/events/subscribe-to-events): the app's event subscriptions.

package kicktest

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/kick-sdk/kick-go/kick"
)

// listEventSubscriptions lists every subscription of the app, whatever the token kind, or those
// of one broadcaster, but those a lagging listing leaves out (SetListingLag).
func (s *Server) listEventSubscriptions(c *call) {
	filter, _ := strconv.ParseInt(c.r.URL.Query().Get("broadcaster_user_id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []kick.EventSubscription{}
	lagging := s.lag.listing()
	for _, id := range s.st.subOrder {
		sub := s.st.subs[id]
		if sub == nil || (filter != 0 && sub.broadcaster != filter) || lagging[id] {
			continue
		}
		out = append(out, kick.EventSubscription{
			ID: sub.id, AppID: s.app.ClientID, BroadcasterUserID: sub.broadcaster, Type: sub.event, Version: sub.version,
			Method: "webhook", CreatedAt: seconds(sub.created), UpdatedAt: seconds(sub.created),
		})
	}
	c.data(out)
}

// createEventSubscriptions subscribes the app to events of the token owner's channel (user
// token) or of broadcaster_user_id (app token, where it is required). Each event gets its own
// result; identical subscriptions are not de-duplicated.
func (s *Server) createEventSubscriptions(c *call) {
	var in kick.EventSubscribeParams
	if !c.decode(&in) {
		return
	}
	broadcaster := c.userID()
	if c.isApp() {
		if in.BroadcasterUserID == 0 {
			c.badRequest("broadcaster_user_id is required with an app access token")
			return
		}
		broadcaster = in.BroadcasterUserID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.channels[broadcaster] == nil {
		c.badRequest("Invalid broadcaster_user_id: no channel of broadcaster %d", broadcaster)
		return
	}
	if s.app.WebhookURL != "" && s.overSubscriptionLimit(in.Events) {
		c.subscriptionLimitReached()
		return
	}
	now := s.cfg.now()
	// Kick answers a successful subscription with error "" and a failed one with subscription_id
	// "": both keys are always there (kick.SubscriptionResult leaves the empty one out).
	type result struct {
		Type           kick.EventType `json:"name"`
		Version        int            `json:"version"`
		SubscriptionID string         `json:"subscription_id"`
		Error          string         `json:"error"`
	}
	out := []result{}
	for _, e := range in.Events {
		res := result{Type: e.Type, Version: e.Version}
		switch {
		case s.app.WebhookURL == "":
			res.Error = "webhooks are not enabled for app"
		case e.Version != 1:
			res.Error = fmt.Sprintf("version %d of event %s is not supported", e.Version, e.Type)
		default:
			sub := &eventSub{id: newULID(now), broadcaster: broadcaster, event: e.Type, version: e.Version, created: now}
			s.st.subs[sub.id] = sub
			s.st.subOrder = append(s.st.subOrder, sub.id)
			s.lag.created(sub.id)
			res.SubscriptionID = sub.id
		}
		out = append(out, res)
	}
	c.data(out)
}

func (st *state) countSubs(event kick.EventType) int {
	n := 0
	for _, sub := range st.subs {
		if sub.event == event {
			n++
		}
	}
	return n
}

// deleteEventSubscriptions deletes the app's subscriptions by id; unknown ids are ignored.
func (s *Server) deleteEventSubscriptions(c *call) {
	ids := c.r.URL.Query()["id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.st.subs, id)
	}
	s.st.subOrder = slices.DeleteFunc(s.st.subOrder, func(id string) bool { return s.st.subs[id] == nil })
	c.noContent()
}
