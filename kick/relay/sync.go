package relay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/kick-sdk/kick-go/kick"
)

// Defaults of SyncOptions.
const (
	// DefaultSyncInterval is how often the relay compares the subscriptions its tokens need with
	// those it last made.
	DefaultSyncInterval = time.Minute
	// DefaultResyncEvery is how often it syncs even when nothing changed, in case Kick dropped a
	// subscription (Kick unsubscribes an app whose deliveries fail for a day).
	DefaultResyncEvery = 10 * time.Minute
)

// SyncOptions makes a Server keep the app's event subscriptions to what its consumers' tokens
// allow, with Events.Sync: for each channel named by a token, the event types of the tokens that
// name it (every type of kick.AllEventTypes for a token without types). One subscription set
// serves every consumer. Tokens for every channel (AllBroadcasters) name none, and add no
// subscription.
type SyncOptions struct {
	// Client calls Kick; its app token source is used (the relay subscribes for any channel).
	Client *kick.Client
	// RequestOptions are passed to each call (kick.WithTokenKind(kick.TokenKindApp) is added).
	RequestOptions []kick.RequestOption
	// Interval is how often the tokens are checked (DefaultSyncInterval when 0), and
	// ResyncEvery how often every channel is synced regardless (DefaultResyncEvery when 0).
	Interval, ResyncEvery time.Duration
	// DeleteStrays deletes the subscriptions of a channel to events no token needs, and those of
	// a channel no token names any more (once synced by this relay). Off by default: strays are
	// logged and left.
	DeleteStrays bool
	// Lock, when set, makes only the relay holding it sync: for several relays on one log, which
	// would otherwise create a subscription twice and receive each event twice. The relay tries
	// to take it before each round, for twice the interval.
	Lock Locker
}

// Locker elects one relay among several to sync the subscriptions. kickredis.RelayLock is one.
type Locker interface {
	// Acquire takes the lock for ttl, or extends it when the caller holds it already, and
	// reports whether the caller holds it now.
	Acquire(ctx context.Context, ttl time.Duration) (bool, error)
}

// WithSubscriptions makes the server keep the app's subscriptions with Events.Sync; see
// SyncOptions.
func WithSubscriptions(o SyncOptions) Option {
	return func(s *Server) error {
		if o.Client == nil {
			return errors.New("SyncOptions: nil Client")
		}
		if o.Interval <= 0 {
			o.Interval = DefaultSyncInterval
		}
		if o.ResyncEvery <= 0 {
			o.ResyncEvery = DefaultResyncEvery
		}
		o.RequestOptions = append(slices.Clip(o.RequestOptions), kick.WithTokenKind(kick.TokenKindApp))
		s.sync = &SyncOptions{Client: o.Client, RequestOptions: o.RequestOptions, Interval: o.Interval,
			ResyncEvery: o.ResyncEvery, DeleteStrays: o.DeleteStrays, Lock: o.Lock}
		s.synced = map[int64][]kick.EventType{}
		return nil
	}
}

// wanted returns the event types each channel named by a live token needs, sorted.
func wanted(grants []Grant, now time.Time) map[int64][]kick.EventType {
	out := map[int64][]kick.EventType{}
	for _, g := range grants {
		if g.Expired(now) || g.AllBroadcasters {
			continue
		}
		types := g.Types
		if len(types) == 0 {
			types = kick.AllEventTypes
		}
		for _, b := range g.Broadcasters {
			out[b] = append(out[b], types...)
		}
	}
	for b, ts := range out {
		slices.Sort(ts)
		out[b] = slices.Compact(ts)
	}
	return out
}

// SyncSubscriptions runs one round of the sync now: it syncs the channels whose needs changed
// since the last round, or every channel when force is set, and returns what Kick's Events.Sync
// reported per channel. It fails without WithSubscriptions, and reports (with no error) nothing
// when the Lock is held by another relay.
func (s *Server) SyncSubscriptions(ctx context.Context, force bool) (map[int64][]kick.SyncResult, error) {
	o := s.sync
	if o == nil {
		return nil, errors.New("relay: SyncSubscriptions: the server has no SyncOptions")
	}
	if o.Lock != nil {
		held, err := o.Lock.Acquire(ctx, 2*o.Interval)
		if err != nil || !held {
			return nil, err
		}
	}
	// One round at a time, each from the tokens as they are when it runs: a round that read them
	// before another round ran would undo what that one did (re-subscribe a revoked token's
	// events).
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	grants, err := s.tokens.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("relay: listing tokens: %w", err)
	}
	want := wanted(grants, s.now())
	if s.now().Sub(s.lastFull) >= o.ResyncEvery {
		force = true
	}
	channels := slices.Collect(maps.Keys(want))
	if o.DeleteStrays {
		for b := range s.synced {
			if _, ok := want[b]; !ok {
				channels = append(channels, b)
			}
		}
	}
	slices.Sort(channels)
	results := map[int64][]kick.SyncResult{}
	var errs []error
	for _, b := range channels {
		types := want[b]
		if !force && slices.Equal(types, s.synced[b]) {
			continue
		}
		p := kick.EventSyncParams{BroadcasterUserID: b, DeleteStrays: o.DeleteStrays}
		for _, t := range types {
			p.Events = append(p.Events, kick.SubscribeEvent{Type: t, Version: 1})
		}
		res, err := o.Client.Events.Sync(ctx, p, o.RequestOptions...)
		results[b] = res
		if err != nil {
			errs = append(errs, fmt.Errorf("broadcaster %d: %w", b, err))
			delete(s.synced, b) // tried again next round
			continue
		}
		if len(types) == 0 {
			delete(s.synced, b)
		} else {
			s.synced[b] = types
		}
		for _, r := range res {
			if r.Action != kick.SyncUnchanged {
				s.logger.LogAttrs(ctx, slog.LevelInfo, "relay: subscription", slog.Int64("broadcaster", b),
					slog.String("event", string(r.Type)), slog.String("action", string(r.Action)), slog.String("id", r.SubscriptionID))
			}
		}
	}
	if force && len(errs) == 0 {
		s.lastFull = s.now()
	}
	if err := errors.Join(errs...); err != nil {
		return results, fmt.Errorf("relay: syncing subscriptions: %w", err)
	}
	return results, nil
}

// syncLoop syncs at start and every interval, until Close. A round that fails is tried again
// sooner, after syncRetry doubling up to the interval: a relay started before the app's webhooks
// are on, or during an outage of Kick, subscribes soon after it can.
func (s *Server) syncLoop() {
	retry := syncRetry
	for {
		wait := s.sync.Interval
		if _, err := s.SyncSubscriptions(s.ctx, false); err != nil && s.ctx.Err() == nil {
			s.logger.LogAttrs(s.ctx, slog.LevelError, "relay: syncing subscriptions", slog.String("error", err.Error()),
				slog.Duration("retry_in", min(retry, wait)))
			wait = min(retry, wait)
			retry *= 2
		} else {
			retry = syncRetry
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-s.ctx.Done():
			t.Stop()
			return
		}
	}
}

// syncRetry is the first wait before a failed sync round is tried again.
const syncRetry = time.Second
