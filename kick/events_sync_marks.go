package kick

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// DefaultSyncUnconfirmedTTL is how long Sync trusts a subscription it created that Kick's
// listing has not shown, unless EventSyncParams.UnconfirmedTTL says otherwise.
const DefaultSyncUnconfirmedTTL = time.Hour

// syncReserveTTL bounds a reservation: the marker of a Sync that is creating a subscription,
// should that Sync die before it records what Kick answered.
const syncReserveTTL = 2 * time.Minute

// syncMark is the value of a marker: a subscription Sync created (Sub) at At, not yet seen in
// the listing, or the reservation of the Sync (Owner) creating one since At.
type syncMark struct {
	Sub   string    `json:"sub,omitempty"`
	Owner string    `json:"owner,omitempty"`
	At    time.Time `json:"at"`
}

func (m syncMark) encode() string {
	b, _ := json.Marshal(m) // strings and a time: cannot fail
	return string(b)
}

func parseSyncMark(raw string) (syncMark, error) {
	var m syncMark
	if raw == "" {
		return m, nil
	}
	if err := json.Unmarshal([]byte(raw), &m); err != nil || (m.Sub == "") == (m.Owner == "") {
		return m, fmt.Errorf("kick: %s: the sync store holds %.40q, not a marker of Sync", syncOp, raw)
	}
	return m, nil
}

// syncKey is the marker key of an event of a channel.
func syncKey(broadcaster int64, typ EventType, version int) string {
	return "sync:" + strconv.FormatInt(broadcaster, 10) + ":" + string(typ) + ":" + strconv.Itoa(version)
}

// syncMarks is what one Sync read and wrote of the markers of the events it was asked for,
// by the index of their result.
type syncMarks struct {
	store SyncStore
	ttl   time.Duration // how long an unconfirmed subscription is trusted
	owner string        // this Sync, in its reservations
	keys  []string
	held  []string // the marker's value as this Sync last read or wrote it
	prev  []string // for a reservation this Sync made: the value it replaced
	mine  []bool   // this Sync holds the reservation
}

// markerTTL is how long a marker of a created subscription is kept: well past the time it is
// trusted, so that the Sync that finds it expired can still delete that subscription.
func (m *syncMarks) markerTTL() time.Duration { return 2*m.ttl + 24*time.Hour }

func newSyncOwner() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// readSyncMarks reads the marker of every event asked for (the first n results) and settles,
// with the listing, what Sync does about each:
//   - an event the listing shows: a subscription Sync created that the listing does not show
//     beside it is a duplicate, deleted like the others (its marker is dropped afterwards);
//   - an event the listing does not show, with a marker younger than the unconfirmed TTL (or
//     another Sync's reservation): SyncPending, nothing created;
//   - with no marker, or one older than the TTL: this Sync reserves the event, deletes the
//     subscription of the old marker in case it still exists, and creates a new one.
//
// A marker that cannot be read or reserved fails the event's result: nothing is created without
// a marker. A dry run reads the markers and writes nothing.
func (s *EventsService) readSyncMarks(ctx context.Context, p EventSyncParams, results []SyncResult, n int, listed []EventSubscription) *syncMarks {
	m := &syncMarks{store: s.client.cfg.syncStore, ttl: p.UnconfirmedTTL, owner: newSyncOwner(),
		keys: make([]string, n), held: make([]string, n), prev: make([]string, n), mine: make([]bool, n)}
	if m.ttl == 0 {
		m.ttl = DefaultSyncUnconfirmedTTL
	}
	ids := map[string]bool{}
	for _, sub := range listed {
		ids[sub.ID] = true
	}
	for i := range n {
		r := &results[i]
		m.keys[i] = syncKey(p.BroadcasterUserID, r.Type, r.Version)
		raw, err := m.store.Get(ctx, m.keys[i])
		if err != nil {
			r.Err = fmt.Errorf("kick: %s: reading the marker of %s v%d: %w", syncOp, r.Type, r.Version, err)
			continue
		}
		for attempt := 0; ; attempt++ {
			again, err := m.settle(ctx, r, i, raw, ids, p.DryRun)
			if err != nil {
				r.Err = err
			}
			if !again || attempt > 0 {
				break
			}
			// Another Sync wrote the marker between the read and the reservation: read it again.
			if raw, err = m.store.Get(ctx, m.keys[i]); err != nil {
				r.Err = fmt.Errorf("kick: %s: reading the marker of %s v%d: %w", syncOp, r.Type, r.Version, err)
				break
			}
		}
	}
	return m
}

// settle decides about result i given its marker raw; again means the marker changed meanwhile.
func (m *syncMarks) settle(ctx context.Context, r *SyncResult, i int, raw string, listedIDs map[string]bool, dry bool) (again bool, err error) {
	m.held[i] = raw
	mark, err := parseSyncMark(raw)
	if err != nil {
		return false, err
	}
	if r.Action != SyncCreated { // the listing shows the event
		if mark.Sub != "" && !listedIDs[mark.Sub] {
			// Created by a Sync, never listed, and the listing shows another: a duplicate.
			r.Action, r.Duplicates = SyncDeduplicated, append(r.Duplicates, mark.Sub)
		}
		return false, nil
	}
	switch {
	case mark.Owner != "": // another Sync is creating it
		r.Action = SyncPending
		return false, nil
	case mark.Sub != "" && time.Since(mark.At) < m.ttl: // created, trusted while unconfirmed
		r.Action, r.SubscriptionID = SyncPending, mark.Sub
		return false, nil
	case mark.Sub != "":
		// Unconfirmed for longer than the TTL, with no evidence that it exists: deleted, in case
		// it does, before a new one is created.
		r.Duplicates = append(r.Duplicates, mark.Sub)
	}
	if dry {
		return false, nil
	}
	resv := syncMark{Owner: m.owner, At: time.Now()}.encode()
	ok, err := m.store.CompareAndSwap(ctx, m.keys[i], raw, resv, syncReserveTTL)
	switch {
	case err != nil:
		return false, fmt.Errorf("kick: %s: reserving %s v%d in the sync store: %w", syncOp, r.Type, r.Version, err)
	case !ok:
		r.Duplicates = nil
		return true, nil
	}
	m.held[i], m.prev[i], m.mine[i] = resv, raw, true
	return false, nil
}

// swap replaces the marker of result i, as this Sync holds it, with value; it reports whether
// the marker still was what this Sync held.
func (m *syncMarks) swap(ctx context.Context, i int, value string, ttl time.Duration) (bool, error) {
	ok, err := m.store.CompareAndSwap(ctx, m.keys[i], m.held[i], value, ttl)
	if ok {
		m.held[i] = value
	}
	return ok, err
}

// afterDelete follows the deletions: the marker of an event the listing shows is dropped once
// the subscription it named is deleted (or is the one listed); a reservation whose old
// subscription could not be deleted is undone, so that nothing is created beside it.
func (m *syncMarks) afterDelete(ctx context.Context, results []SyncResult) {
	for i := range m.keys {
		r := &results[i]
		switch {
		case m.mine[i] && r.Err != nil:
			_, _ = m.swap(ctx, i, m.prev[i], m.markerTTL())
			m.mine[i] = false
		case r.Action == SyncUnchanged || r.Action == SyncDeduplicated:
			if mark, _ := parseSyncMark(m.held[i]); mark.Sub != "" && r.Err == nil {
				_, _ = m.swap(ctx, i, "", 0)
			}
		}
	}
}

// afterCreate records what Kick created for each reservation of this Sync, or releases the
// reservation when nothing was created. A reservation lost meanwhile (this Sync took longer than
// syncReserveTTL, and another created the event's subscription) makes the new subscription a
// duplicate: it is deleted.
func (s *EventsService) afterCreate(ctx context.Context, m *syncMarks, results []SyncResult, opts []RequestOption) {
	for i := range m.keys {
		if !m.mine[i] {
			continue
		}
		r := &results[i]
		if r.SubscriptionID == "" {
			_, _ = m.swap(ctx, i, "", 0)
			continue
		}
		ok, err := m.swap(ctx, i, syncMark{Sub: r.SubscriptionID, At: time.Now()}.encode(), m.markerTTL())
		if ok {
			continue
		}
		if err == nil {
			err = errors.New("another Sync took the event over meanwhile")
		}
		id := r.SubscriptionID
		if derr := s.Unsubscribe(ctx, []string{id}, opts...); derr != nil {
			r.Err = fmt.Errorf("kick: %s: recording subscription %s: %w; deleting it: %w", syncOp, id, err, derr)
			continue
		}
		r.Err = fmt.Errorf("kick: %s: recording subscription %s: %w; it was deleted", syncOp, id, err)
		r.SubscriptionID = ""
	}
}

// afterConfirm drops the marker of each subscription the listing now shows (it needs none), and
// of each that Kick put on another channel (a user token's own): not this channel's subscription.
func (m *syncMarks) afterConfirm(ctx context.Context, results []SyncResult) {
	for i := range m.keys {
		if m.mine[i] && (results[i].Confirmed || results[i].Err != nil) {
			_, _ = m.swap(ctx, i, "", 0)
		}
	}
}

// gone reports whether err says that Kick has no such subscription (404).
func gone(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound
}
