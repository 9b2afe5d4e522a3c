package kick_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

func TestChatSend(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		msg  kick.ChatSendParams
		body string
	}{
		{
			name: "user",
			msg:  kick.ChatSendParams{Type: kick.ChatMessageUser, Content: "Hello chat!", BroadcasterUserID: 123456789},
			body: `{"type":"user","content":"Hello chat!","broadcaster_user_id":123456789}`,
		},
		{
			name: "user reply",
			msg: kick.ChatSendParams{
				Type: kick.ChatMessageUser, Content: "agreed", BroadcasterUserID: 24871935,
				ReplyToMessageID: "828f83bb-e391-4c78-9e91-af35a172840e",
			},
			body: `{"type":"user","content":"agreed","broadcaster_user_id":24871935,"reply_to_message_id":"828f83bb-e391-4c78-9e91-af35a172840e"}`,
		},
		{
			name: "bot",
			msg:  kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "Stream starts in 5 minutes"},
			body: `{"type":"bot","content":"Stream starts in 5 minutes"}`,
		},
		{
			// Kick ignores the broadcaster of a bot message, so it is not sent, whatever its value.
			name: "bot with broadcaster",
			msg:  kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "hi", BroadcasterUserID: 24871935, ReplyToMessageID: "828F83BB-E391-4C78-9E91-AF35A172840E"},
			body: `{"type":"bot","content":"hi","reply_to_message_id":"828F83BB-E391-4C78-9E91-AF35A172840E"}`,
		},
		{
			name: "500 characters",
			msg:  kick.ChatSendParams{Type: kick.ChatMessageBot, Content: strings.Repeat("ä", 500)},
			body: `{"type":"bot","content":"` + strings.Repeat("ä", 500) + `"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			srv.handle(t, "/public/v1/chat", want{method: "POST", path: "/public/v1/chat", body: tt.body, token: userToken}, fixture(t, "sendChatMessage"))
			got, err := c.Chat.Send(context.Background(), tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			wantSent := &kick.SentChatMessage{IsSent: true, MessageID: "9ec70d6a-256c-4646-86c1-271e080d1d5c"}
			if diff := cmp.Diff(wantSent, got); diff != "" {
				t.Errorf("sent (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChatSendInvalidInput(t *testing.T) {
	t.Parallel()
	valid := kick.ChatSendParams{Type: kick.ChatMessageUser, Content: "Hello chat!", BroadcasterUserID: 123456789}
	tests := []struct {
		name  string
		edit  func(*kick.ChatSendParams)
		field string
	}{
		{"no type", func(m *kick.ChatSendParams) { m.Type = "" }, "Type"},
		{"unknown type", func(m *kick.ChatSendParams) { m.Type = "moderator" }, "Type"},
		{"no content", func(m *kick.ChatSendParams) { m.Content = "" }, "Content"},
		{"501 characters", func(m *kick.ChatSendParams) { m.Content = strings.Repeat("ä", 501) }, "Content"},
		{"2,049 bytes", func(m *kick.ChatSendParams) { m.Content = strings.Repeat("€", 683) }, "Content"},
		{"user without broadcaster", func(m *kick.ChatSendParams) { m.BroadcasterUserID = 0 }, "BroadcasterUserID"},
		{"user with negative broadcaster", func(m *kick.ChatSendParams) { m.BroadcasterUserID = -7 }, "BroadcasterUserID"},
		{"reply to a non-UUID", func(m *kick.ChatSendParams) { m.ReplyToMessageID = "12345" }, "ReplyToMessageID"},
		{"reply to a braced UUID", func(m *kick.ChatSendParams) { m.ReplyToMessageID = "{828f83bb-e391-4c78-9e91-af35a172840e}" }, "ReplyToMessageID"},
		{"reply to a UUID without dashes", func(m *kick.ChatSendParams) { m.ReplyToMessageID = "828f83bbe3914c789e91af35a172840e" }, "ReplyToMessageID"},
		{"reply to a UUID with a bad digit", func(m *kick.ChatSendParams) { m.ReplyToMessageID = "828f83bb-e391-4c78-9e91-af35a172840g" }, "ReplyToMessageID"},
		{"reply to a misplaced dash", func(m *kick.ChatSendParams) { m.ReplyToMessageID = "828f83b-be391-4c78-9e91-af35a172840e" }, "ReplyToMessageID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			m := valid
			tt.edit(&m)
			_, err := c.Chat.Send(context.Background(), m)
			wantInvalid(t, err, "sendChatMessage", tt.field)
			noRequest(t, srv)
		})
	}
}

// TestChatSendServerErrorNotRepeated checks that a message whose POST got a 500 (Kick may have
// posted it) is reported after one request, with the client's default retry policy.
func TestChatSendServerErrorNotRepeated(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.mux.HandleFunc("/public/v1/chat", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusInternalServerError, []byte(`{"data":null,"message":"Internal server error"}`))
	})
	_, err := c.Chat.Send(context.Background(), kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "once"})
	if !errors.Is(err, kick.ErrServer) {
		t.Fatalf("err = %v, want ErrServer", err)
	}
	var ae *kick.APIError
	if !errors.As(err, &ae) || ae.Operation != "sendChatMessage" || ae.Method != http.MethodPost || ae.Message != "Internal server error" {
		t.Errorf("error = %+v", ae)
	}
	if n := srv.requests.Load(); n != 1 {
		t.Errorf("the server received %d requests, want 1", n)
	}
}

func TestChatDelete(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/chat/{message_id}", want{method: "DELETE", path: "/public/v1/chat/9ec70d6a-256c-4646-86c1-271e080d1d5c", token: userToken}, nil)
	if err := c.Chat.Delete(context.Background(), "9ec70d6a-256c-4646-86c1-271e080d1d5c"); err != nil {
		t.Fatal(err)
	}
}

func TestChatDeleteInvalidInput(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"", "..", "9ec70d6a", "9ec70d6a-256c-4646-86c1-271e080d1d5c/x", "9ec70d6a/256c-4646-86c1-271e080d1d5c"} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			wantInvalid(t, c.Chat.Delete(context.Background(), id), "deleteChatMessage", "messageID")
			noRequest(t, srv)
		})
	}
}

func TestChatNeedsUserToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	calls := map[string]func(c *kick.Client, opts ...kick.RequestOption) error{
		"sendChatMessage": func(c *kick.Client, opts ...kick.RequestOption) error {
			_, err := c.Chat.Send(ctx, kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "hi"}, opts...)
			return err
		},
		"deleteChatMessage": func(c *kick.Client, opts ...kick.RequestOption) error {
			return c.Chat.Delete(ctx, "9ec70d6a-256c-4646-86c1-271e080d1d5c", opts...)
		},
	}
	runNeedsUserToken(t, calls)
}

// The methods of the Chat service in the operations table.
var _ = addOperations(
	operation{"Chat.Send", "sendChatMessage", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Chat.Send(ctx, kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "hello"})
	}},
	operation{"Chat.Delete", "deleteChatMessage", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Chat.Delete(ctx, "9ec70d6a-256c-4646-86c1-271e080d1d5c")
	}},
)
