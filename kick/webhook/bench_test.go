package webhook_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// Run both in one go to compare them on the same machine, payload and key:
//
//	go test -run='^$' -bench='VerifyDecode|RawBaseline' -benchmem -count=10 ./kick/webhook/

// BenchmarkVerifyDecode is what the Handler does per chat message before calling user code:
// header checks, signature, tolerance and decoding into *ChatMessageSent.
func BenchmarkVerifyDecode(b *testing.B) {
	body := chatBody(b)
	h := eventHeaders(testMessageID, testTimestamp, body)
	v := newVerifier(b, webhook.WithClock(fixedClock(testTime)))
	ctx := context.Background()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := v.Verify(ctx, h, body)
		if err != nil {
			b.Fatal(err)
		}
		e, err := d.Event()
		if err != nil {
			b.Fatal(err)
		}
		if e.(*webhook.ChatMessageSent).Sender.UserID == 0 {
			b.Fatal("not decoded")
		}
	}
}

// rawChat is the struct a hand-written receiver would decode a chat message into: plain fields,
// no tolerance.
type rawChat struct {
	MessageID string `json:"message_id"`
	RepliesTo *struct {
		MessageID string  `json:"message_id"`
		Content   string  `json:"content"`
		Sender    rawUser `json:"sender"`
	} `json:"replies_to"`
	Broadcaster rawUser `json:"broadcaster"`
	Sender      rawUser `json:"sender"`
	Content     string  `json:"content"`
	Emotes      []struct {
		EmoteID   string `json:"emote_id"`
		Positions []struct {
			S int `json:"s"`
			E int `json:"e"`
		} `json:"positions"`
	} `json:"emotes"`
	CreatedAt time.Time `json:"created_at"`
}

type rawUser struct {
	IsAnonymous    bool   `json:"is_anonymous"`
	UserID         int64  `json:"user_id"`
	Username       string `json:"username"`
	IsVerified     bool   `json:"is_verified"`
	ProfilePicture string `json:"profile_picture"`
	ChannelSlug    string `json:"channel_slug"`
	Identity       *struct {
		UsernameColor string `json:"username_color"`
		Badges        []struct {
			Text  string `json:"text"`
			Type  string `json:"type"`
			Count int    `json:"count"`
		} `json:"badges"`
	} `json:"identity"`
}

// BenchmarkRawBaseline is the least any receiver must do: base64-decode the signature, SHA-256
// over id.timestamp.body, rsa.VerifyPKCS1v15, json.Unmarshal into a plain struct. No header
// checks, no replay window, no tolerance.
func BenchmarkRawBaseline(b *testing.B) {
	body := chatBody(b)
	h := eventHeaders(testMessageID, testTimestamp, body)
	pub := testSigner().PublicKey()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := rawVerifyDecode(pub, h, body)
		if err != nil {
			b.Fatal(err)
		}
		if m.Sender.UserID == 0 {
			b.Fatal("not decoded")
		}
	}
}

// BenchmarkDecode is the decoding part of BenchmarkVerifyDecode alone.
func BenchmarkDecode(b *testing.B) {
	body := chatBody(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := webhook.Decode(kick.EventChatMessageSent, 1, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHandler is a whole delivery through the Handler: building the incoming request,
// reading the body, verifying, claiming and completing the message id, decoding and dispatching.
// The store forgets every id, so that one signed request can be served again and again.
func BenchmarkHandler(b *testing.B) {
	body := chatBody(b)
	v := newVerifier(b, webhook.WithClock(fixedClock(testTime)))
	h, err := webhook.NewHandler(webhook.WithVerifier(v), webhook.WithStore(forgetfulStore{}))
	if err != nil {
		b.Fatal(err)
	}
	h.OnChatMessageSent(func(context.Context, *webhook.Delivery, *webhook.ChatMessageSent) error { return nil })
	d := webhooktest.NewDelivery(kick.EventChatMessageSent, body)
	d.Timestamp = testTime
	header := testSigner().Headers(d)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header = header
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

type forgetfulStore struct{}

func (forgetfulStore) Claim(context.Context, string, time.Duration) error    { return nil }
func (forgetfulStore) Complete(context.Context, string, time.Duration) error { return nil }
func (forgetfulStore) Release(context.Context, string) error                 { return nil }
