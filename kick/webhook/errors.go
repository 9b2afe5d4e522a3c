package webhook

import (
	"errors"
	"fmt"
)

// Errors of verification, matched with errors.Is. Each is wrapped with detail (which header, how
// old), never with a key, a signature or the payload.
var (
	// ErrMissingHeader: a header the signature depends on, or Kick-Event-Type or Kick-Event-Version
	// of an event delivery, is absent or empty.
	ErrMissingHeader = errors.New("webhook: missing header")
	// ErrInvalidHeader: a header is repeated, too long, or a message id contains characters that
	// would make the signed string ambiguous (a '.', a space or a control character).
	ErrInvalidHeader = errors.New("webhook: invalid header")
	// ErrInvalidTimestamp: the delivery's timestamp header is not an RFC 3339 date-time.
	ErrInvalidTimestamp = errors.New("webhook: invalid timestamp")
	// ErrInvalidSignatureEncoding: Kick-Event-Signature is not standard base64, or is too long to
	// be an RSA signature.
	ErrInvalidSignatureEncoding = errors.New("webhook: invalid signature encoding")
	// ErrSignatureMismatch: the signature does not verify with Kick's key: the delivery was not
	// sent by Kick, or its body, message id or timestamp was changed on the way.
	ErrSignatureMismatch = errors.New("webhook: signature mismatch")
	// ErrTooOld: the delivery is authentic but its timestamp is further in the past than the
	// tolerance; it may be a replay. A clock that is behind or ahead shows up as ErrTooOld or
	// ErrTooNew on every delivery.
	ErrTooOld = errors.New("webhook: timestamp too old")
	// ErrTooNew: the delivery is authentic but its timestamp is further in the future than the
	// tolerance.
	ErrTooNew = errors.New("webhook: timestamp too far in the future")
	// ErrNoKey: the KeySource returned no usable key (nil, or an RSA key under 2048 bits).
	ErrNoKey = errors.New("webhook: no usable public key")
)

// Errors of deduplication, returned by a Store's Claim.
var (
	// ErrDuplicate: the message id was processed already.
	ErrDuplicate = errors.New("webhook: duplicate delivery")
	// ErrInFlight: the message id is being processed right now by another request.
	ErrInFlight = errors.New("webhook: delivery in flight")
	// ErrClaimLost: a ClaimRenewer found the message id no longer claimed when it came to renew
	// the claim (it expired while the renewals failed): a retry may be processed meanwhile.
	ErrClaimLost = errors.New("webhook: the claim expired before it was renewed")
)

// Errors the Handler reports to its error hook.
var (
	// ErrMethodNotAllowed: the request's method is not POST.
	ErrMethodNotAllowed = errors.New("webhook: method not allowed")
	// ErrBodyTooLarge: the body is larger than the handler's limit.
	ErrBodyTooLarge = errors.New("webhook: body too large")
	// ErrBodyReadTimeout: the body did not arrive within the handler's body read timeout
	// (WithBodyReadTimeout) or the server's ReadTimeout.
	ErrBodyReadTimeout = errors.New("webhook: body read timed out")
	// ErrDecode: an authentic delivery of a known event type does not decode into its type.
	ErrDecode = errors.New("webhook: payload does not decode")
	// ErrMissingField: a payload lacks a key that identifies a payload of its event type (absent,
	// null or ""; the spec's x-kick-identifying), such as a chat message's message_id or sender.
	// Decode wraps it in ErrDecode, with the key's path. Kick does not sign a delivery's type, so
	// this is how a payload relabelled as another event shows. No other key is required.
	ErrMissingField = errors.New("webhook: identifying field missing")
)

// PanicError is a panic of a function the Handler called — a typed function, the catch-all or
// the passthrough function — recovered by the Handler and passed to its error hook (wrapped:
// match it with errors.As). Unwrap returns the panic's value when it is an error.
type PanicError struct {
	// Value is what the function panicked with.
	Value any
	// Stack is the goroutine's stack where it panicked, as runtime/debug.Stack formats it. It
	// shows the bot's code, not the delivery: log it where the bot's own stack traces go.
	Stack []byte
}

// Error returns the panic's value, without the stack.
func (e *PanicError) Error() string { return fmt.Sprintf("webhook: function panicked: %v", e.Value) }

// Unwrap returns the panic's value if it is an error, else nil.
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// ErrInvalidKey is returned for a public key that is not a PEM-encoded RSA key of at least 2048
// bits.
var ErrInvalidKey = errors.New("webhook: invalid public key")
