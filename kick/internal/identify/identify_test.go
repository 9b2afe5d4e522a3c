package identify

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var testShape = &Shape{
	Name: "T",
	Keys: []string{"a", "list"},
	Props: map[string]*Shape{
		"a":    {Name: "A", Keys: []string{"b"}},
		"list": {Name: "Item", Keys: []string{"id"}},
		"opt":  {Name: "Opt", Keys: []string{"id"}},
	},
}

func TestCheckPaths(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"a":{"b":1},"list":[]}`:                           "",
		`{"a":{"b":0},"list":[],"opt":null}`:                "", // 0 and false identify; an absent or null object is not checked
		`{"a":{"b":false},"list":[{"id":"x"}]}`:             "",
		`{"a":{"b":1},"list":[{"id":1},[[{}]],3,"x",null]}`: "", // only objects in the array are checked
		`{"a":{"b":{"deep":[[[[{}]]]]}},"list":[]}`:         "",
		`{"\u0061":{"b":1},"list":[]}`:                      "", // an escaped key is the key
		`{"a":{"b":"\"}"},"list":[]}`:                       "",
		`{"A":{"B":1},"LIST":[]}`:                           "", // keys match as encoding/json matches fields
		`{"a":null,"a":{"b":1},"list":[]}`:                  "", // a repeated key identifies if any value does
		`{"a":{"b":" "},"list":[]}`:                         "",
		`{"list":[]}`:                                       "a",
		`{"a":null,"list":[]}`:                              "a",
		`{"a":"","list":[]}`:                                "a",
		`{"a":{},"list":[]}`:                                "a.b",
		`{"a":{"b":null},"list":[]}`:                        "a.b",
		`{"a":{"b":""},"list":[]}`:                          "a.b",
		`{"a":{"b":1},"list":[{"id":1},{"x":"id"}]}`:        "list[1].id",
		`{"a":{"b":1},"list":[],"opt":{}}`:                  "opt.id",
		`{"a":{"b":1},"list":[[{}],{"id":""}]}`:             "list[1].id",
		`{"ab":{"b":1},"list":[]}`:                          "a",
		`{}`:                                                "a",
	} {
		err := Check([]byte(body), testShape)
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", body, err)
		case want != "":
			m, ok := errors.AsType[*MissingError](err)
			if !ok || m.Path != want {
				t.Errorf("%s: got %v, want %s missing", body, err, want)
			}
		}
	}
}

// On text that is not JSON, or not an object, Check stops with an error, never a panic or a loop.
func TestCheckMalformed(t *testing.T) {
	t.Parallel()
	if err := Check([]byte("not even JSON"), nil); err != nil {
		t.Errorf("a nil shape checks nothing: %v", err)
	}
	valid := `{"a":{"b":[1,2.5e-3,true,null,"s\"]"]},"list":[{"id":{"x":[]}}]}`
	if err := Check([]byte(valid), testShape); err != nil {
		t.Fatalf("%s: %v", valid, err)
	}
	for i := range len(valid) {
		body := valid[:i]
		if err := Check([]byte(body), testShape); err == nil {
			t.Errorf("%q: no error", body)
		}
	}
	for _, body := range []string{`{"a" 1}`, `{"a":1 "list":2}`, `{1:2}`, `{"a":}`, `{"a":1,}`, `{"a":]}`, `{"a":[1 2]}`,
		`{"a":{"b":1}}}`, `{"a":"` + "\x00" + `"}`, `{"a":` + strings.Repeat("[", 100_000), `{"\u00zz":1}`} {
		_ = Check([]byte(body), testShape) // must return
	}
	for _, body := range []string{` [1]`, `null`, `"x"`, ``} {
		if err := Check([]byte(body), testShape); !errors.Is(err, ErrNotObject) {
			t.Errorf("%q: %v, want ErrNotObject", body, err)
		}
	}
}

// FuzzCheck: Check never panics, and on a body that encoding/json reads as an object, its verdict
// is the one a decode into maps gives.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{`{"a":{"b":1},"list":[{"id":1}]}`, `{"A":{"b":""},"list":[]}`, `{"a":null}`, `[]`, `{"\u0061":{"b":0},"list":[{}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		err := Check(body, testShape)
		var v map[string]any
		if json.Unmarshal(body, &v) != nil || v == nil {
			return
		}
		if errors.Is(err, ErrSyntax) {
			t.Fatalf("%q: ErrSyntax for valid JSON", body)
		}
		_, missing := errors.AsType[*MissingError](err)
		if want, ok := lacks(v, testShape); ok && missing != want {
			t.Fatalf("%q: Check says %v, the decoded maps %v", body, err, want)
		}
	})
}

// lacks is Check's rule on decoded JSON; ok is false where decoding lost what Check sees (a key
// given twice, in any case, keeps one value in a map).
func lacks(v map[string]any, s *Shape) (missing, ok bool) {
	get := func(key string) (any, bool) {
		var found any
		n := 0
		for k, x := range v {
			if strings.EqualFold(k, key) {
				found = x
				n++
			}
		}
		return found, n <= 1
	}
	for _, k := range s.Keys {
		x, ok := get(k)
		if !ok {
			return false, false
		}
		if x == nil || x == "" {
			missing = true
		}
	}
	for k, child := range s.Props {
		x, ok := get(k)
		if !ok {
			return false, false
		}
		var items []any
		switch x := x.(type) {
		case map[string]any:
			items = []any{x}
		case []any:
			items = x
		}
		for _, item := range items {
			if m, isMap := item.(map[string]any); isMap {
				lack, ok := lacks(m, child)
				if !ok {
					return false, false
				}
				missing = missing || lack
			}
		}
	}
	return missing, true
}

// BenchmarkCheck is the cost of the check alone on Kick's chat example, the largest docs payload.
func BenchmarkCheck(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "webhooks", "chat.message.sent.json"))
	if err != nil {
		b.Fatal(err)
	}
	user := &Shape{Name: "EventUser", Keys: []string{"user_id"}}
	chat := &Shape{Name: "ChatMessageSentEvent", Keys: []string{"message_id", "broadcaster", "sender"},
		Props: map[string]*Shape{"broadcaster": user, "sender": user, "replies_to": {Name: "ChatMessageReply", Props: map[string]*Shape{"sender": user}}}}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := Check(body, chat); err != nil {
			b.Fatal(err)
		}
	}
}
