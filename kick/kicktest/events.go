package kicktest

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/kick-sdk/kick-go/kick"
)

// Subscription limits per event type per app; chat.message.sent is limited further for apps Kick
// has not verified, as the fake's app is not.
const (
	maxSubscriptions     = 10000
	maxChatSubscriptions = 1000
)

type apiEventSubscription struct {
	ID                string         `json:"id"`
	AppID             string         `json:"app_id"`
	BroadcasterUserID int64          `json:"broadcaster_user_id"`
	Event             kick.EventType `json:"event"`
	Version           int            `json:"version"`
	Method            string         `json:"method"`
	CreatedAt         string         `json:"created_at"`
	UpdatedAt         string         `json:"updated_at"`
}

// listEventSubscriptions lists every subscription of the app, whatever the token kind, or those
// of one broadcaster.
func (s *Server) listEventSubscriptions(c *call) {
	filter, _ := strconv.ParseInt(c.r.URL.Query().Get("broadcaster_user_id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []apiEventSubscription{}
	for _, id := range s.st.subOrder {
		sub := s.st.subs[id]
		if sub == nil || (filter != 0 && sub.broadcaster != filter) {
			continue
		}
		out = append(out, apiEventSubscription{
			ID: sub.id, AppID: s.app.ClientID, BroadcasterUserID: sub.broadcaster, Event: sub.event, Version: sub.version,
			Method: "webhook", CreatedAt: rfc3339(sub.created), UpdatedAt: rfc3339(sub.created),
		})
	}
	c.envelope(out)
}

type apiSubscriptionResult struct {
	Name           kick.EventType `json:"name"`
	Version        int            `json:"version"`
	SubscriptionID string         `json:"subscription_id"`
	Error          string         `json:"error"`
}

// createEventSubscriptions subscribes the app to events of the token owner's channel (user
// token) or of broadcaster_user_id (app token, where it is required). Each event gets its own
// result; identical subscriptions are not de-duplicated.
func (s *Server) createEventSubscriptions(c *call) {
	var in struct {
		BroadcasterUserID int64 `json:"broadcaster_user_id"`
		Events            []struct {
			Name    kick.EventType `json:"name"`
			Version int            `json:"version"`
		} `json:"events"`
	}
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
	now := s.cfg.now()
	out := []apiSubscriptionResult{}
	for _, e := range in.Events {
		res := apiSubscriptionResult{Name: e.Name, Version: e.Version}
		limit := maxSubscriptions
		if e.Name == kick.EventChatMessageSent {
			limit = maxChatSubscriptions
		}
		switch {
		case s.app.WebhookURL == "":
			res.Error = "webhooks are not enabled for app"
		case e.Version != 1:
			res.Error = fmt.Sprintf("version %d of event %s is not supported", e.Version, e.Name)
		case s.st.countSubs(e.Name) >= limit:
			res.Error = "subscription limit reached for event " + string(e.Name)
		default:
			sub := &eventSub{id: newULID(now), broadcaster: broadcaster, event: e.Name, version: e.Version, created: now}
			s.st.subs[sub.id] = sub
			s.st.subOrder = append(s.st.subOrder, sub.id)
			res.SubscriptionID = sub.id
		}
		out = append(out, res)
	}
	c.envelope(out)
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
