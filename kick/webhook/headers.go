package webhook

import (
	"fmt"
	"net/http"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
)

// The headers of a Kick webhook delivery. Header names are case-insensitive: the Drops claim
// webhook's Kick-Event-Message-ID is HeaderMessageID.
const (
	// HeaderMessageID is the delivery's unique id (a ULID; UUIDs have been seen), the
	// deduplication key and the first part of the signed string.
	HeaderMessageID = "Kick-Event-Message-Id"
	// HeaderSubscriptionID is the id of the subscription the event delivery belongs to. It is not
	// signed.
	HeaderSubscriptionID = "Kick-Event-Subscription-Id"
	// HeaderSignature is the base64 RSA signature.
	HeaderSignature = "Kick-Event-Signature"
	// HeaderMessageTimestamp is the RFC 3339 time an event delivery was sent, the second part of
	// the signed string.
	HeaderMessageTimestamp = "Kick-Event-Message-Timestamp"
	// HeaderEventType is the event type, such as chat.message.sent. It is not signed.
	HeaderEventType = "Kick-Event-Type"
	// HeaderEventVersion is the version of the event's payload, such as 1. It is not signed.
	HeaderEventVersion = "Kick-Event-Version"
	// HeaderDropsTimestamp is the timestamp header of the Drops claim webhook, which takes the
	// place of HeaderMessageTimestamp in its signed string.
	HeaderDropsTimestamp = "Kick-Event-Timestamp"
)

// Bounds on header values: far above what Kick sends, low enough that nothing large is parsed
// or hashed before the signature is checked.
const (
	maxIDLen        = 256
	maxTimestampLen = 64
	maxSignatureLen = 2048 // base64 of an 8192-bit signature is 1368 characters
	maxTypeLen      = 256
)

// header returns the single value of name. A repeated header is refused: two values would leave
// it open which one was signed.
func header(h http.Header, name string) (string, error) {
	vs := h.Values(name)
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	default:
		return "", fmt.Errorf("%w: %s appears %d times", ErrInvalidHeader, name, len(vs))
	}
}

func requiredHeader(h http.Header, name string, maxLen int) (string, error) {
	v, err := header(h, name)
	if err != nil {
		return "", err
	}
	if v == "" {
		return "", fmt.Errorf("%w: %s", ErrMissingHeader, name)
	}
	if len(v) > maxLen {
		return "", fmt.Errorf("%w: %s is longer than %d bytes", ErrInvalidHeader, name, maxLen)
	}
	return v, nil
}

// signedHeaders are the header values a delivery's signature depends on, and its metadata.
type signedHeaders struct {
	messageID      string
	subscriptionID string
	typ            kicktypes.EventType
	version        int
	timestamp      string // exactly as sent: it is part of the signed string
	parsedTime     time.Time
	signature      []byte // decoded
}

// parseHeaders reads and checks the headers of an event or Drops claim delivery. It looks at no
// body byte.
func parseHeaders(h http.Header) (signedHeaders, error) {
	var s signedHeaders
	typ, err := header(h, HeaderEventType)
	if err != nil {
		return s, err
	}
	eventTS, err := header(h, HeaderMessageTimestamp)
	if err != nil {
		return s, err
	}
	dropsTS, err := header(h, HeaderDropsTimestamp)
	if err != nil {
		return s, err
	}
	tsHeader := HeaderMessageTimestamp
	if typ == "" && eventTS == "" && dropsTS != "" {
		// The Drops claim webhook's reduced header set.
		s.typ = EventDropsClaim
		tsHeader = HeaderDropsTimestamp
	}
	if s.messageID, err = requiredHeader(h, HeaderMessageID, maxIDLen); err != nil {
		return s, err
	}
	if err := checkMessageID(s.messageID); err != nil {
		return s, err
	}
	if s.timestamp, err = requiredHeader(h, tsHeader, maxTimestampLen); err != nil {
		return s, err
	}
	sig, err := requiredHeader(h, HeaderSignature, maxSignatureLen)
	if err != nil {
		return s, err
	}
	if s.typ != EventDropsClaim {
		t, err := requiredHeader(h, HeaderEventType, maxTypeLen)
		if err != nil {
			return s, err
		}
		s.typ = kicktypes.EventType(t)
		v, err := requiredHeader(h, HeaderEventVersion, maxTypeLen)
		if err != nil {
			return s, err
		}
		s.version = parseVersion(v)
		if s.subscriptionID, err = header(h, HeaderSubscriptionID); err != nil {
			return s, err
		}
		if len(s.subscriptionID) > maxIDLen {
			return s, fmt.Errorf("%w: %s is longer than %d bytes", ErrInvalidHeader, HeaderSubscriptionID, maxIDLen)
		}
	}
	if s.parsedTime, err = ParseTimestamp(s.timestamp); err != nil {
		return s, fmt.Errorf("%w: %s: %w", ErrInvalidTimestamp, tsHeader, err)
	}
	if s.signature, err = decodeSignature(sig); err != nil {
		return s, err
	}
	return s, nil
}

// maxVersionDigits bounds a version number: nine digits always fit an int.
const maxVersionDigits = 9

// parseVersion reads a Kick-Event-Version, a decimal number such as 1. Anything else ("v2", "1.1",
// "01", "+1", ten digits and more) gives 0, a version no payload type has: the delivery is still
// authentic and goes to the catch-all as an *UnknownEvent rather than being refused, since Kick
// would retry a refused delivery and then unsubscribe the app.
func parseVersion(s string) int {
	if s == "" || len(s) > maxVersionDigits || (s[0] == '0' && len(s) > 1) {
		return 0
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// checkMessageID refuses message ids that would make the signed string id.timestamp.body
// ambiguous: with no '.' in the id, and a timestamp that must parse as RFC 3339 (which cannot be
// extended or cut at a '.' and still parse), the signed string splits one way only.
func checkMessageID(id string) error {
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c == '.' || c >= 0x7f {
			return fmt.Errorf("%w: %s has a byte 0x%02x (want printable ASCII, no '.')", ErrInvalidHeader, HeaderMessageID, c)
		}
	}
	return nil
}

// ParseTimestamp parses a delivery timestamp: RFC 3339, with or without fractional seconds, with
// Z or a numeric offset, such as 2025-01-14T16:08:06Z or 2025-12-02T22:54:19.323+11:00.
func ParseTimestamp(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}
