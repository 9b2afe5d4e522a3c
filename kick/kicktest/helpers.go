package kicktest

import (
	"fmt"

	"github.com/kick-sdk/kick-go/kick"
)

// The helpers below play what happens on Kick without the API: viewers chatting, following,
// subscribing, redeeming, gifting, streams starting and ending. Each changes the state and
// delivers the matching event to the app's subscriptions for the channel (none if it has none).
// They panic when given an id that is not a user of the server, as misuse of a test helper.

// SendChat posts a chat message of senderID in the chat of broadcasterID, as the viewer would on
// kick.com, delivers chat.message.sent and returns the message id. Content is stored as given;
// emotes are written [emote:<id>:<name>].
func (s *Server) SendChat(senderID, broadcasterID int64, content string) (messageID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("SendChat", senderID)
	s.mustUser("SendChat", broadcasterID)
	return s.chatLocked(kick.ChatMessageUser, senderID, broadcasterID, content, "").ID
}

// Follow makes followerID follow broadcasterID and delivers channel.followed.
func (s *Server) Follow(followerID, broadcasterID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("Follow", followerID)
	s.mustUser("Follow", broadcasterID)
	s.st.channels[broadcasterID].followers[followerID] = true
	s.emitLocked(kick.EventChannelFollowed, broadcasterID, channelFollowed{
		Broadcaster: s.st.evUser(broadcasterID, broadcasterID, false),
		Follower:    s.st.evUser(followerID, broadcasterID, false),
	})
}

// Subscribe records that subscriberID is subscribed to broadcasterID for months months in all
// and delivers channel.subscription.new for the first month, channel.subscription.renewal
// after. It panics if months is below 1.
func (s *Server) Subscribe(subscriberID, broadcasterID int64, months int) {
	if months < 1 {
		panic(fmt.Sprintf("kicktest: Subscribe: %d months", months))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("Subscribe", subscriberID)
	s.mustUser("Subscribe", broadcasterID)
	ch := s.st.channels[broadcasterID]
	if ch.subscribers[subscriberID] == 0 {
		ch.activeSubs++
	}
	ch.subscribers[subscriberID] = months
	now := s.cfg.now()
	typ := kick.EventChannelSubscriptionNew
	if months > 1 {
		typ = kick.EventChannelSubscriptionRenewal
	}
	s.emitLocked(typ, broadcasterID, channelSubscription{
		Broadcaster: s.st.evUser(broadcasterID, broadcasterID, false),
		Subscriber:  s.st.evUser(subscriberID, broadcasterID, false),
		Duration:    months,
		CreatedAt:   rfc3339(now),
		ExpiresAt:   rfc3339(now.AddDate(0, 1, 0)),
	})
}

// GiftSubs makes gifterID gift a one-month subscription to broadcasterID to each giftee and
// delivers channel.subscription.gifts. A gifterID of 0 is an anonymous gifter. It panics without
// giftees.
func (s *Server) GiftSubs(gifterID, broadcasterID int64, giftees ...int64) {
	if len(giftees) == 0 {
		panic("kicktest: GiftSubs: no giftees")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("GiftSubs", broadcasterID)
	ch := s.st.channels[broadcasterID]
	gifter := evGifter{IsAnonymous: true}
	if gifterID != 0 {
		s.mustUser("GiftSubs", gifterID)
		u := s.st.evUser(gifterID, broadcasterID, false)
		gifter = evGifter{UserID: &u.UserID, Username: &u.Username, IsVerified: &u.IsVerified, ProfilePicture: &u.ProfilePicture, ChannelSlug: &u.ChannelSlug}
		ch.gifted[gifterID] += len(giftees)
	}
	var evGiftees []evUser
	for _, g := range giftees {
		s.mustUser("GiftSubs", g)
		if ch.subscribers[g] == 0 {
			ch.activeSubs++
			ch.subscribers[g] = 1
		}
		evGiftees = append(evGiftees, s.st.evUser(g, broadcasterID, false))
	}
	now := s.cfg.now()
	s.emitLocked(kick.EventChannelSubscriptionGifts, broadcasterID, channelSubscriptionGifts{
		Broadcaster: s.st.evUser(broadcasterID, broadcasterID, false),
		Gifter:      gifter,
		Giftees:     evGiftees,
		CreatedAt:   rfc3339(now),
		ExpiresAt:   rfc3339(now.AddDate(0, 1, 0)),
	})
}

// Redeem makes viewerID redeem the reward rewardID (of any channel) with userInput, delivers
// channel.reward.redemption.updated and returns the redemption id. The redemption is pending, or
// accepted at once when the reward skips the request queue. It panics for an unknown, deleted,
// disabled or paused reward.
func (s *Server) Redeem(viewerID int64, rewardID, userInput string) (redemptionID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("Redeem", viewerID)
	rw := s.st.rewards[rewardID]
	switch {
	case rw == nil || rw.deleted:
		panic(fmt.Sprintf("kicktest: Redeem: no reward %q", rewardID))
	case !rw.enabled || rw.paused:
		panic(fmt.Sprintf("kicktest: Redeem: reward %q (%s) is disabled or paused", rewardID, rw.title))
	}
	now := s.cfg.now()
	r := &redemption{id: newULID(now), rewardID: rw.id, broadcaster: rw.broadcaster, userID: viewerID, input: userInput, status: kick.RedemptionPending, redeemedAt: now}
	if rw.skipQueue {
		r.status = kick.RedemptionAccepted
	}
	s.st.redemptions[r.id] = r
	s.st.redeemOrder = append(s.st.redeemOrder, r.id)
	s.emitRedemptionLocked(r)
	return r.id
}

// StartStream takes broadcasterID live, with title as the stream title unless it is empty, and
// delivers livestream.status.updated. A stream already live starts anew.
func (s *Server) StartStream(broadcasterID int64, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("StartStream", broadcasterID)
	ch := s.st.channels[broadcasterID]
	if title != "" {
		ch.title = title
	}
	ls := &livestream{id: newUUID(), startedAt: s.cfg.now(), viewers: 1}
	s.st.streams[broadcasterID] = ls
	s.emitLocked(kick.EventLivestreamStatusUpdated, broadcasterID, livestreamStatus{
		Broadcaster: s.st.evUser(broadcasterID, broadcasterID, false),
		IsLive:      true,
		Title:       ch.title,
		StartedAt:   rfc3339(ls.startedAt),
	})
}

// EndStream ends the stream of broadcasterID and delivers livestream.status.updated; it does
// nothing when the channel is offline.
func (s *Server) EndStream(broadcasterID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("EndStream", broadcasterID)
	ls := s.st.streams[broadcasterID]
	if ls == nil {
		return
	}
	delete(s.st.streams, broadcasterID)
	ended := rfc3339(s.cfg.now())
	s.emitLocked(kick.EventLivestreamStatusUpdated, broadcasterID, livestreamStatus{
		Broadcaster: s.st.evUser(broadcasterID, broadcasterID, false),
		Title:       s.st.channels[broadcasterID].title,
		StartedAt:   rfc3339(ls.startedAt),
		EndedAt:     &ended,
	})
}

// GiftKicks makes senderID gift amount KICKs to broadcasterID with a message, counts them on the
// channel's leaderboard and delivers kicks.gifted. The gift's name, type and tier follow the
// amount. It panics if amount is below 1.
func (s *Server) GiftKicks(senderID, broadcasterID int64, amount int64, message string) {
	if amount < 1 {
		panic(fmt.Sprintf("kicktest: GiftKicks: %d KICKs", amount))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("GiftKicks", senderID)
	s.mustUser("GiftKicks", broadcasterID)
	now := s.cfg.now()
	s.st.gifts = append(s.st.gifts, kicksGift{sender: senderID, broadcaster: broadcasterID, amount: amount, at: now})
	gift := giftOf(amount)
	gift.Message = message
	s.emitLocked(kick.EventKicksGifted, broadcasterID, kicksGifted{
		Broadcaster: s.st.evSummary(broadcasterID),
		Sender:      s.st.evSummary(senderID),
		Gift:        gift,
		CreatedAt:   rfc3339Milli(now),
	})
}

// giftOf names a KICKs gift after its amount, like Kick's catalog.
func giftOf(amount int64) evGift {
	switch {
	case amount >= 5000:
		return evGift{Amount: amount, Name: "Full Send", Type: "LEVEL_UP", Tier: "HIGH", PinnedTimeSeconds: 1800}
	case amount >= 500:
		return evGift{Amount: amount, Name: "Rage Quit", Type: "LEVEL_UP", Tier: "MID", PinnedTimeSeconds: 600}
	case amount >= 100:
		return evGift{Amount: amount, Name: "Hell Yeah", Type: "BASIC", Tier: "LOW", PinnedTimeSeconds: 120}
	}
	return evGift{Amount: amount, Name: "Kick Kiss", Type: "BASIC", Tier: "LOW"}
}
