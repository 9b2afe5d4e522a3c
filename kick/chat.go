package kick

import (
	"context"

	"github.com/kick-sdk/kick-go/gen"
)

// ChatService sends and deletes chat messages. Kick docs: Chat.
type ChatService service

// ChatSendParams is a message for Send. Kick's schema: ChatMessageInput.
type ChatSendParams struct {
	// Type says who sends the message; required. ChatMessageUser sends as the token's user to the
	// channel of BroadcasterUserID; ChatMessageBot sends as the app's bot, always to the channel of
	// the token's user.
	Type ChatMessageType `json:"type"`
	// Content is the text: not empty, at most 500 characters counted as grapheme clusters (what a
	// reader sees as one character: a flag or a family emoji is one) and at most 2,048 bytes of
	// UTF-8, both checked before sending. Emotes are written "[emote:<id>:<name>]".
	Content string `json:"content"`
	// BroadcasterUserID is the user id of the channel to post in; required (> 0) for
	// ChatMessageUser. Kick ignores it for ChatMessageBot, so it is not sent then.
	BroadcasterUserID int64 `json:"broadcaster_user_id,omitempty"`
	// ReplyToMessageID, when set, is the id (a UUID) of the message this one replies to.
	ReplyToMessageID string `json:"reply_to_message_id,omitempty"`
}

// SentChatMessage is Kick's answer to Send. Kick's schema: SentChatMessage.
type SentChatMessage struct {
	// IsSent says whether Kick posted the message.
	IsSent bool `json:"is_sent"`
	// MessageID is the new message's id (a UUID), for Delete or a reply.
	MessageID string `json:"message_id"`
}

// Send posts a chat message and returns its id. A bot message (ChatMessageBot) needs a bot set up
// in the app owner's developer settings; without one Kick answers 500.
//
// Send is not idempotent: the client never sends it again once Kick may have processed it, so a
// failed call can still have posted the message.
//
// Token: a user token with ScopeChatWrite. Operation sendChatMessage.
//
// Kick API docs: https://docs.kick.com/apis/chat
func (s *ChatService) Send(ctx context.Context, m ChatSendParams, opts ...RequestOption) (*SentChatMessage, error) {
	op := gen.SendChatMessage
	switch m.Type {
	case "":
		return nil, invalid(op.ID, "Type", "is required: ChatMessageUser or ChatMessageBot")
	case ChatMessageUser, ChatMessageBot:
	default:
		return nil, invalid(op.ID, "Type", "%q is not a known chat message type", m.Type)
	}
	if err := checkGraphemes(op.ID, "Content", m.Content, gen.LimitChatMessageInputContentMaxGraphemes, gen.LimitChatMessageInputContentMaxBytes); err != nil {
		return nil, err
	}
	if m.Type == ChatMessageUser && m.BroadcasterUserID <= 0 {
		return nil, invalid(op.ID, "BroadcasterUserID", "%d is not a positive id; a user message needs the channel's broadcaster", m.BroadcasterUserID)
	}
	if m.ReplyToMessageID != "" && !chatIsUUID(m.ReplyToMessageID) {
		return nil, invalid(op.ID, "ReplyToMessageID", "%q is not a UUID", m.ReplyToMessageID)
	}
	// ChatSendParams marshals as Kick's body; Kick ignores the broadcaster of a bot message, which
	// is not sent.
	if m.Type == ChatMessageBot {
		m.BroadcasterUserID = 0
	}
	raw, err := encode(op.Operation, m)
	if err != nil {
		return nil, err
	}
	var env data[SentChatMessage]
	if err := s.client.fetch(ctx, op.Request(raw), opts, &env); err != nil {
		return nil, err
	}
	return &env.Data, nil
}

// Delete deletes the chat message messageID (a UUID) in a channel the token's user moderates.
//
// Token: a user token with ScopeModerationChatMessageManage. Operation deleteChatMessage.
//
// Kick API docs: https://docs.kick.com/apis/chat
func (s *ChatService) Delete(ctx context.Context, messageID string, opts ...RequestOption) error {
	if !chatIsUUID(messageID) {
		return invalid(gen.DeleteChatMessage.ID, "messageID", "%q is not a UUID", messageID)
	}
	return s.client.fetch(ctx, gen.DeleteChatMessage.Request(messageID), opts, nil)
}

// chatIsUUID reports whether s is a UUID in its canonical text form, 8-4-4-4-12 hexadecimal digits
// of either case.
func chatIsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
				return false
			}
		}
	}
	return true
}
