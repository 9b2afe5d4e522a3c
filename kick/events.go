package kick

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/kick-sdk/kick-go/gen"
)

// EventsService manages the app's webhook event subscriptions. Kick POSTs each subscribed event to
// the webhook URL set in the app's developer settings. Kick docs: Events.
type EventsService service

// EventSubscription is one of the app's webhook event subscriptions. Kick's schema:
// EventSubscription.
type EventSubscription struct {
	// ID is the subscription's id (a ULID), as passed to Unsubscribe.
	ID string `json:"id"`
	// AppID is the client id of the app that owns the subscription.
	AppID string `json:"app_id"`
	// BroadcasterUserID is the user id of the channel whose events are delivered.
	BroadcasterUserID int64 `json:"broadcaster_user_id,omitempty"`
	// Type and Version are the subscribed event type and its version.
	Type    EventType `json:"event"`
	Version int       `json:"version"`
	// Method is how events are delivered: "webhook", the only method.
	Method string `json:"method"`
	// CreatedAt and UpdatedAt are when the subscription was created and last changed.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// EventListParams filters List. It marshals with the query parameters' names.
type EventListParams struct {
	// BroadcasterUserID lists only the subscriptions to this channel's events; 0 lists all.
	BroadcasterUserID int64 `json:"broadcaster_user_id,omitempty"`
}

// SubscribeEvent is an event type and version to subscribe to. Kick's schema:
// EventSubscriptionEvent.
type SubscribeEvent struct {
	// Type is the event type: one of AllEventTypes.
	Type EventType `json:"name"`
	// Version is the event's version; 0 means 1, the version of every event type today.
	Version int `json:"version"`
}

// EventSubscribeParams says which events of which channel Subscribe subscribes to. It marshals as the
// body Subscribe sends, with "method": "webhook". Kick's schema: EventSubscriptionsInput.
type EventSubscribeParams struct {
	// BroadcasterUserID is the user id of the channel whose events to receive. It is required with
	// an app token, which can subscribe to any channel. With a user token Kick ignores it and uses
	// the token owner's channel (it is still sent when set).
	BroadcasterUserID int64 `json:"broadcaster_user_id,omitempty"`
	// Events are the events to subscribe to: at least one, each (Type, Version) once.
	Events []SubscribeEvent `json:"events"`
}

// subscriptionMethod is the only delivery method, which EventSubscribeParams always carries.
const subscriptionMethod = "webhook"

// MarshalJSON writes p as Kick's body, with the delivery method "webhook".
func (p EventSubscribeParams) MarshalJSON() ([]byte, error) { return json.Marshal(p.wire()) }

// wire is p as Kick's body (see encode).
func (p EventSubscribeParams) wire() any {
	type plain EventSubscribeParams
	return struct {
		plain
		Method string `json:"method"`
	}{plain(p), subscriptionMethod}
}

// SubscriptionResult is Kick's answer for one event of a Subscribe call. Kick's schema:
// EventSubscriptionResult.
type SubscriptionResult struct {
	// Type and Version identify the event, as Kick reports them.
	Type    EventType `json:"name"`
	Version int       `json:"version"`
	// SubscriptionID is the new subscription's id; empty when Err is set.
	SubscriptionID string `json:"subscription_id,omitempty"`
	// Err is nil when the event is subscribed, else a *SubscriptionError (matching
	// ErrSubscriptionFailed) with Kick's reason. JSON carries it as Kick does: "error" is the
	// reason (SubscriptionError.Message, or Error() of another error), and decodes into a
	// *SubscriptionError.
	Err error `json:"-"`
}

// MarshalJSON writes r as Kick sends it, Err as the "error" message.
func (r SubscriptionResult) MarshalJSON() ([]byte, error) {
	type plain SubscriptionResult
	return marshalResult(plain(r), r.Err)
}

// UnmarshalJSON reads r as Kick sends it: a non-empty "error" becomes a *SubscriptionError.
func (r *SubscriptionResult) UnmarshalJSON(b []byte) error {
	type plain SubscriptionResult
	msg, err := unmarshalResult(b, (*plain)(r))
	r.Err = resultError(r.Type, r.Version, msg)
	return err
}

// UnmarshalJSONFrom reads r as Kick sends it, in the decoder's one pass: a non-empty "error"
// becomes a *SubscriptionError. A null leaves r as it is.
func (r *SubscriptionResult) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		return err
	}
	type plain SubscriptionResult
	var aux struct {
		plain `json:",inline"`
		Error string `json:"error"`
	}
	if err := jsonv2.UnmarshalDecode(dec, &aux); err != nil {
		return err
	}
	*r = SubscriptionResult(aux.plain)
	r.Err = resultError(r.Type, r.Version, aux.Error)
	return nil
}

// ErrSubscriptionLimit is matched by errors.Is for a *SubscriptionLimitError.
var ErrSubscriptionLimit = errors.New("kick: event subscription limit reached")

// SubscriptionLimitError is Kick's refusal of a Subscribe call that would take the app over a cap
// on its subscriptions: 10,000 per event type, and 1,000 to chat.message.sent for an app Kick has
// not verified (verification, asked for by email to developers@kick.com, lifts that one to
// 10,000). Kick answers 400 with the reason "event subscription limit reached" and subscribes
// nothing. Unsubscribe what is no longer needed (Events.Sync deletes duplicates and strays). It
// matches ErrSubscriptionLimit and ErrBadRequest, and errors.As also finds its *APIError.
type SubscriptionLimitError struct {
	*APIError
}

// Error describes the refusal and what the caps are.
func (e *SubscriptionLimitError) Error() string {
	return e.APIError.Error() + " (Kick allows 10,000 subscriptions per event type, 1,000 to chat.message.sent for an app it has not verified)"
}

// Unwrap returns ErrSubscriptionLimit and the *APIError.
func (e *SubscriptionLimitError) Unwrap() []error { return []error{ErrSubscriptionLimit, e.APIError} }

// subscriptionLimitError returns err as a *SubscriptionLimitError when it is Kick's 400 for a
// subscription over a cap, and err unchanged otherwise.
func subscriptionLimitError(err error) error {
	var ae *APIError
	if errors.As(err, &ae) && ae.StatusCode == http.StatusBadRequest && strings.Contains(strings.ToLower(ae.Detail), "subscription limit") {
		return &SubscriptionLimitError{APIError: ae}
	}
	return err
}

// ErrSubscriptionFailed is matched by errors.Is for every *SubscriptionError, and so for a
// *SubscribeError.
var ErrSubscriptionFailed = errors.New("kick: event subscription failed")

// SubscriptionError is the failure of one event of a Subscribe call, reported by Kick in its
// answer (with status 200) rather than as an HTTP error. It matches ErrSubscriptionFailed.
type SubscriptionError struct {
	// Type and Version identify the event that could not be subscribed.
	Type    EventType
	Version int
	// Message is Kick's reason, such as "webhooks are not enabled for app". When Kick returned no
	// result for a requested event, or a result with neither an id nor an error, it says so.
	Message string
}

// Error describes the failed event.
func (e *SubscriptionError) Error() string {
	return fmt.Sprintf("kick: subscribe to %s v%d: %s", e.Type, e.Version, e.Message)
}

// Unwrap returns ErrSubscriptionFailed.
func (e *SubscriptionError) Unwrap() error { return ErrSubscriptionFailed }

// SubscribeError is returned by Subscribe, next to all the results, when at least one event
// failed. errors.Is(err, ErrSubscriptionFailed), and errors.As with a *SubscriptionError target, reach the
// individual failures.
type SubscribeError struct {
	// Failed are the results of the events that failed; each Err is a *SubscriptionError.
	Failed []SubscriptionResult
}

// Error lists the failed events and Kick's reasons.
func (e *SubscribeError) Error() string {
	var b strings.Builder
	n := len(e.Failed)
	fmt.Fprintf(&b, "kick: %s: %d event", gen.CreateEventSubscriptions.ID, n)
	if n != 1 {
		b.WriteString("s")
	}
	b.WriteString(" failed")
	for i, r := range e.Failed {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		msg := errorMessage(r.Err)
		if msg == "" {
			msg = "unknown error"
		}
		fmt.Fprintf(&b, "%s%s v%d (%s)", sep, r.Type, r.Version, msg)
	}
	return b.String()
}

// Unwrap returns the error of each failed event.
func (e *SubscribeError) Unwrap() []error {
	errs := make([]error, 0, len(e.Failed))
	for _, r := range e.Failed {
		if r.Err != nil {
			errs = append(errs, r.Err)
		}
	}
	return errs
}

// List returns the app's event subscriptions (not the catalog of event types), all of them or
// those of one channel. No subscriptions give an empty slice.
//
// Token: a user token with ScopeEventsSubscribe, or an app token. Operation listEventSubscriptions.
//
// Kick API docs: https://docs.kick.com/events/subscribe-to-events
func (s *EventsService) List(ctx context.Context, p EventListParams, opts ...RequestOption) ([]EventSubscription, error) {
	op := gen.ListEventSubscriptions
	if p.BroadcasterUserID < 0 {
		return nil, invalid(op.ID, "BroadcasterUserID", "%d is not a positive id", p.BroadcasterUserID)
	}
	var env data[[]EventSubscription]
	if err := s.client.fetch(ctx, op.Request(p.BroadcasterUserID), opts, &env); err != nil {
		return nil, err
	}
	return list(env.Data), nil
}

// eventsTypoHints maps event type names used by other libraries to Kick's names.
var eventsTypoHints = map[EventType]EventType{
	"channel.moderation.user_banned": EventModerationBanned, // kickcom.py 1.0
}

// Subscribe subscribes the app to webhook events of a channel, delivered by "webhook", and returns
// one result per event in Kick's order: match them by Type and Version. Kick answers each event
// separately, so some may fail while others succeed: then Subscribe returns all the results and a
// *SubscribeError listing the failures (errors.Is(err, ErrSubscriptionFailed) holds), so that the
// successes are never lost. A requested event Kick returns no result for counts as failed. Kick
// does not de-duplicate subscriptions: subscribing twice gives duplicate deliveries. Kick caps an
// app's subscriptions per event type: a call that would go over a cap subscribes nothing and fails
// with a *SubscriptionLimitError (ErrSubscriptionLimit).
//
// With an app token p.BroadcasterUserID is required; with a user token Kick uses the token owner's
// channel. Pass WithTokenKind(TokenKindApp) to subscribe to another channel when the client has
// both kinds of token.
//
// Token: a user token with ScopeEventsSubscribe, or an app token. Operation createEventSubscriptions.
//
// Kick API docs: https://docs.kick.com/events/subscribe-to-events
func (s *EventsService) Subscribe(ctx context.Context, p EventSubscribeParams, opts ...RequestOption) ([]SubscriptionResult, error) {
	op := gen.CreateEventSubscriptions
	if len(p.Events) == 0 {
		return nil, invalid(op.ID, "Events", "is empty; at least one event is required")
	}
	keys, err := checkEvents(op.ID, p.Events)
	if err != nil {
		return nil, err
	}
	seen := make(map[eventKey]int, len(keys))
	events := make([]SubscribeEvent, len(keys))
	for i, k := range keys {
		seen[k] = i
		events[i] = SubscribeEvent{Type: k.t, Version: k.v}
	}
	if p.BroadcasterUserID < 0 {
		return nil, invalid(op.ID, "BroadcasterUserID", "%d is not a positive id", p.BroadcasterUserID)
	}
	kind, err := s.client.tokenKind(op.Operation, opts)
	if err != nil {
		return nil, err
	}
	if kind == TokenKindApp && p.BroadcasterUserID == 0 {
		return nil, invalid(op.ID, "BroadcasterUserID", "is required with an app token: it names the channel to subscribe to")
	}
	body, err := encode(op.Operation, EventSubscribeParams{BroadcasterUserID: p.BroadcasterUserID, Events: events})
	if err != nil {
		return nil, err
	}
	var env data[[]SubscriptionResult]
	if err := s.client.fetch(ctx, op.Request(body), opts, &env); err != nil {
		return nil, subscriptionLimitError(err)
	}
	results := list(env.Data)
	for i := range results {
		r := &results[i]
		switch {
		case r.Err != nil:
			r.SubscriptionID = ""
		case r.SubscriptionID == "":
			// Neither an id nor an error: nothing to unsubscribe later, so not a usable subscription.
			r.Err = &SubscriptionError{Type: r.Type, Version: r.Version, Message: "Kick returned neither a subscription id nor an error"}
		}
		delete(seen, eventKey{r.Type, r.Version})
	}
	// Requested events Kick did not answer for, in request order.
	for _, e := range events {
		k := eventKey{e.Type, e.Version}
		if _, missing := seen[k]; missing {
			results = append(results, SubscriptionResult{Type: k.t, Version: k.v, Err: &SubscriptionError{
				Type: k.t, Version: k.v, Message: "Kick returned no result for this event",
			}})
		}
	}
	var failed []SubscriptionResult
	for _, r := range results {
		if r.Err != nil {
			failed = append(failed, r)
		}
	}
	if len(failed) > 0 {
		return results, &SubscribeError{Failed: failed}
	}
	return results, nil
}

// SubscribeTo subscribes the app to version 1 of each event type for the channel of
// broadcasterUserID, with the token kind that can: the app token when the client has one, since an
// app token subscribes any channel, and otherwise the user token, which subscribes the token
// owner's own channel (Kick then ignores broadcasterUserID). The results and errors are those of
// Subscribe. Without types it subscribes every type in AllEventTypes.
//
// Token: an app token, or else a user token with ScopeEventsSubscribe. Operation
// createEventSubscriptions.
//
// Kick API docs: https://docs.kick.com/events/subscribe-to-events
func (s *EventsService) SubscribeTo(ctx context.Context, broadcasterUserID int64, types ...EventType) ([]SubscriptionResult, error) {
	if len(types) == 0 {
		types = AllEventTypes
	}
	p := EventSubscribeParams{BroadcasterUserID: broadcasterUserID, Events: make([]SubscribeEvent, len(types))}
	for i, t := range types {
		p.Events[i] = SubscribeEvent{Type: t, Version: 1}
	}
	var opts []RequestOption
	if s.client.cfg.appTokens != nil {
		opts = append(opts, WithTokenKind(TokenKindApp))
	}
	return s.Subscribe(ctx, p, opts...)
}

// Unsubscribe deletes the app's event subscriptions with the given ids (at least one; repeats are
// sent once).
//
// Token: a user token with ScopeEventsSubscribe, or an app token. Operation deleteEventSubscriptions.
//
// Kick API docs: https://docs.kick.com/events/subscribe-to-events
func (s *EventsService) Unsubscribe(ctx context.Context, ids []string, opts ...RequestOption) error {
	op := gen.DeleteEventSubscriptions
	if len(ids) == 0 {
		return invalid(op.ID, "ids", "is empty; at least one subscription id is required")
	}
	if err := checkStrings(op.ID, "ids", ids); err != nil {
		return err
	}
	return s.client.fetch(ctx, op.Request(unique(ids)), opts, nil)
}
