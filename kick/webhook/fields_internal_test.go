package webhook

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Every type Decode knows has what identifies it from the spec, and the table has no type Decode
// does not know.
func TestPayloadShapesCoverTheDecoders(t *testing.T) {
	t.Parallel()
	for key := range decoders {
		if s := payloadShapes[key]; s == nil || len(s.Keys) == 0 {
			t.Errorf("%s version %d: no identifying keys from the spec", key.typ, key.version)
		}
	}
	for key := range payloadShapes {
		if _, ok := decoders[key]; !ok {
			t.Errorf("the spec has a payload for %s version %d, which Decode does not know", key.typ, key.version)
		}
	}
}

// checkFields reports a missing key with its path as ErrMissingField, text that is not a JSON
// object as such, and checks nothing of a type it does not know.
func TestCheckFields(t *testing.T) {
	t.Parallel()
	chat := eventKey{"chat.message.sent", 1}
	for body, want := range map[string]string{
		`{"message_id":"m","broadcaster":{"user_id":1},"sender":{"user_id":2}}`:                                          "",
		`{"message_id":"m","broadcaster":{"user_id":1},"sender":{"user_id":2},"replies_to":null}`:                        "",
		`{"message_id":"m","broadcaster":{"user_id":1},"sender":{}}`:                                                     "sender.user_id",
		`{"message_id":"","broadcaster":{"user_id":1},"sender":{"user_id":2}}`:                                           "message_id",
		`{"message_id":"m","broadcaster":{"user_id":1},"sender":{"user_id":2},"replies_to":{"sender":{"user_id":null}}}`: "replies_to.sender.user_id",
	} {
		err := checkFields(chat, []byte(body))
		switch m, ok := errors.AsType[*missingError](err); {
		case want == "" && err != nil:
			t.Errorf("%s: %v", body, err)
		case want != "" && (!ok || m.path != want || !errors.Is(err, ErrMissingField)):
			t.Errorf("%s: got %v, want %s missing", body, err, want)
		}
	}
	for _, body := range []string{` [1]`, `{"message_id":`, ``} {
		if err := checkFields(chat, []byte(body)); err == nil || errors.Is(err, ErrMissingField) {
			t.Errorf("%q: %v, want a syntax error", body, err)
		}
	}
	if err := checkFields(eventKey{"x", 1}, []byte("not JSON")); err != nil {
		t.Errorf("unknown type: %v", err)
	}
}

// BenchmarkCheckFields is the cost of the acceptance check alone on Kick's chat example, the
// largest docs payload; BenchmarkDecode includes it.
func BenchmarkCheckFields(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "webhooks", "chat.message.sent.json"))
	if err != nil {
		b.Fatal(err)
	}
	key := eventKey{"chat.message.sent", 1}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := checkFields(key, body); err != nil {
			b.Fatal(err)
		}
	}
}
