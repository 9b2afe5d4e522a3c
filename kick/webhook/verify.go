package webhook

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
)

// DefaultTolerance is how far a delivery's timestamp may be from the verifier's clock, in either
// direction, unless WithTolerance says otherwise.
const DefaultTolerance = 5 * time.Minute

// Delivery is an authentic webhook delivery: its metadata and its raw body, exactly as signed.
type Delivery struct {
	// MessageID is the unique id of the delivery (Kick-Event-Message-Id), the deduplication key.
	MessageID string
	// SubscriptionID is the id of the subscription (Kick-Event-Subscription-Id); empty for a Drops
	// claim. Kick does not sign it.
	SubscriptionID string
	// Type is the event type (Kick-Event-Type), or EventDropsClaim. Kick does not sign it.
	Type kicktypes.EventType
	// Version is the payload version (Kick-Event-Version), such as 1; 0 for a Drops claim, and for
	// a header that is not a decimal number. Kick does not sign it.
	Version int
	// Timestamp is when Kick sent the delivery (Kick-Event-Message-Timestamp, or
	// Kick-Event-Timestamp for a Drops claim), with the offset Kick sent.
	Timestamp time.Time
	// Body is the raw JSON payload. Verify keeps the slice it was given; the Handler gives each
	// delivery its own, which the receiving function may keep.
	Body []byte
}

// Event decodes the delivery's body into the type for its Type and Version; see Decode.
func (d *Delivery) Event() (Event, error) {
	return Decode(d.Type, d.Version, d.Body)
}

// Verifier checks that deliveries come from Kick and are fresh. It is safe for concurrent use.
type Verifier struct {
	keys      KeySource
	tolerance time.Duration
	now       func() time.Time
}

// VerifierOption configures a Verifier in NewVerifier.
type VerifierOption func(*Verifier) error

// WithKeySource sets where the public key comes from. The default is StaticKey(DefaultPublicKey()),
// Kick's published key; a FetchingKeySource follows key rotation.
func WithKeySource(src KeySource) VerifierOption {
	return func(v *Verifier) error {
		if src == nil {
			return errors.New("nil key source")
		}
		v.keys = src
		return nil
	}
}

// WithPublicKey verifies with key alone: WithKeySource(StaticKey(key)). Tests pass the key of a
// webhooktest.Signer.
func WithPublicKey(key *rsa.PublicKey) VerifierOption {
	return func(v *Verifier) error {
		if err := checkKey(key); err != nil {
			return err
		}
		v.keys = StaticKey(key)
		return nil
	}
}

// WithTolerance sets how far a delivery's timestamp may be from now, in either direction
// (DefaultTolerance unless set). It must be positive: there is no switch to turn replay
// protection off; to verify an old delivery, set the clock to its time with WithClock.
func WithTolerance(d time.Duration) VerifierOption {
	return func(v *Verifier) error {
		if d <= 0 {
			return fmt.Errorf("tolerance %v is not positive", d)
		}
		v.tolerance = d
		return nil
	}
}

// WithClock sets the clock the timestamp is checked against (time.Now unless set).
func WithClock(now func() time.Time) VerifierOption {
	return func(v *Verifier) error {
		if now == nil {
			return errors.New("nil clock")
		}
		v.now = now
		return nil
	}
}

// NewVerifier returns a Verifier configured by opts: by default Kick's published key and a
// tolerance of five minutes each way.
func NewVerifier(opts ...VerifierOption) (*Verifier, error) {
	v := &Verifier{tolerance: DefaultTolerance, now: time.Now}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("webhook: NewVerifier: nil option")
		}
		if err := opt(v); err != nil {
			return nil, fmt.Errorf("webhook: NewVerifier: %w", err)
		}
	}
	if v.keys == nil {
		v.keys = StaticKey(defaultKey())
	}
	return v, nil
}

// Tolerance returns how far a timestamp may be from the verifier's clock.
func (v *Verifier) Tolerance() time.Duration { return v.tolerance }

// Verify checks a delivery's headers and raw body, in this order, and returns it with its
// metadata:
//
//  1. the headers the signature depends on are present, single and well-formed (ErrMissingHeader,
//     ErrInvalidHeader), and the timestamp is RFC 3339 (ErrInvalidTimestamp);
//  2. the signature is base64 (ErrInvalidSignatureEncoding) and verifies with the key source's key
//     over message id, timestamp and body (ErrSignatureMismatch). On a mismatch the key source may
//     refresh its key once (Kick may have rotated it) and the signature is checked again;
//  3. the timestamp is within the tolerance of the clock (ErrTooOld, ErrTooNew). This comes after
//     the signature, so ErrTooOld always means an authentic delivery that is late or replayed.
//
// Body must be the bytes exactly as received: Kick's JSON escapes '&' as \u0026, so a body that
// was decoded and encoded again does not verify. Verify does not deduplicate; the Handler does.
func (v *Verifier) Verify(ctx context.Context, h http.Header, body []byte) (*Delivery, error) {
	sh, err := parseHeaders(h)
	if err != nil {
		return nil, err
	}
	return v.verify(ctx, sh, body)
}

// verify is Verify after the headers were parsed: the Handler parses them before it reads the
// body, so that a request without them is refused before any of its body is read.
func (v *Verifier) verify(ctx context.Context, sh signedHeaders, body []byte) (*Delivery, error) {
	if err := v.checkSignature(ctx, sh.messageID, sh.timestamp, body, sh.signature); err != nil {
		return nil, err
	}
	if err := v.checkTime(sh.parsedTime); err != nil {
		return nil, err
	}
	return &Delivery{
		MessageID:      sh.messageID,
		SubscriptionID: sh.subscriptionID,
		Type:           sh.typ,
		Version:        sh.version,
		Timestamp:      sh.parsedTime,
		Body:           body,
	}, nil
}

func (v *Verifier) checkSignature(ctx context.Context, messageID, timestamp string, body, sig []byte) error {
	key, err := v.keys.Key(ctx)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoKey, err)
	}
	if err := checkKey(key); err != nil {
		return fmt.Errorf("%w: %w", ErrNoKey, err)
	}
	digest := signedDigest(messageID, timestamp, body)
	if rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], sig) == nil {
		return nil
	}
	fresh, rerr := v.keys.Refresh(ctx, key)
	if fresh == nil || fresh == key || checkKey(fresh) != nil {
		if rerr != nil {
			return fmt.Errorf("%w (refreshing the key: %w)", ErrSignatureMismatch, rerr)
		}
		return ErrSignatureMismatch
	}
	if rsa.VerifyPKCS1v15(fresh, crypto.SHA256, digest[:], sig) != nil {
		return ErrSignatureMismatch
	}
	return nil
}

// checkTime compares times, not durations: a time.Duration ends at 292 years, so now.Sub(t)
// saturates for a timestamp further away and its negation overflows.
func (v *Verifier) checkTime(t time.Time) error {
	now := v.now()
	switch {
	case t.Before(now.Add(-v.tolerance)):
		return fmt.Errorf("%w: sent %s, this clock reads %s, tolerance %v", ErrTooOld, t.Format(time.RFC3339), now.Format(time.RFC3339), v.tolerance)
	case t.After(now.Add(v.tolerance)):
		return fmt.Errorf("%w: sent %s, this clock reads %s, tolerance %v", ErrTooNew, t.Format(time.RFC3339), now.Format(time.RFC3339), v.tolerance)
	}
	return nil
}

// signedDigest is SHA-256 of messageID + "." + timestamp + "." + body, without building the
// concatenation.
func signedDigest(messageID, timestamp string, body []byte) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(messageID))
	h.Write([]byte{'.'})
	h.Write([]byte(timestamp))
	h.Write([]byte{'.'})
	h.Write(body)
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

func decodeSignature(s string) ([]byte, error) {
	if len(s) > maxSignatureLen {
		return nil, fmt.Errorf("%w: longer than %d characters", ErrInvalidSignatureEncoding, maxSignatureLen)
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidSignatureEncoding, err)
	}
	if len(sig) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrInvalidSignatureEncoding)
	}
	return sig, nil
}

// CheckSignature verifies one signature with key: RSASSA-PKCS1-v1_5 with SHA-256 over
// messageID + "." + timestamp + "." + body, the signature in standard base64. It checks nothing
// else — no header, no timestamp tolerance; Verifier.Verify is what a webhook endpoint needs.
// Errors match ErrInvalidSignatureEncoding, ErrSignatureMismatch or ErrNoKey.
func CheckSignature(key *rsa.PublicKey, messageID, timestamp string, body []byte, signature string) error {
	if err := checkKey(key); err != nil {
		return fmt.Errorf("%w: %w", ErrNoKey, err)
	}
	sig, err := decodeSignature(signature)
	if err != nil {
		return err
	}
	digest := signedDigest(messageID, timestamp, body)
	if rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], sig) != nil {
		return ErrSignatureMismatch
	}
	return nil
}
