// Moderation (https://docs.kick.com/apis/moderation): bans and timeouts, by the broadcaster or a
// moderator.

package kicktest

import (
	"net/http"
	"time"

	"github.com/kick-sdk/kick-go/kick"
)

// moderates reports whether user owns or moderates the channel of broadcaster.
func (st *state) moderates(user, broadcaster int64) bool {
	ch := st.channels[broadcaster]
	return ch != nil && (user == broadcaster || ch.mods[user])
}

// banUser bans or times out a user in a chat the token's user owns or moderates, and sends
// moderation.banned.
func (s *Server) banUser(c *call) {
	var in kick.ModerationBanParams
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.checkModeration(c, in.BroadcasterUserID, in.UserID) {
		return
	}
	if in.UserID == in.BroadcasterUserID {
		c.badRequest("The broadcaster cannot be banned from their own chat")
		return
	}
	s.emitLocked(kick.EventModerationBanned, in.BroadcasterUserID,
		s.st.ban(in.BroadcasterUserID, in.UserID, c.userID(), in.Reason, int(in.Duration/time.Minute), s.cfg.now()))
	c.data(struct{}{})
}

// unbanUser lifts a ban or timeout; lifting one that is not there succeeds too.
func (s *Server) unbanUser(c *call) {
	var in struct {
		BroadcasterUserID int64 `json:"broadcaster_user_id"`
		UserID            int64 `json:"user_id"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.checkModeration(c, in.BroadcasterUserID, in.UserID) {
		return
	}
	delete(s.st.channels[in.BroadcasterUserID].bans, in.UserID)
	c.data(struct{}{})
}

// checkModeration answers 400 for an unknown channel or user and 403 unless the token's user owns
// or moderates the channel; s.mu is held.
func (s *Server) checkModeration(c *call, broadcaster, target int64) bool {
	switch {
	case s.st.channels[broadcaster] == nil:
		c.badRequest("Invalid broadcaster_user_id: no channel of broadcaster %d", broadcaster)
	case s.st.users[target] == nil:
		c.badRequest("Invalid user_id: no user %d", target)
	case !s.st.moderates(c.userID(), broadcaster):
		c.fail(http.StatusForbidden, "Forbidden: not a moderator of this chat")
	default:
		return true
	}
	return false
}
