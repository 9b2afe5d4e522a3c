package kickredis

import (
	"errors"
	"fmt"
)

// ErrUnavailable is matched by errors.Is when a store's Redis command failed: Redis could not be
// reached, did not answer within the store's timeout or the caller's context, or answered with
// an error. See *Error for the details.
var ErrUnavailable = errors.New("kickredis: Redis unavailable")

// Error is a failed Redis command of a store. It matches ErrUnavailable, and what Err matches
// (context.DeadlineExceeded after a timeout, for instance). It never holds a token.
type Error struct {
	// Op is the store operation: "claim", "complete", "release", "load", "save", "lock",
	// "renew", "unlock" or "delete".
	Op string
	// Key is the Redis key.
	Key string
	// Err is the cause: go-redis's error, or the context's.
	Err error
}

// Error describes the failure in one line.
func (e *Error) Error() string {
	return fmt.Sprintf("kickredis: %s %q: %v", e.Op, e.Key, e.Err)
}

// Unwrap returns ErrUnavailable and the cause.
func (e *Error) Unwrap() []error { return []error{ErrUnavailable, e.Err} }
