package kicktest

import (
	"fmt"

	"github.com/kick-sdk/kick-go/kick"
)

// The helpers below play what happens on Kick without the API: viewers chatting, following,
// subscribing, redeeming, gifting, streams starting and ending. Each changes the state and
// delivers the matching event to the app's subscriptions for the channel (none if it has none).
// They panic when given an id that is not a user of the server, as misuse of a test helper.

// SendChat posts a chat message of senderUserID in the chat of broadcasterUserID, as the viewer
// would on kick.com, delivers chat.message.sent and returns the message id. Content is stored as
// given; emotes are written [emote:<id>:<name>].
func (s *Server) SendChat(senderUserID, broadcasterUserID int64, content string) (messageID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("SendChat", senderUserID)
	s.mustUser("SendChat", broadcasterUserID)
	return s.chatLocked(kick.ChatMessageUser, senderUserID, broadcasterUserID, content, "").MessageID
}

// Follow makes followerUserID follow broadcasterUserID and delivers channel.followed.
func (s *Server) Follow(followerUserID, broadcasterUserID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("Follow", followerUserID)
	s.mustUser("Follow", broadcasterUserID)
	s.emitLocked(kick.EventChannelFollowed, broadcasterUserID, s.st.follow(followerUserID, broadcasterUserID))
}

// Subscribe records that subscriberUserID is subscribed to broadcasterUserID for months months in
// all and delivers channel.subscription.new for the first month, channel.subscription.renewal
// after. It panics if months is below 1.
func (s *Server) Subscribe(subscriberUserID, broadcasterUserID int64, months int) {
	if months < 1 {
		panic(fmt.Sprintf("kicktest: Subscribe: %d months", months))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("Subscribe", subscriberUserID)
	s.mustUser("Subscribe", broadcasterUserID)
	typ, ev := s.st.subscribe(subscriberUserID, broadcasterUserID, months, s.cfg.now())
	s.emitLocked(typ, broadcasterUserID, ev)
}

// GiftSubs makes gifterUserID gift a one-month subscription to broadcasterUserID to each giftee and
// delivers channel.subscription.gifts. A gifterUserID of 0 is an anonymous gifter. It panics
// without giftees.
func (s *Server) GiftSubs(gifterUserID, broadcasterUserID int64, giftees ...int64) {
	if len(giftees) == 0 {
		panic("kicktest: GiftSubs: no giftees")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("GiftSubs", broadcasterUserID)
	if gifterUserID != 0 {
		s.mustUser("GiftSubs", gifterUserID)
	}
	for _, g := range giftees {
		s.mustUser("GiftSubs", g)
	}
	s.emitLocked(kick.EventChannelSubscriptionGifts, broadcasterUserID, s.st.giftSubs(gifterUserID, broadcasterUserID, giftees, s.cfg.now()))
}

// Redeem makes viewerUserID redeem the reward rewardID (of any channel) with userInput, delivers
// channel.reward.redemption.updated and returns the redemption id. The redemption is pending, or
// accepted at once when the reward skips the request queue. It panics for an unknown, deleted,
// disabled or paused reward.
func (s *Server) Redeem(viewerUserID int64, rewardID, userInput string) (redemptionID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("Redeem", viewerUserID)
	rw := s.st.rewards[rewardID]
	switch {
	case rw == nil || rw.deleted:
		panic(fmt.Sprintf("kicktest: Redeem: no reward %q", rewardID))
	case !rw.enabled || rw.paused:
		panic(fmt.Sprintf("kicktest: Redeem: reward %q (%s) is disabled or paused", rewardID, rw.title))
	}
	r := s.st.redeem(viewerUserID, rw, userInput, s.cfg.now())
	s.emitRedemptionLocked(r)
	return r.id
}

// StartStream takes broadcasterUserID live, with title as the stream title unless it is empty, and
// delivers livestream.status.updated. A stream already live starts anew.
func (s *Server) StartStream(broadcasterUserID int64, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("StartStream", broadcasterUserID)
	s.emitLocked(kick.EventLivestreamStatusUpdated, broadcasterUserID, s.st.startStream(broadcasterUserID, title, s.cfg.now()))
}

// EndStream ends the stream of broadcasterUserID and delivers livestream.status.updated; it does
// nothing when the channel is offline.
func (s *Server) EndStream(broadcasterUserID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("EndStream", broadcasterUserID)
	if ev, ok := s.st.endStream(broadcasterUserID, s.cfg.now()); ok {
		s.emitLocked(kick.EventLivestreamStatusUpdated, broadcasterUserID, ev)
	}
}

// GiftKicks makes senderUserID gift amount KICKs to broadcasterUserID with a message, counts them
// on the channel's leaderboard and delivers kicks.gifted. The gift's name, type and tier follow the
// amount. It panics if amount is below 1.
func (s *Server) GiftKicks(senderUserID, broadcasterUserID int64, amount int64, message string) {
	if amount < 1 {
		panic(fmt.Sprintf("kicktest: GiftKicks: %d KICKs", amount))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("GiftKicks", senderUserID)
	s.mustUser("GiftKicks", broadcasterUserID)
	s.emitLocked(kick.EventKicksGifted, broadcasterUserID, s.st.giftKicks(senderUserID, broadcasterUserID, amount, message, s.cfg.now()))
}
