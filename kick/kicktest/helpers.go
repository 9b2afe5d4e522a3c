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
	s.emitLocked(kick.EventChannelFollowed, broadcasterID, s.st.follow(followerID, broadcasterID))
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
	typ, ev := s.st.subscribe(subscriberID, broadcasterID, months, s.cfg.now())
	s.emitLocked(typ, broadcasterID, ev)
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
	if gifterID != 0 {
		s.mustUser("GiftSubs", gifterID)
	}
	for _, g := range giftees {
		s.mustUser("GiftSubs", g)
	}
	s.emitLocked(kick.EventChannelSubscriptionGifts, broadcasterID, s.st.giftSubs(gifterID, broadcasterID, giftees, s.cfg.now()))
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
	r := s.st.redeem(viewerID, rw, userInput, s.cfg.now())
	s.emitRedemptionLocked(r)
	return r.id
}

// StartStream takes broadcasterID live, with title as the stream title unless it is empty, and
// delivers livestream.status.updated. A stream already live starts anew.
func (s *Server) StartStream(broadcasterID int64, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("StartStream", broadcasterID)
	s.emitLocked(kick.EventLivestreamStatusUpdated, broadcasterID, s.st.startStream(broadcasterID, title, s.cfg.now()))
}

// EndStream ends the stream of broadcasterID and delivers livestream.status.updated; it does
// nothing when the channel is offline.
func (s *Server) EndStream(broadcasterID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("EndStream", broadcasterID)
	if ev, ok := s.st.endStream(broadcasterID, s.cfg.now()); ok {
		s.emitLocked(kick.EventLivestreamStatusUpdated, broadcasterID, ev)
	}
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
	s.emitLocked(kick.EventKicksGifted, broadcasterID, s.st.giftKicks(senderID, broadcasterID, amount, message, s.cfg.now()))
}
