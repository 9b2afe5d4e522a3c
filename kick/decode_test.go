package kick_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/internal/tolerant"
)

// decodeClients are two clients whose every request gets the same answer: one decodes Kick's
// answers as the SDK does (tolerant.Unmarshal, the v2 decoder with v1's tolerance), the other with
// encoding/json v1, which the SDK decoded with before. types records every type the first decodes
// into.
type decodeClients struct {
	answer  *stubBody
	sdk, v1 *kick.Client
	mu      sync.Mutex
	types   map[reflect.Type]bool
}

// stubBody is a RoundTripper that answers every request 200 with its body.
type stubBody struct {
	mu   sync.Mutex
	body []byte
}

func (s *stubBody) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	body := s.body
	s.mu.Unlock()
	return stubAnswer{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}}, body: body}.RoundTrip(r)
}

func newDecodeClients(t testing.TB) *decodeClients {
	t.Helper()
	d := &decodeClients{answer: &stubBody{}, types: map[reflect.Type]bool{}}
	d.sdk = stubClient(t, d.answer)
	d.v1 = stubClient(t, d.answer)
	kick.SetUnmarshal(d.sdk, func(b []byte, v any) error {
		d.mu.Lock()
		d.types[reflect.TypeOf(v)] = true
		d.mu.Unlock()
		return tolerant.Unmarshal(b, v)
	})
	kick.SetUnmarshal(d.v1, json.Unmarshal)
	return d
}

// likeV1 fails t unless the SDK's call of op on body gives what encoding/json v1 gives: both
// fail, or both return the same value.
func (d *decodeClients) likeV1(t *testing.T, op operation, body []byte) {
	t.Helper()
	d.answer.mu.Lock()
	d.answer.body = body
	d.answer.mu.Unlock()
	got, err := op.call(context.Background(), d.sdk)
	want, wantErr := op.call(context.Background(), d.v1)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%s: decoding %q: error %v, encoding/json v1's %v", op.name, body, err, wantErr)
	}
	if err != nil {
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("%s: decoding %q differs from encoding/json v1 (-v1 +now):\n%s", op.name, body, diff)
	}
}

// responseFixture is responseBody: the fixture of op, or its spec's example.
func responseFixture(t testing.TB, op string) (body []byte, ok bool) {
	t.Helper()
	return responseBody(t, op)
}

var memberName = regexp.MustCompile(`"([A-Za-z_]+)"\s*:`)

// responseVariants returns body and changed copies of it that exercise the tolerance: each member
// name in other cases and repeated (after a null, before a null, after an object), unknown
// members, nulls (also after a value), invalid UTF-8 and escapes, numbers and times that do not fit, syntax errors.
func responseVariants(body []byte) [][]byte {
	s := string(body)
	out := []string{s}
	seen := map[string]bool{}
	for _, m := range memberName.FindAllStringSubmatch(s, -1) {
		name := m[1]
		if seen[name] {
			continue
		}
		seen[name] = true
		key := m[0]
		for _, r := range []string{
			`"` + strings.ToUpper(name) + `":`,
			`"` + strings.ToUpper(name[:1]) + name[1:] + `":`,
			`"` + strings.ReplaceAll(name, "_", "") + `":`,
			`"` + name + `":null,` + key,
			`"` + name + `":{},` + key,
			`"` + name + `":"x",` + key,
			`"` + name + `":[1],"` + name + `":null,` + key,
			`"\u00` + hexByte(name[0]) + name[1:] + `":`,
		} {
			out = append(out, strings.Replace(s, key, r, 1))
		}
	}
	for _, r := range [][2]string{
		{`{`, `{"zz_unknown":{"deep":[1,{"a":null}]},"n":-1.5e-7,`},
		{`: "`, ": \"\xff\xfe bad \xc3"},
		{`: "`, `: "\ud800\udc00 \ud800 x \udfff`},
		{`: "`, `: "\u00e9\n\t\"\\\/`},
		{`: 1`, `: 1.5, "w": 1`},
		{`: 1`, `: 1e2, "w": 1`},
		{`: 1`, `: 99999999999999999999, "w": 1`},
		{`: 1`, `: "1", "w": 1`},
		{`: true`, `: "true", "w": true`},
		{`: true`, `: null, "w": true`},
		{`Z"`, `.123456789+05:30"`},
		{`T0`, `T`},
		{`Z"`, `"`},
		{`[`, `[null,`},
		{`"data": {`, `"data": null, "data": {`},
		{`"data": [`, `"data": {"a":1}, "data": [`},
	} {
		if strings.Contains(s, r[0]) {
			out = append(out, strings.Replace(s, r[0], r[1], 1))
		}
	}
	// A repeat that ends in null: v1 keeps the value (MergeWithLegacySemantics).
	if i := strings.LastIndexByte(s, '}'); i > 0 {
		for _, tail := range []string{`,"data":null`, `,"message":null`, `,"data":{"zz":1}`} {
			out = append(out, s[:i]+tail+s[i:])
		}
	}
	out = append(out, s+"x", s[:len(s)/2], strings.Replace(s, ":", "::", 1), " \n"+s+"\n ", "null", "[]", "{}")
	res := make([][]byte, len(out))
	for i, v := range out {
		res[i] = []byte(v)
	}
	return res
}

func hexByte(c byte) string {
	const hex = "0123456789abcdef"
	return string([]byte{hex[c>>4], hex[c&15]})
}

// TestDecodeLikeV1 holds the one decode path of Kick's answers (the v2 decoder with
// tolerant.Options, straight into kick's models, in every service method) to encoding/json v1,
// which the SDK decoded with before: on every operation's fixture and its variants, each method
// of the operations table fails under both or returns the same value. Every type decoded into
// fits tolerant.Options (tolerant.Check).
func TestDecodeLikeV1(t *testing.T) {
	t.Parallel()
	d := newDecodeClients(t)
	for _, op := range operations {
		body, ok := responseFixture(t, op.id)
		if !ok {
			continue
		}
		for _, v := range responseVariants(body) {
			d.likeV1(t, op, v)
		}
	}
	if len(d.types) == 0 {
		t.Fatal("no answer was decoded")
	}
	// A page of redemption groups decodes with a method of its own, which Check does not look into.
	d.types[reflect.TypeFor[kick.RedemptionGroup]()] = true
	for typ := range d.types {
		if err := tolerant.Check(typ); err != nil {
			t.Error(err)
		}
	}
	// Every operation with a JSON answer has a method in the table, so it was decoded above.
	for _, op := range gen.Operations {
		if _, ok := responseFixture(t, op.ID); ok && !hasOperation(op.ID) {
			t.Errorf("%s: a JSON fixture and no method in operations", op.ID)
		}
	}
}

func hasOperation(id string) bool {
	for _, op := range operations {
		if op.id == id {
			return true
		}
	}
	return false
}

// FuzzDecodeLikeV1 holds the decode path to encoding/json v1 (as TestDecodeLikeV1) on any answer
// to any method of the operations table, from the fixtures on.
func FuzzDecodeLikeV1(f *testing.F) {
	var ops []operation
	for _, op := range operations {
		if body, ok := responseFixture(f, op.id); ok {
			for _, v := range responseVariants(body)[:3] {
				f.Add(uint8(len(ops)), v)
			}
			ops = append(ops, op)
		}
	}
	d := newDecodeClients(f)
	f.Fuzz(func(t *testing.T, i uint8, body []byte) {
		d.likeV1(t, ops[int(i)%len(ops)], body)
	})
}
