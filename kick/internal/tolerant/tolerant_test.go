package tolerant_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick/internal/tolerant"
)

// kinds has a field of every kind the SDK decodes Kick's JSON into.
type kinds struct {
	ID        int64            `json:"id"`
	Small     int32            `json:"small"`
	Name      string           `json:"name"`
	Ratio     float64          `json:"ratio"`
	On        bool             `json:"on"`
	At        time.Time        `json:"at"`
	Ended     *time.Time       `json:"ended_at"`
	Tags      []string         `json:"tags"`
	Count     *int64           `json:"count"`
	Nested    inner            `json:"nested"`
	Optional  *inner           `json:"optional"`
	Items     []inner          `json:"items"`
	Free      map[string]any   `json:"free"`
	Any       any              `json:"any"`
	Raw       json.RawMessage  `json:"raw"`
	Kind      named            `json:"kind"`
	ByID      map[string]inner `json:"by_id"`
	UserID    int64            `json:"user_id"`
	UpperCase string           `json:"ABC"`
}

type inner struct {
	A int    `json:"a"`
	B string `json:"b"`
}

type named string

// likeV1 fails t unless tolerant.Unmarshal decodes b into a kinds as encoding/json v1 does: both
// fail, or both give the same value.
func likeV1(t *testing.T, b []byte) {
	t.Helper()
	var want, got kinds
	wantErr := json.Unmarshal(b, &want)
	err := tolerant.Unmarshal(b, &got)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%q: error %v, encoding/json v1's %v", b, err, wantErr)
	}
	if err != nil {
		return
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) && a.Location().String() == b.Location().String() })); diff != "" {
		t.Fatalf("%q differs from encoding/json v1 (-v1 +tolerant):\n%s", b, diff)
	}
}

var seeds = []string{
	`{}`, `null`, `[]`, `1`, `"x"`, ``, ` {} `, `{} x`, `{"id":1}{"id":2}`,
	`{"id":123,"small":7,"name":"n","ratio":1.5,"on":true,"at":"2025-12-19T06:26:36Z","ended_at":null,"tags":["a","b"],"count":5,"nested":{"a":1,"b":"x"},"optional":{"a":2},"items":[{"a":1},{"b":"y"}],"free":{"k":[1,"2",null]},"any":{"x":1},"raw":{"y":[1]},"kind":"new_value","by_id":{"1":{"a":1}},"user_id":9,"ABC":"upper"}`,
	// Case: exact first, then EqualFold; '_' and '-' are not ignored.
	`{"ID":1,"Name":"a","USER_ID":2,"abc":"lower","Abc":"mixed"}`, `{"userid":3,"user-id":4,"UserId":5}`, `{"ﬁ":1,"K":2,"\u212a":3}`,
	`{"name":"\u004eame","n\u0061me":"escaped key"}`,
	// Repeats: last wins, null keeps (v1), objects merge, arrays replace, merge into elements.
	`{"id":1,"id":2}`, `{"name":"a","name":null}`, `{"nested":{"a":1},"nested":{"b":"x"}}`, `{"nested":{"a":1},"nested":null}`,
	`{"optional":{"a":1},"optional":{"b":"x"}}`, `{"optional":{"a":1},"optional":null}`, `{"tags":["a","b"],"tags":["c"]}`,
	`{"items":[{"a":1,"b":"x"},{"a":2}],"items":[{"a":3}]}`, `{"free":{"a":1},"free":{"b":2}}`, `{"free":{"a":1},"free":null}`,
	`{"by_id":{"1":{"a":1}},"by_id":{"1":{"b":"x"}}}`, `{"any":{"a":1},"any":{"b":2}}`, `{"count":1,"count":null}`, `{"ended_at":"2025-12-19T06:26:36Z","ended_at":null}`,
	`{"raw":[1],"raw":null}`, `{"at":"2025-12-19T06:26:36Z","at":null}`, `{"Name":"a","name":"b","NAME":"c"}`,
	// Nulls everywhere.
	`{"id":null,"small":null,"name":null,"ratio":null,"on":null,"at":null,"tags":null,"nested":null,"items":[null,{"a":1}],"free":{"k":null},"kind":null}`,
	// Strings.
	"{\"name\":\"\xff\xfe\xc3\"}", `{"name":"\ud800\udc00\ud800x\udfff"}`, `{"name":"\u00e9\n\t\"\\\/\u0000"}`, `{"name":"\x"}`, "{\"name\":\"a\nb\"}",
	"{\"n\xffme\":1}", `{"kind":"\ud83d\ude00"}`,
	// Numbers.
	`{"id":1.0}`, `{"id":1e2}`, `{"id":-0}`, `{"id":99999999999999999999}`, `{"small":3000000000}`, `{"id":"12"}`, `{"ratio":1e400}`, `{"ratio":-1.5e-7}`, `{"id":01}`, `{"id":+1}`, `{"id":.5}`, `{"ratio":1E+2}`,
	// Times: fractions, offsets, v1's loose forms, invalid ones.
	`{"at":"2025-12-19T06:26:36.123456789+05:30"}`, `{"at":"2025-12-19T6:26:36Z"}`, `{"at":"2025-12-19T06:26:36,5Z"}`, `{"at":"2025-12-19 06:26:36Z"}`,
	`{"at":"2025-12-19T06:26:36"}`, `{"at":"0001-01-01T00:00:00Z"}`, `{"at":"2025-13-40T00:00:00Z"}`, `{"at":""}`, `{"at":"2025-12-19T06:26:36+24:00"}`, `{"at":"2025-12-19t06:26:36z"}`, `{"at":1}`,
	// Types that do not fit, unknown members, syntax.
	`{"on":"yes"}`, `{"tags":"a"}`, `{"tags":[1]}`, `{"nested":[1]}`, `{"items":{"a":1}}`, `{"unknown":{"deep":[1,{"a":null}]}}`, `{"free":[1]}`, `{"by_id":{"1":5}}`,
	`{"id":1,}`, `{"id":1 "name":"a"}`, `{"id"::1}`, `{"id":tru}`, `{"id":[1}`, `{'id':1}`, "\ufeff{}", `{"id":1}` + "\x00",
}

// TestLikeV1 decodes the seeds with encoding/json v1 and with Options, and wants the same.
func TestLikeV1(t *testing.T) {
	t.Parallel()
	for _, s := range seeds {
		likeV1(t, []byte(s))
	}
}

// FuzzLikeV1 holds tolerant.Unmarshal to encoding/json v1 on any input.
func FuzzLikeV1(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { likeV1(t, b) })
}

// TestCheck finds each thing Options would decode differently from v1, and passes kinds.
func TestCheck(t *testing.T) {
	t.Parallel()
	if err := tolerant.Check(reflect.TypeFor[kinds]()); err != nil {
		t.Errorf("kinds: %v", err)
	}
	type strict struct {
		A string `json:"name"`
		B string `json:"Name,case:strict"`
	}
	type embedded struct{ inner }
	type shadow struct {
		inner
		A int `json:"a"`
	}
	for _, ok := range []reflect.Type{reflect.TypeFor[strict](), reflect.TypeFor[embedded](), reflect.TypeFor[shadow](), reflect.TypeFor[*[]map[string]inner]()} {
		if err := tolerant.Check(ok); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
	type fold struct {
		A string `json:"name"`
		B string `json:"Name"`
	}
	type foldEmbedded struct {
		inner
		C int `json:"A"`
	}
	type str struct {
		N int64 `json:"n,string"`
	}
	for _, bad := range []reflect.Type{
		reflect.TypeFor[fold](), reflect.TypeFor[foldEmbedded](), reflect.TypeFor[str](), reflect.TypeFor[struct{ B []byte }](),
		reflect.TypeFor[struct{ A [2]int }](), reflect.TypeFor[struct{ D time.Duration }](), reflect.TypeFor[map[int]string](),
		reflect.TypeFor[[]struct{ X *fold }](),
	} {
		if err := tolerant.Check(bad); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}
