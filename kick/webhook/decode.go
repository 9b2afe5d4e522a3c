package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
)

type eventKey struct {
	typ     kicktypes.EventType
	version int
}

// decoders holds the payload types this package knows, by type and version.
var decoders = map[eventKey]func([]byte) (Event, error){
	{kicktypes.EventChatMessageSent, 1}:                decodeAs[ChatMessageSent],
	{kicktypes.EventChannelFollowed, 1}:                decodeAs[ChannelFollowed],
	{kicktypes.EventChannelSubscriptionRenewal, 1}:     decodeAs[ChannelSubscriptionRenewal],
	{kicktypes.EventChannelSubscriptionGifts, 1}:       decodeAs[ChannelSubscriptionGifts],
	{kicktypes.EventChannelSubscriptionNew, 1}:         decodeAs[ChannelSubscriptionNew],
	{kicktypes.EventChannelRewardRedemptionUpdated, 1}: decodeAs[ChannelRewardRedemptionUpdated],
	{kicktypes.EventLivestreamStatusUpdated, 1}:        decodeAs[LivestreamStatusUpdated],
	{kicktypes.EventLivestreamMetadataUpdated, 1}:      decodeAs[LivestreamMetadataUpdated],
	{kicktypes.EventModerationBanned, 1}:               decodeAs[ModerationBanned],
	{kicktypes.EventKicksGifted, 1}:                    decodeAs[KicksGifted],
	{EventDropsClaim, 0}:                               decodeAs[DropsClaim],
}

// Known reports whether Decode has a type for the event type and version.
func Known(typ kicktypes.EventType, version int) bool {
	_, ok := decoders[eventKey{typ, version}]
	return ok
}

// Decode decodes a payload into the type for its event type and version: a *ChatMessageSent for
// chat.message.sent version 1, and so on, or a *DropsClaim for EventDropsClaim. A type or version
// it does not know gives an *UnknownEvent holding body, and no error. A known type whose payload
// does not decode gives an error matching ErrDecode.
//
// Decoding is tolerant: unknown fields are ignored, a null where a value was documented leaves
// the zero value (an anonymous gifter), emote_id may be a string or a number, identity may be
// null, timestamps may have fractional seconds and any offset, and livestream metadata may carry
// its category under "Category".
//
// Decode checks that the payload has every key the spec's schema for its type requires, at every
// depth (a required key may be null; a missing one gives an error matching ErrMissingField and
// ErrDecode). Kick does not sign Kick-Event-Type and Kick-Event-Version, so this is what keeps a
// payload relabelled as another event out of that event's type; the package documentation lists
// the relabels it cannot tell apart.
//
// Decode does not verify anything: give it only bodies that Verifier.Verify accepted.
func Decode(typ kicktypes.EventType, version int, body []byte) (Event, error) {
	key := eventKey{typ, version}
	dec, ok := decoders[key]
	if !ok {
		return &UnknownEvent{Type: typ, Version: version, Raw: body}, nil
	}
	e, err := dec(body)
	if err == nil {
		err = checkFields(key, body)
	}
	if err == nil && key.typ == EventDropsClaim && e.(*DropsClaim).ClaimID == "" {
		// The claim id is the idempotency key Kick tells receivers to use: a claim without one
		// cannot be processed safely.
		err = errors.New("empty claim_id")
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s version %d: %w", ErrDecode, typ, version, err)
	}
	return e, nil
}

func decodeAs[T any, P interface {
	*T
	Event
}](body []byte) (Event, error) {
	if err := checkObject(body); err != nil {
		return nil, err
	}
	p := P(new(T))
	if err := json.Unmarshal(body, p); err != nil {
		return nil, err
	}
	return p, nil
}

// checkObject refuses a payload that is not a JSON object, such as null, which json.Unmarshal
// would accept as an empty event.
func checkObject(body []byte) error {
	b := bytes.TrimLeft(body, " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return errors.New("payload is not a JSON object")
	}
	return nil
}

// UnmarshalJSON accepts emote_id as a JSON string or number.
func (e *Emote) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var aux struct {
		ID        json.RawMessage `json:"emote_id"`
		Positions []EmotePosition `json:"positions"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	id, err := stringOrNumber(aux.ID)
	if err != nil {
		return fmt.Errorf("emote_id: %w", err)
	}
	e.ID, e.Positions = id, aux.Positions
	return nil
}

// stringOrNumber returns a JSON string's value or a JSON number's text; null or absent give "".
func stringOrNumber(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case c == '-' || ('0' <= c && c <= '9'):
		// raw is valid JSON (the decoder checked it), so this is a number.
		return string(raw), nil
	}
	return "", errors.New("want a string or a number")
}

// UnmarshalJSON reads the category from "category" or, when that is absent or null, from the
// capitalised "Category" key Kick has sent instead.
func (m *LivestreamMetadata) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	type plain LivestreamMetadata
	var aux struct {
		plain
		Category            *kicktypes.CategorySummary `json:"category"`
		CapitalisedCategory *kicktypes.CategorySummary `json:"Category"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*m = LivestreamMetadata(aux.plain)
	switch {
	case aux.Category != nil:
		m.Category = *aux.Category
	case aux.CapitalisedCategory != nil:
		m.Category = *aux.CapitalisedCategory
	}
	return nil
}
