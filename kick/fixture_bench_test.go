package kick_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The benchmarks' answers are testdata's fixtures scaled to realistic pages: a list of the fixture
// is grown to n items, item i a copy of fixture item i%len whose per-item values are made distinct
// (ids, names, URLs, times), so that no decoder gains from repeated strings more than it would on
// Kick's answers. Values a real page shares between its items stay shared: categories, languages,
// tags, statuses and other enums.

// sharedKeys are the members whose values real pages share between items; scaling leaves them.
var sharedKeys = map[string]bool{
	"category": true, "language": true, "language_code": true, "status": true, "event": true,
	"method": true, "token_type": true, "external_status": true, "type": true, "version": true,
	"tags": true, "custom_tags": true, "app_id": true, "campaign_id": true, "reward_id": true,
	"background_color": true,
}

// fixtureDoc reads the operation's success body (responseBody: its fixture, or its spec's
// example) as a generic JSON value (numbers as json.Number).
func fixtureDoc(tb testing.TB, operationID string) map[string]any {
	tb.Helper()
	body := fixture(tb, operationID)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		tb.Fatalf("%s: %v", operationID, err)
	}
	return doc
}

// encodeDoc writes doc compactly, as Kick does (no HTML escaping).
func encodeDoc(tb testing.TB, doc any) []byte {
	tb.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		tb.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// grow replaces the array at path in doc (object keys) by n items made from its own, each made
// distinct by vary with the item's index plus offset.
func grow(tb testing.TB, doc map[string]any, n, offset int, path ...string) {
	tb.Helper()
	parent := doc
	for _, k := range path[:len(path)-1] {
		m, ok := parent[k].(map[string]any)
		if !ok {
			tb.Fatalf("fixture: no object at %q of %v", k, path)
		}
		parent = m
	}
	last := path[len(path)-1]
	items, ok := parent[last].([]any)
	if !ok || len(items) == 0 {
		tb.Fatalf("fixture: no items at %v", path)
	}
	out := make([]any, n)
	for i := range out {
		out[i] = vary(deepCopy(items[i%len(items)]), "", offset+i)
	}
	parent[last] = out
}

// scaledFixture is the fixture of operationID with its list at path grown to n items.
func scaledFixture(tb testing.TB, operationID string, n int, path ...string) []byte {
	tb.Helper()
	doc := fixtureDoc(tb, operationID)
	grow(tb, doc, n, 0, path...)
	return encodeDoc(tb, doc)
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = deepCopy(e)
		}
		return s
	}
	return v
}

// vary makes the per-item values of v (the value of member key) distinct for item i: ids grow by
// i*7919, times by i seconds, other strings end in i (at the same length when they are long enough).
func vary(v any, key string, i int) any {
	if sharedKeys[key] {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = vary(e, k, i)
		}
		return x
	case []any:
		for j, e := range x {
			x[j] = vary(e, key, i)
		}
		return x
	case json.Number:
		if key != "id" && !strings.HasSuffix(key, "_id") {
			return x
		}
		n, err := x.Int64()
		if err != nil {
			return x
		}
		return json.Number(strconv.FormatInt(n+int64(i)*7919, 10))
	case string:
		if t, err := time.Parse(time.RFC3339, x); err == nil {
			return t.Add(time.Duration(i) * time.Second).Format(time.RFC3339)
		}
		return uniqueString(x, i)
	}
	return v
}

// uniqueString returns s ending in the digits of i: at the same length if s is long enough.
func uniqueString(s string, i int) string {
	suffix := strconv.Itoa(i)
	if len(s) < 2*len(suffix) {
		return s + suffix
	}
	cut := len(s) - len(suffix)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + suffix
}

// field collects member key of every item of the array at path in body: the inputs a call needs
// to ask for exactly the answer's items.
func field[T any](tb testing.TB, body []byte, key string, path ...string) []T {
	tb.Helper()
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		tb.Fatal(err)
	}
	for _, k := range path {
		doc = doc.(map[string]any)[k]
	}
	var out []T
	for _, item := range doc.([]any) {
		v := item
		for k := range strings.SplitSeq(key, ".") {
			v = v.(map[string]any)[k]
		}
		raw, _ := json.Marshal(v)
		var t T
		if err := json.Unmarshal(raw, &t); err != nil {
			tb.Fatal(err)
		}
		out = append(out, t)
	}
	return out
}
