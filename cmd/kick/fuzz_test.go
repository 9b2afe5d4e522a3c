package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// FuzzListen feeds 'kick event listen' what a sender controls: the headers (as a capture file
// that parseHeaders reads, the format of 'kick event verify --headers') and the body. The
// listener must answer 200 only for a delivery that verifies, 400 or 413 otherwise, save what it
// got under a safe name, and never panic.
func FuzzListen(f *testing.F) {
	signer := devSigner()
	d := webhooktest.NewDelivery(kick.EventChatMessageSent, []byte(`{"message_id":"m","broadcaster":{},"sender":{},"content":"hi","emotes":[],"created_at":"2025-01-14T16:08:06Z"}`))
	var good bytes.Buffer
	for name, v := range signer.Headers(d) {
		good.WriteString(name + ": " + v[0] + "\n")
	}
	f.Add(good.String(), d.Body)
	f.Add("POST /kick/webhook HTTP/1.1\nKick-Event-Message-Id: ../../x\nKick-Event-Type: chat.message.sent\n\nbody", []byte("{}"))
	f.Add(`{"Kick-Event-Message-Id": ["a", "b"], "Kick-Event-Signature": "!!"}`, []byte(nil))
	f.Add("Kick-Event-Message-Timestamp: 2025-01-14T16:08:06Z\nKick-Event-Version: x", bytes.Repeat([]byte("["), 1000))
	key, _, short, err := (&keyChoice{dev: true}).key()
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	a := newApp(strings.NewReader(""), io.Discard, io.Discard, func(string) string { return "" })
	l := &listener{a: a, ctx: context.Background(), out: &output{format: formatJSON}, key: key, keyShort: short,
		store: &deliveryStore{dir: dir}, save: true}
	f.Fuzz(func(t *testing.T, rawHeaders string, body []byte) {
		h, err := parseHeaders([]byte(rawHeaders))
		if err != nil {
			h = http.Header{}
		}
		req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/kick/webhook", bytes.NewReader(body))
		for name, values := range h {
			for _, v := range values {
				req.Header.Add(name, v)
			}
		}
		rec := httptest.NewRecorder()
		l.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			if _, err := verifyDelivery(context.Background(), key, time.Time{}, req.Header, body); err != nil {
				t.Fatalf("200 for a delivery that does not verify: %v", err)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d", rec.Code)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.ContainsAny(e.Name(), `/\`) || strings.HasPrefix(e.Name(), ".") {
				t.Fatalf("saved as %q", e.Name())
			}
		}
	})
}
