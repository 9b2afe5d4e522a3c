package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// realDeliveryDir holds deliveries shaped as Kick really sent them; see its index.json.
const realDeliveryDir = "../../testdata/webhooks/real"

// 'kick event verify' verifies every shape of delivery Kick has really sent, signed with a key of
// the test, at the time it was sent, and prints the event it decodes to: the pre-identity
// deliveries of early 2025 among them, which are valid, signed deliveries of Kick.
func TestEventVerifyRealDeliveries(t *testing.T) {
	t.Parallel()
	_, public := writeTestKeys(t)
	env := cliEnv(t)
	data, err := os.ReadFile(filepath.Join(realDeliveryDir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var index map[string]struct {
		Type           kick.EventType `json:"type"`
		MessageID      string         `json:"message_id"`
		SubscriptionID string         `json:"subscription_id"`
		Timestamp      string         `json:"timestamp"`
	}
	if err := json.Unmarshal(data, &index); err != nil {
		t.Fatal(err)
	}
	if len(index) < 6 {
		t.Fatalf("the corpus has %d deliveries", len(index))
	}
	for name, h := range index {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(filepath.Join(realDeliveryDir, name))
			if err != nil {
				t.Fatal(err)
			}
			ts, err := webhook.ParseTimestamp(h.Timestamp)
			if err != nil {
				t.Fatal(err)
			}
			d := webhook.Delivery{MessageID: h.MessageID, SubscriptionID: h.SubscriptionID, Type: h.Type, Version: 1, Timestamp: ts, Body: body}
			headers, bodyFile := capture{webhooktest.NewSignerFromKey(testKey()).Headers(d), body}.write(t, false)

			args := []string{"event", "verify", "--headers", headers, "--body", bodyFile, "--public-key", public, "--at", h.Timestamp}
			r := runCLI(t, env, append(args, "-o", "json")...)
			wantCode(t, r, 0, args...)
			var got struct {
				Valid       bool            `json:"valid"`
				Type        kick.EventType  `json:"type"`
				Event       json.RawMessage `json:"event"`
				DecodeError string          `json:"decode_error"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("%v\n%s", err, r.stdout)
			}
			want, err := webhook.Decode(h.Type, 1, body)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			wantJSON, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			var gotEvent, wantEvent any
			if err := json.Unmarshal(got.Event, &gotEvent); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(wantJSON, &wantEvent); err != nil {
				t.Fatal(err)
			}
			if !got.Valid || got.Type != h.Type || got.DecodeError != "" || !reflect.DeepEqual(gotEvent, wantEvent) {
				t.Errorf("kick event verify -o json:\n%s\nwant the event %s", r.stdout, wantJSON)
			}

			r = runCLI(t, env, args...)
			wantCode(t, r, 0, args...)
			if summary := summarize(want); summary == "" || !strings.Contains(r.stdout, summary) {
				t.Errorf("the summary %q is not in the output:\n%s", summary, r.stdout)
			}
		})
	}
}

// 'kick event trigger --shape' sends a sample as Kick sent deliveries at an earlier time: each
// shape of each event type reaches a handler as its typed event, and carries what it should.
func TestEventTriggerShapes(t *testing.T) {
	t.Parallel()
	private, _ := writeTestKeys(t)
	env := cliEnv(t)
	for _, shape := range []string{"current", "mid-2025", "early-2025"} {
		srv, rec := webhookServer(t, &testKey().PublicKey)
		var bodies []string
		for _, typ := range []kick.EventType{kick.EventChatMessageSent, kick.EventLivestreamStatusUpdated, kick.EventChannelSubscriptionGifts} {
			args := []string{"event", "trigger", string(typ), "--to", srv.URL + "/kick/webhook", "--key", private, "--shape", shape, "-o", "json"}
			r := runCLI(t, env, args...)
			wantCode(t, r, 0, args...)
			var sent struct {
				Body json.RawMessage `json:"body"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &sent); err != nil {
				t.Fatalf("%v\n%s", err, r.stdout)
			}
			bodies = append(bodies, string(sent.Body))
		}
		rec.mu.Lock()
		if len(rec.errs) > 0 || len(rec.events) != 3 {
			t.Errorf("%s: the handler got %d events and errors %v", shape, len(rec.events), rec.errs)
		}
		for _, e := range rec.events {
			if u, ok := e.(*webhook.UnknownEvent); ok {
				t.Errorf("%s: %s did not decode: %v", shape, u.Type, u.Err)
			}
		}
		rec.mu.Unlock()
		for _, body := range bodies {
			if strings.Contains(body, `"identity"`) != (shape != "early-2025") {
				t.Errorf("%s: identity in %s", shape, body)
			}
		}
		if strings.Contains(bodies[0], `"created_at"`) != (shape == "current") {
			t.Errorf("%s: created_at in %s", shape, bodies[0])
		}
	}
	r := runCLI(t, env, "event", "trigger", "chat.message.sent", "--shape", "late-2024", "--to", "http://127.0.0.1:1/")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, `invalid --shape "late-2024": want one of current, mid-2025, early-2025`) {
		t.Errorf("an unknown shape:\n%s", r.stderr)
	}
}
