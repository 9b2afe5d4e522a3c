package kick

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/gen"
)

// Defaults of EventSyncParams.
const (
	// DefaultSyncConfirmAttempts is how many times Sync lists the subscriptions after creating
	// some, until the listing shows them.
	DefaultSyncConfirmAttempts = 5
	// DefaultSyncConfirmWait is the wait before each of those listings but the first.
	DefaultSyncConfirmWait = time.Second
)

// syncOp names Sync in its *ValidationError: it is several operations, not one.
const syncOp = "Events.Sync"

// syncDeleteBatch is how many subscription ids Sync deletes per request: Kick sets no limit, but
// every id lengthens the URL by about 30 bytes.
const syncDeleteBatch = 50

// EventSyncParams is what Sync makes the app's event subscriptions to one channel be: each of Events
// exactly once.
type EventSyncParams struct {
	// BroadcasterUserID is the user id of the channel whose subscriptions Sync manages; required.
	// Subscriptions to other channels are never touched.
	BroadcasterUserID int64
	// Events are the events to be subscribed to, each (Type, Version) once; a Version of 0 means 1.
	// Empty means none: then Sync only reports the channel's subscriptions as strays, and deletes
	// them with DeleteStrays.
	Events []SubscribeEvent
	// DeleteStrays makes Sync delete the channel's subscriptions to events not in Events (strays),
	// such as an event the program no longer handles or another version of one. Off by default:
	// strays are reported and left alone, since another part of the app may have made them.
	DeleteStrays bool
	// DryRun makes Sync only list the subscriptions and report what it would do: no subscription
	// is created or deleted.
	DryRun bool
	// ConfirmAttempts is how many times Sync lists the channel's subscriptions after creating
	// some, until the listing shows them all (DefaultSyncConfirmAttempts when 0; none when
	// negative). ConfirmWait is the wait before each listing but the first
	// (DefaultSyncConfirmWait when 0). A wait that would outlast the context's deadline is not
	// begun.
	ConfirmAttempts int
	ConfirmWait     time.Duration
	// UnconfirmedTTL is how long Sync trusts a subscription it created that the listing has not
	// shown (DefaultSyncUnconfirmedTTL when 0): within it, a Sync that does not see the event in
	// the listing does not create it again (SyncPending); past it, with no evidence that the
	// subscription exists (Kick drops subscriptions, and all of them when the app's webhooks are
	// turned off), Sync deletes it, in case it does, and creates a new one. The markers live in
	// the client's SyncStore (WithSyncStore).
	UnconfirmedTTL time.Duration
}

// SyncAction is what Sync did about one event, or one stray subscription: in a dry run, what it
// would do.
type SyncAction string

// The actions of Sync.
const (
	// SyncUnchanged: the event was subscribed to once; nothing to do.
	SyncUnchanged SyncAction = "unchanged"
	// SyncDeduplicated: the event was subscribed to more than once, and Kick delivers each event
	// once per subscription; the oldest subscription is kept and the others deleted.
	SyncDeduplicated SyncAction = "deduplicated"
	// SyncCreated: the event was not subscribed to; it is now.
	SyncCreated SyncAction = "created"
	// SyncPending: the listing does not show the event, but an earlier Sync (of this process or,
	// with a shared SyncStore, of another) created its subscription less than UnconfirmedTTL
	// ago, or another Sync is creating it right now: Kick's listing lags, and nothing is
	// created. SubscriptionID is the subscription, when known.
	SyncPending SyncAction = "pending"
	// SyncStray: a subscription to an event not asked for, left alone (DeleteStrays is off).
	SyncStray SyncAction = "stray"
	// SyncDeleted: a subscription to an event not asked for, deleted (DeleteStrays).
	SyncDeleted SyncAction = "deleted"
)

// SyncResult is Sync's report on one event it was asked for, or on one stray subscription. It
// marshals as JSON with Err as the "error" message, which decodes into a *SubscriptionError.
type SyncResult struct {
	// Type and Version identify the event. Together with the channel they are a subscription's
	// identity: two subscriptions of one identity are duplicates.
	Type    EventType `json:"name"`
	Version int       `json:"version"`
	// Action is what Sync did, or tried to do when Err is set, or would do in a dry run.
	Action SyncAction `json:"action"`
	// SubscriptionID is the subscription the result is about: the one kept or created for an
	// event asked for (empty when creating failed, or in a dry run), or the stray itself.
	SubscriptionID string `json:"subscription_id,omitempty"`
	// Duplicates are the other subscriptions of an event asked for, which Sync deleted (or would).
	Duplicates []string `json:"duplicates,omitempty"`
	// Confirmed says that Kick's listing showed SubscriptionID: always for a subscription found
	// by the first listing, and for a created one once a re-check saw it. Kick's listing is known
	// to lag behind, or leave out, a subscription just created (KickDevDocs#419): a created
	// subscription not confirmed within ConfirmAttempts exists all the same (Kick returned its
	// id), and Sync does not create it again: later Syncs report it SyncPending.
	Confirmed bool `json:"confirmed"`
	// Err is nil when the action succeeded. Else it is a *SubscriptionError (matching
	// ErrSubscriptionFailed) when Kick refused to create the subscription, with its reason, or
	// the error of the request that failed, such as an *APIError.
	Err error `json:"-"`
}

// MarshalJSON writes r with Err as the "error" message.
func (r SyncResult) MarshalJSON() ([]byte, error) {
	type plain SyncResult
	return marshalResult(plain(r), r.Err)
}

// UnmarshalJSON reads r as MarshalJSON writes it: a non-empty "error" becomes a
// *SubscriptionError.
func (r *SyncResult) UnmarshalJSON(b []byte) error {
	type plain SyncResult
	msg, err := unmarshalResult(b, (*plain)(r))
	r.Err = resultError(r.Type, r.Version, msg)
	return err
}

// marshalResult is the JSON of a result of Subscribe or Sync: plain, its fields as a type
// without methods, then "error", the message of err, when there is one.
func marshalResult(plain any, err error) ([]byte, error) {
	b, merr := json.Marshal(plain)
	msg := errorMessage(err)
	if merr != nil || msg == "" {
		return b, merr
	}
	quoted, merr := json.Marshal(msg)
	if merr != nil {
		return nil, merr
	}
	b = b[:len(b)-1] // the closing brace of the object
	if len(b) > 1 {
		b = append(b, ',')
	}
	b = append(append(b, `"error":`...), quoted...)
	return append(b, '}'), nil
}

// unmarshalResult decodes the JSON of a result into plain, its fields as a type without methods,
// and returns its "error" message.
func unmarshalResult(b []byte, plain any) (string, error) {
	var aux struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(b, plain); err != nil {
		return "", err
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return "", err
	}
	return aux.Error, nil
}

// resultError is the error of a decoded result of the event typ, version: a *SubscriptionError
// with the message, or nil without one.
func resultError(typ EventType, version int, message string) error {
	if message == "" {
		return nil
	}
	return &SubscriptionError{Type: typ, Version: version, Message: message}
}

// SyncError is returned by Sync, next to all the results, when the action of at least one failed.
// errors.Is and errors.As reach each failure: ErrSubscriptionFailed and *SubscriptionError for
// what Kick refused to create, ErrServer, *APIError and the others for a request that failed.
type SyncError struct {
	// BroadcasterUserID is the channel Sync was run for.
	BroadcasterUserID int64
	// Failed are the results whose Err is set.
	Failed []SyncResult
}

// Error lists the failed events and why.
func (e *SyncError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kick: %s for channel %d: %d of the actions failed", syncOp, e.BroadcasterUserID, len(e.Failed))
	for i, r := range e.Failed {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		fmt.Fprintf(&b, "%s%s v%d %s (%s)", sep, r.Type, r.Version, r.Action, errorMessage(r.Err))
	}
	return b.String()
}

// Unwrap returns the error of each failed result.
func (e *SyncError) Unwrap() []error {
	errs := make([]error, 0, len(e.Failed))
	for _, r := range e.Failed {
		if r.Err != nil {
			errs = append(errs, r.Err)
		}
	}
	return errs
}

// errorMessage is err as a result reports it: Kick's reason for a *SubscriptionError, else
// Error(); "" for nil.
func errorMessage(err error) string {
	var se *SubscriptionError
	switch {
	case errors.As(err, &se):
		return se.Message
	case err != nil:
		return err.Error()
	}
	return ""
}

// eventKey is an event's identity within one channel's subscriptions: type and version.
type eventKey struct {
	t EventType
	v int
}

// checkEvents checks the events of a subscription request for op and returns their keys, in
// order, with version 0 as 1. Each key may appear once.
func checkEvents(op string, events []SubscribeEvent) ([]eventKey, error) {
	keys := make([]eventKey, len(events))
	seen := make(map[eventKey]int, len(events))
	for i, e := range events {
		switch {
		case e.Type == "":
			return nil, invalid(op, elem("Events", i)+".Type", "is empty")
		case eventsTypoHints[e.Type] != "":
			return nil, invalid(op, elem("Events", i)+".Type", "%q is not a Kick event type; Kick calls it %q", e.Type, eventsTypoHints[e.Type])
		case !slices.Contains(AllEventTypes, e.Type):
			return nil, invalid(op, elem("Events", i)+".Type", "%q is not a Kick event type (see AllEventTypes)", e.Type)
		case e.Version < 0:
			return nil, invalid(op, elem("Events", i)+".Version", "%d is negative; use 0 or 1 for version 1", e.Version)
		case e.Version > math.MaxInt32:
			return nil, invalid(op, elem("Events", i)+".Version", "%d is too large", e.Version)
		}
		k := eventKey{e.Type, max(e.Version, 1)}
		if j, dup := seen[k]; dup {
			return nil, invalid(op, elem("Events", i), "repeats Events[%d] (%s version %d)", j, e.Type, k.v)
		}
		seen[k] = i
		keys[i] = k
	}
	return keys, nil
}

// Sync makes the app's event subscriptions to one channel what p says: each event of p.Events
// subscribed to exactly once. It lists the channel's subscriptions; deletes the duplicates of an
// event (keeping the oldest) and, with p.DeleteStrays, the subscriptions to events not asked
// for; subscribes to the events missing; and lists again until the new subscriptions show, at
// most p.ConfirmAttempts times. It is idempotent — a second run finds nothing to do — so run it
// at every start instead of subscribing (which duplicates the subscriptions, and each delivery,
// at every restart) and periodically, as Kick drops the subscriptions of an event whose
// deliveries keep failing for a day, and all of them when the app's webhooks are turned off.
//
// It returns one result per event of p.Events, in order, then one per stray subscription, in
// Kick's order. When the action of any failed, the results come with a *SyncError listing the
// failures; an error before anything was done (invalid p, no token, the first listing failing)
// comes alone. A dry run (p.DryRun) returns the plan.
//
// Kick's listing lags behind a subscription just created, or leaves it out for good
// (KickDevDocs#419), and Kick does not de-duplicate subscriptions. Sync therefore keeps a marker
// of each subscription it created until the listing shows it, and reserves an event in the same
// store before it creates its subscription: a Sync that does not see the event in the listing but
// finds a marker does not create it again (SyncPending), so there is never more than one
// subscription per event, however often Sync runs and however long the listing lags. The
// markers are in the client's SyncStore: a MemorySyncStore of the client unless WithSyncStore
// sets one; replicas of an app must share one (kickredis.SyncStore) for the promise to hold
// across them. A marker is trusted for p.UnconfirmedTTL (an hour by
// default); then, since nothing shows that the subscription still exists (Kick drops the
// subscriptions of an event whose deliveries keep failing, and all of them when the app's
// webhooks are turned off), Sync deletes it, in case it does, before it creates a new one. What
// remains possible: a process that dies between Kick's answer to its create request and the
// marker's update leaves a subscription no marker names, which the listing, once it shows it,
// reports as a duplicate for the next Sync to delete.
//
// Sync uses the app token when the client has one, as an app token subscribes any channel, and
// the user token otherwise, which subscribes only its owner's channel: p.BroadcasterUserID must
// then be the user's id. If Kick subscribed another channel for that reason, Sync deletes the
// subscription it created and reports a *SubscriptionError. WithTokenKind in opts chooses; opts
// apply to every request Sync sends (WithResponse gets the last answer).
//
// Token: an app token, or else a user token with ScopeEventsSubscribe. Operations
// listEventSubscriptions, createEventSubscriptions and deleteEventSubscriptions.
//
// Kick API docs: https://docs.kick.com/events/subscribe-to-events
func (s *EventsService) Sync(ctx context.Context, p EventSyncParams, opts ...RequestOption) ([]SyncResult, error) {
	switch {
	case p.BroadcasterUserID <= 0:
		return nil, invalid(syncOp, "BroadcasterUserID", "%d is not a positive id", p.BroadcasterUserID)
	case p.ConfirmWait < 0:
		return nil, invalid(syncOp, "ConfirmWait", "%v is negative", p.ConfirmWait)
	case p.UnconfirmedTTL < 0:
		return nil, invalid(syncOp, "UnconfirmedTTL", "%v is negative", p.UnconfirmedTTL)
	}
	keys, err := checkEvents(syncOp, p.Events)
	if err != nil {
		return nil, err
	}
	if s.client.cfg.appTokens != nil {
		opts = append([]RequestOption{WithTokenKind(TokenKindApp)}, opts...)
	}
	kind, err := s.client.tokenKind(gen.CreateEventSubscriptions.Operation, opts)
	if err != nil {
		return nil, err
	}
	listed, err := s.listChannel(ctx, p.BroadcasterUserID, p.BroadcasterUserID, opts)
	if err != nil {
		return nil, err
	}
	results := planSync(keys, listed, p.DeleteStrays)
	marks := s.readSyncMarks(ctx, p, results, len(keys), listed)
	if p.DryRun {
		return results, syncFailures(p, results, nil)
	}
	s.syncDelete(ctx, results, opts)
	marks.afterDelete(ctx, results)
	created := s.syncCreate(ctx, p.BroadcasterUserID, results, opts)
	s.afterCreate(ctx, marks, results, opts)
	if len(created) > 0 {
		// A user token subscribes its owner's channel whatever the request says: then the
		// re-check looks at every channel, to find where Kick put the new subscriptions.
		filter := p.BroadcasterUserID
		if kind == TokenKindUser {
			filter = 0
		}
		err = s.syncConfirm(ctx, p, filter, results, created, opts)
		marks.afterConfirm(ctx, results)
	}
	return results, syncFailures(p, results, err)
}

// syncFailures is Sync's error: a *SyncError of the results that failed, if any, else err.
func syncFailures(p EventSyncParams, results []SyncResult, err error) error {
	var failed []SyncResult
	for _, r := range results {
		if r.Err != nil {
			failed = append(failed, r)
		}
	}
	if len(failed) > 0 {
		return &SyncError{BroadcasterUserID: p.BroadcasterUserID, Failed: failed}
	}
	return err
}

// listChannel lists the app's subscriptions, filtered by the broadcaster filter (0: all), and
// keeps those of the channel of broadcaster, or all of them when broadcaster is 0.
func (s *EventsService) listChannel(ctx context.Context, filter, broadcaster int64, opts []RequestOption) ([]EventSubscription, error) {
	subs, err := s.List(ctx, EventListParams{BroadcasterUserID: filter}, opts...)
	if err != nil || broadcaster == 0 {
		return subs, err
	}
	// Kept to the channel even if Kick ignored the filter.
	return slices.DeleteFunc(subs, func(sub EventSubscription) bool { return sub.BroadcasterUserID != broadcaster }), nil
}

// planSync compares the events wanted with the channel's subscriptions: one result per key, then
// one per stray subscription.
func planSync(keys []eventKey, listed []EventSubscription, deleteStrays bool) []SyncResult {
	groups := map[eventKey][]EventSubscription{}
	for _, sub := range listed {
		k := eventKey{sub.Type, sub.Version}
		groups[k] = append(groups[k], sub)
	}
	results := make([]SyncResult, 0, len(keys))
	wanted := make(map[eventKey]bool, len(keys))
	for _, k := range keys {
		wanted[k] = true
		r := SyncResult{Type: k.t, Version: k.v, Action: SyncCreated}
		if g := groups[k]; len(g) > 0 {
			// The oldest is kept: every Sync, in any process, keeps the same one.
			slices.SortStableFunc(g, func(a, b EventSubscription) int {
				if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
					return c
				}
				return strings.Compare(a.ID, b.ID)
			})
			r.Action, r.SubscriptionID, r.Confirmed = SyncUnchanged, g[0].ID, true
			for _, dup := range g[1:] {
				r.Action, r.Duplicates = SyncDeduplicated, append(r.Duplicates, dup.ID)
			}
		}
		results = append(results, r)
	}
	for _, sub := range listed {
		if wanted[eventKey{sub.Type, sub.Version}] {
			continue
		}
		r := SyncResult{Type: sub.Type, Version: sub.Version, Action: SyncStray, SubscriptionID: sub.ID, Confirmed: true}
		if deleteStrays {
			r.Action = SyncDeleted
		}
		results = append(results, r)
	}
	return results
}

// syncDelete deletes the duplicates and the strays to delete, in batches; a failed batch sets
// the error of the results it held.
func (s *EventsService) syncDelete(ctx context.Context, results []SyncResult, opts []RequestOption) {
	var ids []string
	owner := map[string]int{} // id → index of its result
	for i, r := range results {
		doomed := r.Duplicates
		if r.Action == SyncDeleted {
			doomed = []string{r.SubscriptionID}
		}
		for _, id := range doomed {
			ids = append(ids, id)
			owner[id] = i
		}
	}
	fail := func(id string, err error) {
		if r := &results[owner[id]]; r.Err == nil {
			r.Err = err
		}
	}
	for _, batch := range chunks(ids, syncDeleteBatch) {
		err := s.Unsubscribe(ctx, batch, opts...)
		switch {
		case err == nil:
		case gone(err) && len(batch) > 1:
			// Kick has one of them no more: each alone, so that the others are deleted.
			for _, id := range batch {
				if err := s.Unsubscribe(ctx, []string{id}, opts...); err != nil && !gone(err) {
					fail(id, err)
				}
			}
		case gone(err): // Kick has it no more: as good as deleted
		default:
			for _, id := range batch {
				fail(id, err)
			}
		}
	}
}

// syncCreate subscribes to the events whose action is SyncCreated and returns the ids of the
// subscriptions Kick created, with the index of their result.
func (s *EventsService) syncCreate(ctx context.Context, broadcaster int64, results []SyncResult, opts []RequestOption) map[string]int {
	p := EventSubscribeParams{BroadcasterUserID: broadcaster}
	at := map[eventKey]int{}
	for i, r := range results {
		if r.Action == SyncCreated && r.Err == nil { // an error here is the marker's, or a failed deletion
			p.Events = append(p.Events, SubscribeEvent{Type: r.Type, Version: r.Version})
			at[eventKey{r.Type, r.Version}] = i
		}
	}
	if len(p.Events) == 0 {
		return nil
	}
	answers, err := s.Subscribe(ctx, p, opts...)
	if _, partial := errors.AsType[*SubscribeError](err); err != nil && !partial {
		for _, i := range at {
			results[i].Err = err
		}
		return nil
	}
	created := map[string]int{}
	for _, a := range answers {
		i, ok := at[eventKey{a.Type, a.Version}]
		if !ok || results[i].SubscriptionID != "" || results[i].Err != nil {
			continue // not asked for, or answered twice: the first answer counts
		}
		if a.Err != nil {
			results[i].Err = a.Err
			continue
		}
		results[i].SubscriptionID = a.SubscriptionID
		created[a.SubscriptionID] = i
	}
	return created
}

// syncConfirm lists the subscriptions, filtered by broadcaster filter (0: all), until every
// created one shows, at most p.ConfirmAttempts times. A created subscription listed under
// another channel than p's is deleted and its result fails. It returns the context's error if
// it ended a wait.
func (s *EventsService) syncConfirm(ctx context.Context, p EventSyncParams, filter int64, results []SyncResult, created map[string]int, opts []RequestOption) error {
	attempts, wait := p.ConfirmAttempts, p.ConfirmWait
	if attempts == 0 {
		attempts = DefaultSyncConfirmAttempts
	}
	if wait == 0 {
		wait = DefaultSyncConfirmWait
	}
	type misplacement struct {
		i     int   // the result
		owner int64 // the channel Kick subscribed
	}
	var misplaced []misplacement
	for attempt := 0; attempt < attempts && len(created) > 0; attempt++ {
		if attempt > 0 {
			if deadline, ok := ctx.Deadline(); ok && wait >= time.Until(deadline) {
				break // the subscriptions exist; the wait would only end in DeadlineExceeded
			}
			if err := sleepCtx(ctx, wait); err != nil {
				return err
			}
		}
		listed, err := s.listChannel(ctx, filter, 0, opts)
		if err != nil {
			continue // the subscriptions exist; a failed re-check only leaves them unconfirmed
		}
		for _, sub := range listed {
			i, ok := created[sub.ID]
			if !ok {
				continue
			}
			delete(created, sub.ID)
			if sub.BroadcasterUserID == p.BroadcasterUserID {
				results[i].Confirmed = true
			} else {
				misplaced = append(misplaced, misplacement{i, sub.BroadcasterUserID})
			}
		}
	}
	if len(misplaced) == 0 {
		return nil
	}
	ids := make([]string, len(misplaced))
	for j, m := range misplaced {
		ids[j] = results[m.i].SubscriptionID
	}
	delErr := s.Unsubscribe(ctx, ids, opts...)
	for _, m := range misplaced {
		r := &results[m.i]
		msg := fmt.Sprintf("Kick subscribed channel %d, not %d: a user token subscribes its owner's channel, an app token any", m.owner, p.BroadcasterUserID)
		if delErr != nil {
			msg += fmt.Sprintf("; deleting subscription %s failed: %v", r.SubscriptionID, delErr)
		} else {
			msg += "; the subscription was deleted"
			r.SubscriptionID = ""
		}
		r.Err = &SubscriptionError{Type: r.Type, Version: r.Version, Message: msg}
	}
	return nil
}
