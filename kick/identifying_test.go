package kick_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/kick-sdk/kick-go/kick"
)

// An answer that lacks what identifies it is not a success: a chat message "sent" without a
// message id cannot be deleted or replied to, and a user without a user id is no user. Each of
// these fails with ErrUnexpectedResponse (rather than returning zero values as data); the same
// answers with the identifying keys decode, whatever else is missing.
func TestAnswersLackingIdentifyingKeys(t *testing.T) {
	t.Parallel()
	send := func(c *kick.Client) (any, error) {
		return c.Chat.Send(context.Background(), kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "hi"})
	}
	me := func(c *kick.Client) (any, error) { return c.Users.Me(context.Background()) }
	get := func(c *kick.Client) (any, error) { return c.Users.Get(context.Background(), []int64{1}) }
	tests := []struct {
		name string
		call func(*kick.Client) (any, error)
		body string
		ok   bool
	}{
		{"Chat.Send, empty data", send, `{"data":{},"message":"OK"}`, false},
		{"Chat.Send, is_sent only", send, `{"data":{"is_sent":true},"message":"OK"}`, false},
		{"Chat.Send, message_id null", send, `{"data":{"is_sent":true,"message_id":null},"message":"OK"}`, false},
		{"Chat.Send, message_id empty", send, `{"data":{"is_sent":true,"message_id":""},"message":"OK"}`, false},
		{"Chat.Send, message_id only", send, `{"data":{"message_id":"9ec70d6a-256c-4646-86c1-271e080d1d5c"}}`, true},
		{"Users.Me, an empty user", me, `{"data":[{}],"message":"OK"}`, false},
		{"Users.Me, a user without id", me, `{"data":[{"name":"nova","profile_picture":""}],"message":"OK"}`, false},
		{"Users.Me, a user id only", me, `{"data":[{"user_id":24871935}],"message":"OK"}`, true},
		{"Users.Get, the second user empty", get, `{"data":[{"user_id":1},{"name":"x"}],"message":"OK"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := stubClient(t, stubAnswer{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(tt.body)})
			got, err := tt.call(c)
			switch {
			case tt.ok && err != nil:
				t.Errorf("got %v, want success", err)
			case !tt.ok && !errors.Is(err, kick.ErrUnexpectedResponse):
				t.Errorf("got %+v, %v; want an error wrapping ErrUnexpectedResponse", got, err)
			}
		})
	}
}
