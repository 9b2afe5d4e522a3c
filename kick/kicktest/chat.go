// Chat (https://docs.kick.com/apis/chat): send, as a user or the app's bot, and delete.

package kicktest

import (
	"net/http"

	"github.com/kick-sdk/kick-go/kick"
)

// sendChatMessage posts a message as the token's user to a channel, or as the app's bot
// (BotUser) to the token owner's channel, stores it and sends chat.message.sent.
func (s *Server) sendChatMessage(c *call) {
	var in kick.ChatSendParams
	if !c.decode(&in) {
		return
	}
	if msg := s.spec.textLimitOf("ChatMessageInput", "content").check("content", in.Content); msg != "" {
		c.badRequest("Invalid parameters: %s", msg)
		return
	}
	typ, replyTo := in.Type, in.ReplyToMessageID
	sender, broadcaster := c.userID(), in.BroadcasterUserID
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
	c.data(kick.SentChatMessage{IsSent: true, MessageID: m.MessageID})
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
