package webhook

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every type Decode knows has its schema's required fields, and the table has no type Decode
// does not know.
func TestPayloadShapesCoverTheDecoders(t *testing.T) {
	t.Parallel()
	for key := range decoders {
		if payloadShapes[key] == nil {
			t.Errorf("%s version %d: no required fields from the spec", key.typ, key.version)
		}
	}
	for key := range payloadShapes {
		if _, ok := decoders[key]; !ok {
			t.Errorf("the spec has a payload for %s version %d, which Decode does not know", key.typ, key.version)
		}
	}
}

var testShape = &shape{
	name:     "T",
	required: []string{"a", "list"},
	props: map[string]*shape{
		"a":    {name: "A", required: []string{"b"}},
		"list": {name: "Item", required: []string{"id"}},
	},
}

func TestScannerPaths(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"a":{"b":1},"list":[]}`:                           "",
		`{"a":null,"list":null}`:                            "",
		`{"a":{"b":1},"list":[{"id":1},[[{}]],3,"x",null]}`: "", // only objects in the array are checked
		`{"a":{"b":{"deep":[[[[{}]]]]}},"list":[]}`:         "",
		`{"\u0061":{"b":1},"list":[]}`:                      "", // an escaped key is the key
		`{"a":{"b":"\"}"},"list":[]}`:                       "",
		`{"list":[]}`:                                       "a",
		`{"a":{},"list":[]}`:                                "a.b",
		`{"a":{"b":1},"list":[{"id":1},{"x":"id"}]}`:        "list[1].id",
		`{"A":{"b":1},"list":[]}`:                           "a", // keys are exact, as the spec names them
		`{}`:                                                "a",
	} {
		err := newScan(body).object(testShape)
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", body, err)
		case want != "":
			m, ok := errors.AsType[*missingError](err)
			if !ok || m.path != want || !errors.Is(err, ErrMissingField) {
				t.Errorf("%s: got %v, want %s missing", body, err, want)
			}
		}
	}
}

func newScan(s string) *scanner {
	sc := &scanner{b: []byte(s)}
	sc.ws()
	return sc
}

// On text that is not JSON the scanner stops with an error, never a panic or a loop.
func TestScannerMalformed(t *testing.T) {
	t.Parallel()
	valid := `{"a":{"b":[1,2.5e-3,true,null,"s\"]"]},"list":[{"id":{"x":[]}}]}`
	for i := range len(valid) {
		body := valid[:i]
		if err := checkFields(eventKey{"x", 1}, []byte(body)); err != nil {
			t.Fatalf("unknown type: %v", err)
		}
		sc := newScan(body)
		if sc.peek() != '{' {
			continue
		}
		if err := sc.object(testShape); err == nil {
			t.Errorf("%q: no error", body)
		}
	}
	for _, body := range []string{`{"a" 1}`, `{"a":1 "list":2}`, `{1:2}`, `{"a":}`, `{"a":1,}`, `{"a":]}`, `{"a":[1 2]}`,
		`{"a":{"b":1}}}`, `{"a":"` + "\x00" + `"}`, `{"a":` + strings.Repeat("[", 100_000)} {
		sc := newScan(body)
		_ = sc.object(testShape) // must return
	}
	if err := checkFields(eventKey{"chat.message.sent", 1}, []byte(` [1]`)); err == nil {
		t.Error("an array passed as a payload")
	}
}

// BenchmarkCheckFields is the cost of the required-field check alone on Kick's chat example, the
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
