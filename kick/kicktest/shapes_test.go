package kicktest_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// The server delivers the shape it is told to: every payload of every shape is valid against the
// spec (New fails the test on a violation), decodes, and carries what deliveries of its time did.
func TestPayloadShapes(t *testing.T) {
	t.Parallel()
	for _, shape := range kicktest.PayloadShapes {
		t.Run(string(shape), func(t *testing.T) {
			t.Parallel()
			rc := newReceiver(t)
			s := kicktest.New(t, kicktest.WithWebhookURL(rc.URL), kicktest.WithPayloadShape(shape))
			c := client(t, s, kicktest.Streamer.UserID)
			if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID); err != nil {
				t.Fatal(err)
			}
			s.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "no emotes here")
			s.StartStream(kicktest.Streamer.UserID, "early stream")
			s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
			flush(t, s)
			if errs := rc.failures(); len(errs) > 0 {
				t.Fatalf("the handler refused: %v", errs)
			}
			got := rc.events()
			if len(got) != 3 {
				t.Fatalf("%d deliveries, want 3", len(got))
			}
			for _, r := range got {
				if _, unknown := r.e.(*webhook.UnknownEvent); unknown {
					t.Errorf("%s did not decode: %v", r.d.Type, r.e.(*webhook.UnknownEvent).Err)
				}
				body := string(r.d.Body)
				hasIdentity := strings.Contains(body, `"identity"`)
				if want := shape != kicktest.PayloadsEarly2025; hasIdentity != want {
					t.Errorf("%s %s: identity key %v, want %v: %s", shape, r.d.Type, hasIdentity, want, body)
				}
				if r.d.Type != kick.EventChatMessageSent {
					continue
				}
				chat := r.e.(*webhook.ChatMessageSent)
				if want := shape == kicktest.PayloadsCurrent; strings.Contains(body, `"created_at"`) != want || chat.CreatedAt.IsZero() == want {
					t.Errorf("%s: created_at %v, want it %v: %s", shape, chat.CreatedAt, want, body)
				}
				if shape != kicktest.PayloadsCurrent && !strings.Contains(body, `"emotes":null`) {
					t.Errorf("%s: emotes not null: %s", shape, body)
				}
				if shape == kicktest.PayloadsEarly2025 && !strings.Contains(body, `"is_verified":null`) {
					t.Errorf("%s: is_verified not null: %s", shape, body)
				}
			}
		})
	}
}

// ReshapePayload keeps the order of the keys, writes compact JSON escaped as Kick escapes it,
// gives the current shape's users an identity key, and refuses what it cannot reshape.
func TestReshapePayload(t *testing.T) {
	t.Parallel()
	in := []byte(`{"message_id":"m","broadcaster":{"is_anonymous":false,"user_id":1,"username":"a\u0026b","is_verified":true,"profile_picture":"","channel_slug":"a"},` +
		`"sender":{"is_anonymous":false,"user_id":2,"username":"s","is_verified":false,"profile_picture":"","channel_slug":"s","identity":{"username_color":"#fff","badges":[]}},` +
		`"content":"x < y","emotes":[],"created_at":"2025-08-20T07:05:42.561408909Z","n":1.50}`)
	for shape, want := range map[kicktest.PayloadShape]string{
		kicktest.PayloadsCurrent: `{"message_id":"m","broadcaster":{"is_anonymous":false,"user_id":1,"username":"a\u0026b","is_verified":true,"profile_picture":"","channel_slug":"a","identity":null},` +
			`"sender":{"is_anonymous":false,"user_id":2,"username":"s","is_verified":false,"profile_picture":"","channel_slug":"s","identity":{"username_color":"#fff","badges":[]}},` +
			`"content":"x \u003c y","emotes":[],"created_at":"2025-08-20T07:05:42.561408909Z","n":1.50}`,
		kicktest.PayloadsMid2025: `{"message_id":"m","broadcaster":{"is_anonymous":false,"user_id":1,"username":"a\u0026b","is_verified":true,"profile_picture":"","channel_slug":"a","identity":null},` +
			`"sender":{"is_anonymous":false,"user_id":2,"username":"s","is_verified":false,"profile_picture":"","channel_slug":"s","identity":{"username_color":"#fff","badges":[]}},` +
			`"content":"x \u003c y","emotes":null,"n":1.50}`,
		kicktest.PayloadsEarly2025: `{"message_id":"m","broadcaster":{"is_anonymous":false,"user_id":1,"username":"a\u0026b","is_verified":null,"profile_picture":"","channel_slug":"a"},` +
			`"sender":{"is_anonymous":false,"user_id":2,"username":"s","is_verified":null,"profile_picture":"","channel_slug":"s"},` +
			`"content":"x \u003c y","emotes":null,"n":1.50}`,
	} {
		got, err := kicktest.ReshapePayload(kick.EventChatMessageSent, in, shape)
		if err != nil || string(got) != want {
			t.Errorf("%s:\n got %s (%v)\nwant %s", shape, got, err, want)
		}
		if !json.Valid(got) || bytes.HasSuffix(got, []byte("\n")) {
			t.Errorf("%s: not compact JSON", shape)
		}
	}
	for name, tc := range map[string]struct {
		body  string
		shape kicktest.PayloadShape
	}{
		"unknown shape": {`{}`, "late-2024"},
		"an array":      {`[]`, kicktest.PayloadsCurrent},
		"not JSON":      {`{"a":`, kicktest.PayloadsCurrent},
		"two values":    {`{} {}`, kicktest.PayloadsCurrent},
	} {
		if _, err := kicktest.ReshapePayload(kick.EventChannelFollowed, []byte(tc.body), tc.shape); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// An unknown shape is refused when the server starts, not when it delivers.
func TestUnknownPayloadShape(t *testing.T) {
	t.Parallel()
	if s, err := kicktest.NewServer(kicktest.WithPayloadShape("late-2024")); err == nil {
		s.Close()
		t.Error("NewServer took an unknown payload shape")
	}
}
