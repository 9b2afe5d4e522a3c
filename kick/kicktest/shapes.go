package kicktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/kick-sdk/kick-go/kick"
)

// PayloadShape is a shape of webhook payloads Kick has sent over time. Kick's deliveries have
// carried less than its docs show, and a handler must take every shape: a stored or replayed
// delivery of early 2025 is still a valid, signed delivery of Kick. WithPayloadShape makes the
// server deliver an older shape, ReshapePayload turns a payload into one, and `kick event trigger
// --shape` sends one. The repository's testdata/webhooks/real holds deliveries captured in each.
type PayloadShape string

// The shapes, newest first.
const (
	// PayloadsCurrent is what Kick sends now, as its docs show: every user of a payload has an
	// identity key (null, or an object for the sender of a chat message), and a chat message has
	// created_at, and replies_to when it replies to a message. The default.
	PayloadsCurrent PayloadShape = "current"
	// PayloadsMid2025 is what Kick sent from 2025-04-07 to 2025-07-22: identity as now, but a chat
	// message has no created_at and no replies_to, and emotes null when it has none.
	PayloadsMid2025 PayloadShape = "mid-2025"
	// PayloadsEarly2025 is what Kick sent before identity was added on 2025-04-07: no identity key
	// on any user, is_verified null, and chat messages as in PayloadsMid2025.
	PayloadsEarly2025 PayloadShape = "early-2025"
)

// PayloadShapes lists the shapes, newest first.
var PayloadShapes = []PayloadShape{PayloadsCurrent, PayloadsMid2025, PayloadsEarly2025}

// WithPayloadShape makes the server deliver its webhook payloads in an older shape, to test a
// handler against what Kick really sent; PayloadsCurrent, the default, is what Kick sends now.
// The payloads are valid against the spec in every shape.
func WithPayloadShape(shape PayloadShape) Option {
	return func(c *config) { c.shape = shape }
}

// ReshapePayload returns a payload of event type typ, as kicktest makes it (SamplePayload, the
// server's deliveries), in another shape: compact JSON, keys in their order, as Kick sends it. A
// payload of a type whose shape did not change comes back compact. It fails on an unknown shape
// or a payload that is not a JSON object.
func ReshapePayload(typ kick.EventType, payload []byte, shape PayloadShape) ([]byte, error) {
	if !slices.Contains(PayloadShapes, shape) {
		return nil, fmt.Errorf("kicktest: unknown payload shape %q; want one of %v", shape, PayloadShapes)
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	v, err := readValue(dec)
	if err != nil {
		return nil, fmt.Errorf("kicktest: reshape %s: %w", typ, err)
	}
	root, ok := v.(*object)
	if !ok {
		return nil, fmt.Errorf("kicktest: reshape %s: the payload is not a JSON object", typ)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("kicktest: reshape %s: data after the payload", typ)
	}
	reshapeUsers(root, shape)
	if typ == kick.EventChatMessageSent {
		reshapeChat(root, shape)
	}
	var b bytes.Buffer
	writeValue(&b, root)
	return b.Bytes(), nil
}

// reshapeUsers gives every user of v (an object with is_anonymous, user_id and channel_slug) the
// identity of shape, at every depth.
func reshapeUsers(v any, shape PayloadShape) {
	switch v := v.(type) {
	case *object:
		if v.has("is_anonymous") && v.has("user_id") && v.has("channel_slug") {
			switch shape {
			case PayloadsEarly2025:
				v.delete("identity")
				v.set("is_verified", nil)
			default:
				if !v.has("identity") {
					v.set("identity", nil)
				}
			}
		}
		for _, m := range v.members {
			reshapeUsers(m.value, shape)
		}
	case []any:
		for _, item := range v {
			reshapeUsers(item, shape)
		}
	}
}

// reshapeChat gives a chat.message.sent the keys of shape.
func reshapeChat(chat *object, shape PayloadShape) {
	if shape == PayloadsCurrent {
		return
	}
	chat.delete("created_at")
	chat.delete("replies_to")
	if emotes, ok := chat.get("emotes").([]any); ok && len(emotes) == 0 {
		chat.set("emotes", nil)
	}
}

// object is a JSON object that keeps the order of its keys.
type object struct{ members []member }

type member struct {
	key   string
	value any // *object, []any, string, json.Number, bool or nil
}

func (o *object) index(key string) int {
	return slices.IndexFunc(o.members, func(m member) bool { return m.key == key })
}

func (o *object) has(key string) bool { return o.index(key) >= 0 }

func (o *object) get(key string) any {
	if i := o.index(key); i >= 0 {
		return o.members[i].value
	}
	return nil
}

// set replaces the value of key, or adds key at the end.
func (o *object) set(key string, value any) {
	if i := o.index(key); i >= 0 {
		o.members[i].value = value
		return
	}
	o.members = append(o.members, member{key, value})
}

func (o *object) delete(key string) {
	if i := o.index(key); i >= 0 {
		o.members = slices.Delete(o.members, i, i+1)
	}
}

// readValue reads one JSON value from dec, which uses json.Number.
func readValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &object{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				o.members = append(o.members, member{k.(string), v})
			}
			_, err := dec.Token() // '}'
			return o, err
		case '[':
			list := []any{}
			for dec.More() {
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token() // ']'
			return list, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	}
	return tok, nil
}

// writeValue writes v as compact JSON, strings escaped as encoding/json (and Kick) escapes them.
func writeValue(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case *object:
		b.WriteByte('{')
		for i, m := range v.members {
			if i > 0 {
				b.WriteByte(',')
			}
			writeValue(b, m.key)
			b.WriteByte(':')
			writeValue(b, m.value)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, item := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeValue(b, item)
		}
		b.WriteByte(']')
	case json.Number:
		b.WriteString(v.String())
	default: // a string, a bool or nil, which json.Marshal cannot fail on
		data, _ := json.Marshal(v)
		b.Write(data)
	}
}
