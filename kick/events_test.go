package kick_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

func TestEventsList(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/events/subscriptions", want{
		method: "GET", path: "/public/v1/events/subscriptions", token: userToken,
	}, fixture(t, "listEventSubscriptions"))
	got, err := c.Events.List(context.Background(), kick.EventListParams{})
	if err != nil {
		t.Fatal(err)
	}
	want := []kick.EventSubscription{
		{
			ID:                "01KC495X0JWV6QDFWC8TZVWC1K",
			AppID:             "01JQBHJ5B2NBRBEWT9J3NGXW5F",
			BroadcasterUserID: 24871935,
			Type:              kick.EventChatMessageSent,
			Version:           1,
			Method:            "webhook",
			CreatedAt:         time.Date(2025, 12, 10, 14, 3, 27, 0, time.UTC),
			UpdatedAt:         time.Date(2025, 12, 10, 14, 3, 27, 0, time.UTC),
		},
		{
			ID:                "01KC495X805CE7XXMJ3GGE5TSW",
			AppID:             "01JQBHJ5B2NBRBEWT9J3NGXW5F",
			BroadcasterUserID: 24871935,
			Type:              kick.EventChannelFollowed,
			Version:           1,
			Method:            "webhook",
			CreatedAt:         time.Date(2025, 12, 10, 14, 3, 27, 0, time.UTC),
			UpdatedAt:         time.Date(2025, 12, 18, 9, 12, 40, 0, time.UTC),
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("subscriptions (-want +got):\n%s", diff)
	}
}

func TestEventsListByBroadcasterWithAppToken(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	srv.handle(t, "/public/v1/events/subscriptions", want{
		method: "GET", path: "/public/v1/events/subscriptions", query: q("broadcaster_user_id", "24871935"), token: appToken,
	}, []byte(`{"data":[],"message":"OK"}`))
	got, err := c.Events.List(context.Background(), kick.EventListParams{BroadcasterUserID: 24871935})
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got) != 0 {
		t.Errorf("subscriptions = %#v, want an empty, non-nil slice", got)
	}
}

func TestEventsListInvalidInput(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	_, err := c.Events.List(context.Background(), kick.EventListParams{BroadcasterUserID: -1})
	wantInvalid(t, err, "listEventSubscriptions", "BroadcasterUserID")
	noRequest(t, srv)
}

func TestEventsNeedToken(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, false)
	ctx := context.Background()
	_, err := c.Events.List(ctx, kick.EventListParams{})
	wantMissingToken(t, err, kick.TokenKindUser, kick.TokenKindApp)
	_, err = c.Events.Subscribe(ctx, kick.EventSubscribeParams{BroadcasterUserID: 1, Events: []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}}})
	wantMissingToken(t, err, kick.TokenKindUser, kick.TokenKindApp)
	err = c.Events.Unsubscribe(ctx, []string{"01KC495X0JWV6QDFWC8TZVWC1K"})
	wantMissingToken(t, err, kick.TokenKindUser, kick.TokenKindApp)
	noRequest(t, srv)
}

// TestEventsSubscribeMixed checks that a partly failed subscription returns every result, the
// failure typed per event, and an error that reaches the failures.
func TestEventsSubscribeMixed(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/events/subscriptions", want{
		method: "POST", path: "/public/v1/events/subscriptions", token: userToken,
		body: `{"broadcaster_user_id":24871935,"events":[{"name":"chat.message.sent","version":1},{"name":"channel.followed","version":1}],"method":"webhook"}`,
	}, fixture(t, "createEventSubscriptions"))
	got, err := c.Events.Subscribe(context.Background(), kick.EventSubscribeParams{
		BroadcasterUserID: 24871935,
		Events:            []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}, {Type: kick.EventChannelFollowed, Version: 1}},
	})
	failure := &kick.SubscriptionError{Type: kick.EventChatMessageSent, Version: 1, Message: "subscription limit reached for event chat.message.sent"}
	want := []kick.SubscriptionResult{
		{Type: kick.EventChannelFollowed, Version: 1, SubscriptionID: "01KCTSYW6C36ZF1PVDRZHG1QSD"},
		{Type: kick.EventChatMessageSent, Version: 1, Err: failure},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(sameSubscriptionError)); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	var se *kick.SubscribeError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a *SubscribeError", err)
	}
	if diff := cmp.Diff(want[1:], se.Failed, cmp.Comparer(sameSubscriptionError)); diff != "" {
		t.Errorf("failed (-want +got):\n%s", diff)
	}
	if !errors.Is(err, kick.ErrSubscriptionFailed) {
		t.Error("errors.Is(err, ErrSubscriptionFailed) = false")
	}
	var one *kick.SubscriptionError
	if !errors.As(err, &one) || one.Type != kick.EventChatMessageSent {
		t.Errorf("errors.As(err, *SubscriptionError) = %v", one)
	}
	if !errors.Is(got[1].Err, kick.ErrSubscriptionFailed) {
		t.Error("errors.Is(result.Err, ErrSubscriptionFailed) = false")
	}
	const wantMsg = "kick: createEventSubscriptions: 1 event failed: chat.message.sent v1 (subscription limit reached for event chat.message.sent)"
	if err.Error() != wantMsg {
		t.Errorf("err = %q, want %q", err, wantMsg)
	}
	if got[1].Err.Error() != "kick: subscribe to chat.message.sent v1: subscription limit reached for event chat.message.sent" {
		t.Errorf("result error = %q", got[1].Err)
	}
}

// sameSubscriptionError compares the errors of results by value.
func sameSubscriptionError(a, b error) bool {
	var x, y *kick.SubscriptionError
	if errors.As(a, &x) && errors.As(b, &y) {
		return *x == *y
	}
	return a == nil && b == nil
}

func TestEventsSubscribeAllSucceed(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	srv.handle(t, "/public/v1/events/subscriptions", want{
		method: "POST", path: "/public/v1/events/subscriptions", token: appToken,
		body: `{"broadcaster_user_id":9183746,"events":[{"name":"moderation.banned","version":1}],"method":"webhook"}`,
	}, []byte(`{"data":[{"name":"moderation.banned","version":1,"subscription_id":"01KCTSYW6C36ZF1PVDRZHG1QSE","error":""}],"message":"OK"}`))
	got, err := c.Events.Subscribe(context.Background(), kick.EventSubscribeParams{
		BroadcasterUserID: 9183746, Events: []kick.SubscribeEvent{{Type: kick.EventModerationBanned}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []kick.SubscriptionResult{{Type: kick.EventModerationBanned, Version: 1, SubscriptionID: "01KCTSYW6C36ZF1PVDRZHG1QSE"}}
	if diff := cmp.Diff(want, got, cmp.Comparer(sameSubscriptionError)); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

// TestEventsSubscribeUserTokenWithoutBroadcaster checks that a user token needs no broadcaster:
// Kick uses the token owner's channel, and the field is left out.
func TestEventsSubscribeUserTokenWithoutBroadcaster(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/events/subscriptions", want{
		method: "POST", path: "/public/v1/events/subscriptions", token: userToken,
		body: `{"events":[{"name":"kicks.gifted","version":2}],"method":"webhook"}`,
	}, []byte(`{"data":[{"name":"kicks.gifted","version":2,"subscription_id":"01KCTSYW6C36ZF1PVDRZHG1QSF"}],"message":"OK"}`))
	got, err := c.Events.Subscribe(context.Background(), kick.EventSubscribeParams{
		Events: []kick.SubscribeEvent{{Type: kick.EventKicksGifted, Version: 2}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []kick.SubscriptionResult{{Type: kick.EventKicksGifted, Version: 2, SubscriptionID: "01KCTSYW6C36ZF1PVDRZHG1QSF"}}
	if diff := cmp.Diff(want, got, cmp.Comparer(sameSubscriptionError)); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

// TestEventsSubscribeIncompleteAnswer checks that events Kick gives no usable result for are
// reported as failures, not as successes.
func TestEventsSubscribeIncompleteAnswer(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/events/subscriptions", want{
		method: "POST", path: "/public/v1/events/subscriptions", token: userToken,
		body: `{"events":[{"name":"chat.message.sent","version":1},{"name":"channel.followed","version":1},{"name":"kicks.gifted","version":1}],"method":"webhook"}`,
	}, []byte(`{"data":[{"name":"channel.followed","version":1,"subscription_id":"01KCTSYW6C36ZF1PVDRZHG1QSD"},{"name":"kicks.gifted","version":1,"subscription_id":""}],"message":"OK"}`))
	got, err := c.Events.Subscribe(context.Background(), kick.EventSubscribeParams{
		Events: []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}, {Type: kick.EventChannelFollowed}, {Type: kick.EventKicksGifted}},
	})
	want := []kick.SubscriptionResult{
		{Type: kick.EventChannelFollowed, Version: 1, SubscriptionID: "01KCTSYW6C36ZF1PVDRZHG1QSD"},
		{Type: kick.EventKicksGifted, Version: 1, Err: &kick.SubscriptionError{Type: kick.EventKicksGifted, Version: 1, Message: "Kick returned neither a subscription id nor an error"}},
		{Type: kick.EventChatMessageSent, Version: 1, Err: &kick.SubscriptionError{Type: kick.EventChatMessageSent, Version: 1, Message: "Kick returned no result for this event"}},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(sameSubscriptionError)); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	var se *kick.SubscribeError
	if !errors.As(err, &se) || len(se.Failed) != 2 || len(se.Unwrap()) != 2 {
		t.Fatalf("err = %v, want a *SubscribeError with 2 failures", err)
	}
}

func TestEventsSubscribeInvalidInput(t *testing.T) {
	t.Parallel()
	ev := func(events ...kick.SubscribeEvent) []kick.SubscribeEvent { return events }
	tests := []struct {
		name      string
		user, app bool
		opts      []kick.RequestOption
		p         kick.EventSubscribeParams
		field     string
		reason    string // part of the reason
	}{
		{name: "no events", user: true, p: kick.EventSubscribeParams{}, field: "Events"},
		{name: "empty type", user: true, p: kick.EventSubscribeParams{Events: ev(kick.SubscribeEvent{})}, field: "Events[0].Type"},
		{
			name: "kickcom.py ban name", user: true,
			p:     kick.EventSubscribeParams{Events: ev(kick.SubscribeEvent{Type: kick.EventChatMessageSent}, kick.SubscribeEvent{Type: "channel.moderation.user_banned"})},
			field: "Events[1].Type", reason: `Kick calls it "moderation.banned"`,
		},
		{name: "unknown type", user: true, p: kick.EventSubscribeParams{Events: ev(kick.SubscribeEvent{Type: "chat.message.send"})}, field: "Events[0].Type", reason: "AllEventTypes"},
		{name: "negative version", user: true, p: kick.EventSubscribeParams{Events: ev(kick.SubscribeEvent{Type: kick.EventKicksGifted, Version: -1})}, field: "Events[0].Version"},
		{name: "huge version", user: true, p: kick.EventSubscribeParams{Events: ev(kick.SubscribeEvent{Type: kick.EventKicksGifted, Version: 1 << 40})}, field: "Events[0].Version"},
		{
			name: "duplicate, 0 meaning 1", user: true,
			p:     kick.EventSubscribeParams{Events: ev(kick.SubscribeEvent{Type: kick.EventKicksGifted}, kick.SubscribeEvent{Type: kick.EventChannelFollowed}, kick.SubscribeEvent{Type: kick.EventKicksGifted, Version: 1})},
			field: "Events[2]", reason: "repeats Events[0]",
		},
		{name: "negative broadcaster", user: true, p: kick.EventSubscribeParams{BroadcasterUserID: -5, Events: ev(kick.SubscribeEvent{Type: kick.EventKicksGifted})}, field: "BroadcasterUserID"},
		{name: "app token without broadcaster", app: true, p: kick.EventSubscribeParams{Events: ev(kick.SubscribeEvent{Type: kick.EventKicksGifted})}, field: "BroadcasterUserID", reason: "app token"},
		{
			name: "app token chosen without broadcaster", user: true, app: true, opts: []kick.RequestOption{kick.WithTokenKind(kick.TokenKindApp)},
			p: kick.EventSubscribeParams{Events: ev(kick.SubscribeEvent{Type: kick.EventKicksGifted})}, field: "BroadcasterUserID", reason: "app token",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setupWith(t, tt.user, tt.app)
			got, err := c.Events.Subscribe(context.Background(), tt.p, tt.opts...)
			ve := asInvalid(t, err, "createEventSubscriptions", tt.field)
			if ve != nil && !strings.Contains(ve.Reason, tt.reason) {
				t.Errorf("reason = %q, want it to contain %q", ve.Reason, tt.reason)
			}
			if got != nil {
				t.Errorf("results = %v, want nil", got)
			}
			noRequest(t, srv)
		})
	}
}

func TestEventsUnsubscribe(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/events/subscriptions", want{
		method: "DELETE", path: "/public/v1/events/subscriptions", token: userToken,
		query: q("id", "01KC495X0JWV6QDFWC8TZVWC1K", "id", "01KC495X805CE7XXMJ3GGE5TSW"),
	}, nil)
	err := c.Events.Unsubscribe(context.Background(), []string{"01KC495X0JWV6QDFWC8TZVWC1K", "01KC495X805CE7XXMJ3GGE5TSW", "01KC495X0JWV6QDFWC8TZVWC1K"})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEventsUnsubscribeWithAppToken(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/events/subscriptions", want{
		method: "DELETE", path: "/public/v1/events/subscriptions", token: appToken, query: q("id", "01KC495X0JWV6QDFWC8TZVWC1K"),
	}, nil)
	if err := c.Events.Unsubscribe(context.Background(), []string{"01KC495X0JWV6QDFWC8TZVWC1K"}, kick.WithTokenKind(kick.TokenKindApp)); err != nil {
		t.Fatal(err)
	}
}

func TestEventsUnsubscribeInvalidInput(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	err := c.Events.Unsubscribe(context.Background(), nil)
	wantInvalid(t, err, "deleteEventSubscriptions", "ids")
	err = c.Events.Unsubscribe(context.Background(), []string{"01KC495X0JWV6QDFWC8TZVWC1K", ""})
	wantInvalid(t, err, "deleteEventSubscriptions", "ids[1]")
	noRequest(t, srv)
}

func TestEventsSubscribeAPIError(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.mux.HandleFunc("/public/v1/events/subscriptions", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusForbidden, []byte(`{"data":null,"message":"Forbidden"}`))
	})
	got, err := c.Events.Subscribe(context.Background(), kick.EventSubscribeParams{Events: []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}}})
	if !errors.Is(err, kick.ErrForbidden) || errors.Is(err, kick.ErrSubscriptionFailed) || got != nil {
		t.Errorf("Subscribe = %v, %v; want no results and an ErrForbidden *APIError", got, err)
	}
}

// TestEventsSubscribeTo checks the convenience picks the app token when the client has both kinds
// (an app token subscribes any channel) and the user token when it has only that one.
func TestEventsSubscribeTo(t *testing.T) {
	t.Parallel()
	body := `{"broadcaster_user_id":9183746,"events":[{"name":"chat.message.sent","version":1},{"name":"channel.followed","version":1}],"method":"webhook"}`
	answer := []byte(`{"data":[{"name":"chat.message.sent","version":1,"subscription_id":"01KCTSYW6C36ZF1PVDRZHG1QSE","error":""},` +
		`{"name":"channel.followed","version":1,"subscription_id":"01KCTSYW6C36ZF1PVDRZHG1QSF","error":""}],"message":"OK"}`)
	for name, tc := range map[string]struct {
		user, app bool
		token     string
	}{
		"both kinds": {true, true, appToken},
		"user only":  {true, false, userToken},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, srv := setupWith(t, tc.user, tc.app)
			srv.handle(t, "/public/v1/events/subscriptions", want{method: "POST", path: "/public/v1/events/subscriptions", token: tc.token, body: body}, answer)
			got, err := c.Events.SubscribeTo(context.Background(), 9183746, kick.EventChatMessageSent, kick.EventChannelFollowed)
			if err != nil {
				t.Fatal(err)
			}
			want := []kick.SubscriptionResult{
				{Type: kick.EventChatMessageSent, Version: 1, SubscriptionID: "01KCTSYW6C36ZF1PVDRZHG1QSE"},
				{Type: kick.EventChannelFollowed, Version: 1, SubscriptionID: "01KCTSYW6C36ZF1PVDRZHG1QSF"},
			}
			if diff := cmp.Diff(want, got, cmp.Comparer(sameSubscriptionError)); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEventsSubscribeToAllTypes(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	srv.mux.HandleFunc("/public/v1/events/subscriptions", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Events []struct{ Name string } `json:"events"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Error(err)
		}
		var names []string
		var data []string
		for _, e := range body.Events {
			names = append(names, e.Name)
			data = append(data, `{"name":"`+e.Name+`","version":1,"subscription_id":"01KCTSYW6C36ZF1PVDRZHG1QSE","error":""}`)
		}
		if len(names) != len(kick.AllEventTypes) {
			t.Errorf("subscribed %v, want every event type", names)
		}
		respond(w, http.StatusOK, []byte(`{"data":[`+strings.Join(data, ",")+`],"message":"OK"}`))
	})
	got, err := c.Events.SubscribeTo(context.Background(), 1)
	if err != nil || len(got) != len(kick.AllEventTypes) {
		t.Fatalf("SubscribeTo = %d results, %v", len(got), err)
	}
}

// The methods of the Events service in the operations table.
var _ = addOperations(
	operation{"Events.List", "listEventSubscriptions", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Events.List(ctx, kick.EventListParams{})
	}},
	operation{"Events.Subscribe", "createEventSubscriptions", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Events.Subscribe(ctx, kick.EventSubscribeParams{Events: []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}}})
	}},
	operation{"Events.Unsubscribe", "deleteEventSubscriptions", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Events.Unsubscribe(ctx, []string{ulid})
	}},
)
