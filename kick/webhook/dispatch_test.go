package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// Dispatch runs a delivery verified elsewhere through the handler's functions and Store: the
// typed function once, a duplicate not at all, a failure released for the next attempt, a panic
// as a *PanicError, and a delivery claimed by someone else as ErrInFlight. The default error hook
// logs it without a request.
func TestDispatch(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	store := webhook.NewMemoryStore(0)
	h, err := webhook.NewHandler(webhook.WithStore(store), webhook.WithErrorHook(webhook.LogErrors(slog.New(slog.NewTextHandler(&logs, nil)))))
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	fail, panics := errors.New("database down"), false
	h.OnChatMessageSent(func(_ context.Context, d *webhook.Delivery, e *webhook.ChatMessageSent) error {
		calls = append(calls, e.Content)
		if panics {
			panic("boom")
		}
		return fail
	})
	ctx := context.Background()
	d := webhooktest.NewDelivery(kicktypes.EventChatMessageSent, []byte(chatPayload))
	if err := h.Dispatch(ctx, &d); !errors.Is(err, fail) {
		t.Fatalf("failing function: %v", err)
	}
	fail = nil
	if err := h.Dispatch(ctx, &d); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if err := h.Dispatch(ctx, &d); err != nil {
		t.Fatalf("duplicate: %v", err)
	}
	if len(calls) != 2 {
		t.Errorf("the function ran %d times, want 2 (the failure and its retry)", len(calls))
	}
	if !strings.Contains(logs.String(), "database down") || !strings.Contains(logs.String(), d.MessageID) {
		t.Errorf("the hook did not log the failure:\n%s", logs.String())
	}

	d2 := webhooktest.NewDelivery(kicktypes.EventChatMessageSent, []byte(chatPayload))
	panics = true
	var pe *webhook.PanicError
	if err := h.Dispatch(ctx, &d2); !errors.As(err, &pe) || pe.Value != "boom" {
		t.Fatalf("panic: %v", err)
	}
	d3 := webhooktest.NewDelivery(kicktypes.EventChatMessageSent, []byte(chatPayload))
	if err := store.Claim(ctx, d3.MessageID, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := h.Dispatch(ctx, &d3); !errors.Is(err, webhook.ErrInFlight) {
		t.Errorf("claimed elsewhere: %v", err)
	}
	if err := h.Dispatch(ctx, nil); err == nil {
		t.Error("nil delivery accepted")
	}
}

const chatPayload = `{"message_id":"m1","replies_to":null,"broadcaster":{"is_anonymous":false,"user_id":1,"username":"b","is_verified":false,"profile_picture":"","channel_slug":"b","identity":null},"sender":{"is_anonymous":false,"user_id":7,"username":"v","is_verified":false,"profile_picture":"","channel_slug":"v","identity":null},"content":"hi","emotes":[],"created_at":"2025-01-14T16:08:06Z"}`
