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
