package kicktest

import (
	"net/http"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick"
)

// sendChatMessage posts a message as the token's user to a channel, or as the app's bot
// (BotUser) to the token owner's channel, stores it and sends chat.message.sent.
func (s *Server) sendChatMessage(c *call) {
	var in gen.ChatMessageInput
	if !c.decode(&in) {
		return
	}
	if msg := s.spec.textLimitOf("ChatMessageInput", "content").check("content", in.Content); msg != "" {
		c.badRequest("Invalid parameters: %s", msg)
		return
	}
	typ, replyTo := kick.ChatMessageType(in.Type), deref(in.ReplyToMessageID)
	sender, broadcaster := c.userID(), deref(in.BroadcasterUserID)
	if typ == kick.ChatMessageBot {
		sender, broadcaster = BotUser.UserID, c.userID()
	} else if broadcaster == 0 {
		c.badRequest("broadcaster_user_id is required for a message of type user")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.st.channels[broadcaster]
	if ch == nil {
		c.fail(http.StatusNotFound, "Not Found: no channel of broadcaster %d", broadcaster)
		return
	}
	if b := ch.bans[sender]; b != nil && b.active(s.cfg.now()) {
		c.fail(http.StatusForbidden, "Forbidden: the sender is banned from this chat")
		return
	}
	if replyTo != "" {
		if m := s.st.messages[replyTo]; m == nil || m.BroadcasterUserID != broadcaster {
			c.badRequest("Invalid reply_to_message_id: no such message in this chat")
			return
		}
	}
	m := s.chatLocked(typ, sender, broadcaster, in.Content, replyTo)
	c.ok(gen.SentChatMessageEnvelope{Data: gen.SentChatMessage{IsSent: true, MessageID: m.MessageID}, Message: okMessage})
}

// chatLocked stores a message and sends chat.message.sent; s.mu is held.
func (s *Server) chatLocked(typ kick.ChatMessageType, sender, broadcaster int64, content, replyTo string) *ChatMessage {
	m, ev := s.st.chat(typ, sender, broadcaster, content, replyTo, s.cfg.now())
	s.emitLocked(kick.EventChatMessageSent, broadcaster, ev)
	return m
}

// deleteChatMessage deletes a message of a chat the token's user owns or moderates.
func (s *Server) deleteChatMessage(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.st.messages[c.r.PathValue("message_id")]
	if m == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	if !s.st.moderates(c.userID(), m.BroadcasterUserID) {
		c.fail(http.StatusForbidden, "Forbidden: not a moderator of this chat")
		return
	}
	delete(s.st.messages, m.MessageID)
	c.noContent()
}

// moderates reports whether user owns or moderates the channel of broadcaster.
func (st *state) moderates(user, broadcaster int64) bool {
	ch := st.channels[broadcaster]
	return ch != nil && (user == broadcaster || ch.mods[user])
}

// banUser bans or times out a user in a chat the token's user owns or moderates, and sends
// moderation.banned.
func (s *Server) banUser(c *call) {
	var in gen.BanInput
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
		s.st.ban(in.BroadcasterUserID, in.UserID, c.userID(), deref(in.Reason), int(deref(in.Duration)), s.cfg.now()))
	c.ok(gen.EmptyEnvelope{Data: gen.EmptyObject{}, Message: okMessage})
}

// unbanUser lifts a ban or timeout; lifting one that is not there succeeds too.
func (s *Server) unbanUser(c *call) {
	var in gen.UnbanInput
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.checkModeration(c, in.BroadcasterUserID, in.UserID) {
		return
	}
	delete(s.st.channels[in.BroadcasterUserID].bans, in.UserID)
	c.ok(gen.EmptyEnvelope{Data: gen.EmptyObject{}, Message: okMessage})
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
