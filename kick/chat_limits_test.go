package kick_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// Kick limits a chat message to 500 grapheme clusters and 2,048 bytes of UTF-8, both. Counting code
// points, as the SDK did, refused messages Kick takes (256 flags are 512 code points) and is wrong
// for any script whose characters are several code points. The SDK checks both limits before
// sending, and kicktest answers 400 to a message over either, as Kick does.
func TestChatContentLimits(t *testing.T) {
	t.Parallel()
	const (
		flag   = "🇩🇪"                     // two regional indicators: 1 cluster, 2 code points, 8 bytes
		family = "👨\u200d👩\u200d👧\u200d👦" // a ZWJ sequence: 1 cluster, 7 code points, 25 bytes
		acute  = "e\u0301"                // e and a combining acute accent: 1 cluster, 2 code points, 3 bytes
		kanji  = "漢"                      // 1 cluster, 1 code point, 3 bytes
	)
	tests := []struct {
		name    string
		content string
		ok      bool
	}{
		{"500 ASCII", strings.Repeat("a", 500), true},
		{"501 ASCII", strings.Repeat("a", 501), false},
		{"256 flags: 512 code points, 2,048 bytes", strings.Repeat(flag, 256), true},
		{"257 flags: 2,056 bytes", strings.Repeat(flag, 257), false},
		{"81 families: 567 code points, 2,025 bytes", strings.Repeat(family, 81), true},
		{"82 families: 2,050 bytes", strings.Repeat(family, 82), false},
		{"500 combining accents: 1,000 code points", strings.Repeat(acute, 500), true},
		{"501 combining accents", strings.Repeat(acute, 501), false},
		{"500 CJK: 1,500 bytes", strings.Repeat(kanji, 500), true},
		{"501 CJK", strings.Repeat(kanji, 501), false},
		{"499 ASCII and a family", strings.Repeat("a", 499) + family, true},
		{"500 ASCII and a combining mark on the last", strings.Repeat("a", 500) + "\u0301", true},
	}
	s := kicktest.New(t)
	c := s.MustClient(kicktest.Streamer.UserID)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before := s.Requests("sendChatMessage")
			_, err := c.Chat.Send(context.Background(), kick.ChatSendParams{Type: kick.ChatMessageBot, Content: tt.content})
			switch {
			case tt.ok && err != nil:
				t.Errorf("%d code points, %d bytes: %v", utf8.RuneCountInString(tt.content), len(tt.content), err)
			case !tt.ok:
				wantInvalid(t, err, "sendChatMessage", "Content")
				if s.Requests("sendChatMessage") != before {
					t.Error("an invalid message was sent")
				}
			}
		})
	}
}

// kicktest holds raw requests to the same limits (a client that skips the SDK's checks).
func TestKicktestChatContentLimits(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := s.MustClient(kicktest.Streamer.UserID)
	send := func(content string) error {
		req, err := c.NewRequest("POST", "/public/v1/chat", map[string]string{"type": "bot", "content": content})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Do(context.Background(), req, nil)
		return err
	}
	if err := send(strings.Repeat("🇩🇪", 256)); err != nil {
		t.Errorf("256 flags: %v", err)
	}
	for name, content := range map[string]string{
		"501 accents": strings.Repeat("e\u0301", 501),
		"82 families": strings.Repeat("👨\u200d👩\u200d👧\u200d👦", 82),
	} {
		var ae *kick.APIError
		if err := send(content); !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %v, want 400", name, err)
		}
	}
}
