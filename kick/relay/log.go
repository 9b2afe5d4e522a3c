package relay

import (
	"context"
	"errors"
	"strconv"

	"github.com/kick-sdk/kick-go/kick/internal/tolerant"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// Record is one delivery in a Log: the authentic delivery as the webhook Handler verified it,
// the channel it belongs to, and its place in the log.
type Record struct {
	// ID is the record's place in the log, given by Append.
	ID ID
	// Prev is the ID of the record appended just before it (zero for the first record ever).
	// Retention deletes records from the front of the log: a reader that finds a record whose
	// Prev is after the id it read from knows that the records between were deleted.
	Prev ID
	// Delivery is the delivery, its body exactly as Kick signed it.
	Delivery webhook.Delivery
	// BroadcasterUserID is the channel of the event: the payload's broadcaster.user_id, which
	// Kick signs. It is 0 for a payload without one, such as a Drops claim, which only tokens for
	// every channel may read.
	BroadcasterUserID int64
}

// Key is the record's deduplication key in the log: its message id, event type and version.
// Kick's retry of a delivery has the same key and is not appended again; a copy relabelled with
// another type (Kick does not sign the type) has a key of its own and cannot take the place of
// the real delivery. Message ids have no '\n'.
func (r *Record) Key() string {
	return r.Delivery.MessageID + "\n" + string(r.Delivery.Type) + "\n" + strconv.Itoa(r.Delivery.Version)
}

// broadcasterOf returns the broadcaster.user_id of a payload, or 0 without one.
func broadcasterOf(body []byte) int64 {
	var p struct {
		Broadcaster *struct {
			UserID int64 `json:"user_id"`
		} `json:"broadcaster"`
	}
	if err := tolerant.Unmarshal(body, &p); err != nil || p.Broadcaster == nil {
		return 0
	}
	return p.Broadcaster.UserID
}

// Log is the durable, ordered log of deliveries a Server appends to and streams from. The
// package has BoltLog, one file on one machine; package kickredis has a Log on a Redis stream,
// which several relays share. Implementations must be safe for concurrent use.
type Log interface {
	// Append appends rec and returns only once it is durable: the Server answers Kick 2xx
	// after it. It sets rec.ID and rec.Prev and returns true; or, when a record with the same Key
	// is still in the log, appends nothing, sets rec.ID to that record's and returns false.
	Append(ctx context.Context, rec *Record) (appended bool, err error)
	// Read returns at most limit records with ids after after, oldest first; none when there is
	// none yet.
	Read(ctx context.Context, after ID, limit int) ([]Record, error)
	// Wait is Read that waits until there is at least one record after after, or ctx ends.
	Wait(ctx context.Context, after ID, limit int) ([]Record, error)
	// Last returns the id of the last record ever appended (the zero ID when none was), whether
	// retention kept it or not.
	Last(ctx context.Context) (ID, error)
}

// ErrClosed is returned by a Log used after Close.
var ErrClosed = errors.New("relay: log closed")
