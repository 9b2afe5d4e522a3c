package webhook

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/kick-sdk/kick-go/kick/internal/tolerant"
	"github.com/kick-sdk/kick-go/kick/kicktypes"
)

type eventKey struct {
	typ     kicktypes.EventType
	version int
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
// Decoding is tolerant: unknown fields are ignored, a key that is absent or null leaves the zero
// value (an anonymous gifter, identity and created_at of deliveries of early 2025, null emotes
// and is_verified), emote_id may be a string or a number, timestamps may have fractional seconds
// (nine digits, as Kick sends) and any offset, and livestream metadata may carry its category
// under "Category".
//
// Decode refuses a payload only when it lacks what identifies a payload of its type, or when a
// present key has the wrong JSON type. The identifying keys are those the spec's schema for the
// type declares (x-kick-identifying): a chat message's message_id, broadcaster and sender, a
// user's user_id, and so on, at every depth. One that is absent, null or "" gives an error
// matching ErrMissingField and ErrDecode. Kick does not sign Kick-Event-Type and
// Kick-Event-Version, so this is what keeps a payload relabelled as another event out of that
// event's type; the package documentation lists the relabels it cannot tell apart.
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
	// One pass of the JSON v2 decoder with encoding/json v1's tolerance (tolerant.Options). The
	// types' own decoding (emote ids, the metadata's category) happens within that pass.
	if err := tolerant.Unmarshal(body, p); err != nil {
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

// UnmarshalJSON accepts emote_id as a JSON string or number; it decodes as Decode does, for
// callers of encoding/json.
func (e *Emote) UnmarshalJSON(b []byte) error {
	return tolerant.Unmarshal(b, e)
}

// UnmarshalJSONFrom accepts emote_id as a JSON string or number, in the decoder's one pass (see
// emoteID). A null emote leaves e as it is, and an emote replaces e's ID and Positions, as
// encoding/json v1 did with the UnmarshalJSON the SDK had.
func (e *Emote) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		return err
	}
	var aux struct {
		ID        emoteID         `json:"emote_id"`
		Positions []EmotePosition `json:"positions"`
	}
	if err := json.UnmarshalDecode(dec, &aux); err != nil {
		return err
	}
	e.ID, e.Positions = string(aux.ID), aux.Positions
	return nil
}

// emoteID is an emote id read from a JSON string (its value) or a JSON number (its text); null
// gives "".
type emoteID string

func (id *emoteID) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch dec.PeekKind() {
	case 'n', '"', '0':
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		// Token.String is a string's value and a number's text (and "null" for null).
		*id = ""
		if tok.Kind() != 'n' {
			*id = emoteID(tok.String())
		}
		return nil
	}
	if err := dec.SkipValue(); err != nil {
		return err
	}
	return errors.New("emote_id: want a string or a number")
}

// UnmarshalJSON reads the category from "category" or, when that is absent or null, from the
// capitalised "Category" key Kick has sent instead; it decodes as Decode does, for callers of
// encoding/json.
func (m *LivestreamMetadata) UnmarshalJSON(b []byte) error {
	return tolerant.Unmarshal(b, m)
}

// UnmarshalJSONFrom reads the category from "category" or, when that is absent or null, from the
// capitalised "Category" key Kick has sent instead, in the decoder's one pass. A null leaves m as
// it is; an object replaces all of m.
func (m *LivestreamMetadata) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		return err
	}
	type plain LivestreamMetadata
	var aux struct {
		plain    `json:",inline"`
		Category *kicktypes.CategorySummary `json:"category"`
		// Matched by its exact name only: any other case of "category" is Category's, as it was
		// with encoding/json v1, which took the first of the fields a name matches.
		CapitalisedCategory *kicktypes.CategorySummary `json:"Category,case:strict"`
	}
	if err := json.UnmarshalDecode(dec, &aux); err != nil {
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
