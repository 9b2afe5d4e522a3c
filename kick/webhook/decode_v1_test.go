package webhook_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick/internal/tolerant"
	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// The webhook package decodes payloads with the JSON v2 decoder and the options of
// kick/internal/tolerant, which keep the tolerance encoding/json v1 gave it. These tests hold it to
// v1: v1Decode is the decoding the package had before (encoding/json v1, with the UnmarshalJSON
// methods it had for emotes and stream metadata, kept here), and every payload must decode alike
// on both, or fail on both.

// v1Emote decodes as webhook.Emote did with encoding/json v1.
type v1Emote webhook.Emote

func (e *v1Emote) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var aux struct {
		ID        json.RawMessage         `json:"emote_id"`
		Positions []webhook.EmotePosition `json:"positions"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	var id string
	if len(aux.ID) > 0 && string(aux.ID) != "null" {
		switch c := aux.ID[0]; {
		case c == '"':
			if err := json.Unmarshal(aux.ID, &id); err != nil {
				return err
			}
		case c == '-' || ('0' <= c && c <= '9'):
			id = string(aux.ID)
		default:
			return errors.New("emote_id: want a string or a number")
		}
	}
	e.ID, e.Positions = id, aux.Positions
	return nil
}

// v1Metadata decodes as webhook.LivestreamMetadata did with encoding/json v1.
type v1Metadata webhook.LivestreamMetadata

func (m *v1Metadata) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	type plain webhook.LivestreamMetadata
	var aux struct {
		plain
		Category            *kicktypes.CategorySummary `json:"category"`
		CapitalisedCategory *kicktypes.CategorySummary `json:"Category"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*m = v1Metadata(aux.plain)
	switch {
	case aux.Category != nil:
		m.Category = *aux.Category
	case aux.CapitalisedCategory != nil:
		m.Category = *aux.CapitalisedCategory
	}
	return nil
}

// v1Decode decodes body as the package did with encoding/json v1: it returns the decoded value,
// marshaled as JSON, or the error.
func v1Decode(typ kicktypes.EventType, version int, body []byte) ([]byte, error) {
	var v any
	switch typ {
	case kicktypes.EventChatMessageSent:
		v = &struct {
			webhook.ChatMessageSent
			Emotes []v1Emote `json:"emotes"`
		}{}
	case kicktypes.EventLivestreamMetadataUpdated:
		v = &struct {
			webhook.LivestreamMetadataUpdated
			Metadata v1Metadata `json:"metadata"`
		}{}
	default:
		e, err := webhook.DecodePayload(typ, version, []byte("{}"))
		if err != nil {
			return nil, fmt.Errorf("no type for %s: %w", typ, err)
		}
		v = reflect.New(reflect.TypeOf(e).Elem()).Interface()
	}
	if b := bytes.TrimLeft(body, " \t\r\n"); len(b) == 0 || b[0] != '{' {
		return nil, errors.New("payload is not a JSON object")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// checkLikeV1 fails t unless the package decodes body as v1Decode does: both fail, or both give
// the same value (compared as the JSON of the values, member order aside).
func checkLikeV1(t *testing.T, typ kicktypes.EventType, version int, body []byte) {
	t.Helper()
	want, wantErr := v1Decode(typ, version, body)
	e, err := webhook.DecodePayload(typ, version, body)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%s: decoding %q: error %v, encoding/json v1's %v", typ, body, err, wantErr)
	}
	if err != nil {
		return
	}
	got, err := json.Marshal(e)
	if err != nil {
		if errors.Is(wantErr, nil) && strings.Contains(err.Error(), "year outside of range") {
			return // v1 cannot write such a time either: both decoded it, neither can compare it
		}
		t.Fatalf("%s: encoding the event: %v", typ, err)
	}
	var g, w any
	if json.Unmarshal(got, &g) != nil || json.Unmarshal(want, &w) != nil {
		t.Fatalf("%s: the encoded events do not decode", typ)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Fatalf("%s: decoding %q differs from encoding/json v1 (-v1 +now):\n%s", typ, body, diff)
	}
}

// TestDecodeLikeV1 decodes every webhook fixture, and variants of each that exercise the
// tolerance (case of names, repeated names, nulls, invalid UTF-8, escapes, loose times, unknown
// members, wrong types), with the package and with encoding/json v1, and wants the same.
func TestDecodeLikeV1(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	types, versions := webhook.KnownKeys()
	tested := map[kicktypes.EventType]bool{}
	for _, file := range files {
		name := filepath.Base(file)
		if name == "headers.json" {
			continue
		}
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		typ := kicktypes.EventType(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, ".json"), ".started"), ".ended"))
		if !webhook.Known(typ, 1) {
			t.Fatalf("fixture %s: unknown type %s", name, typ)
		}
		tested[typ] = true
		for _, v := range variants(body) {
			checkLikeV1(t, typ, 1, v)
		}
	}
	// Every known type, with bodies of no fixture.
	for i, typ := range types {
		for _, body := range []string{`{}`, `null`, `[]`, `{"broadcaster":null}`, `{"broadcaster":{"user_id":"1"}}`, `{"emotes":[{"emote_id":1}]}`, `{"metadata":{"CATEGORY":{"id":1}}}`, `{"claim_id":"a","claim_id":null}`} {
			checkLikeV1(t, typ, versions[i], []byte(body))
		}
	}
	if len(tested) < 10 {
		t.Errorf("only %d event types have a fixture", len(tested))
	}
}

// variants returns body and changed copies of it.
func variants(body []byte) [][]byte {
	s := string(body)
	out := []string{s}
	replace := func(old, new string) {
		if strings.Contains(s, old) {
			out = append(out, strings.Replace(s, old, new, 1))
		}
	}
	// Case: a member in another case, and an exact and an inexact match of one field.
	replace(`"user_id"`, `"USER_ID"`)
	replace(`"username"`, `"UserName"`)
	replace(`"category"`, `"CATEGORY"`)
	replace(`"category"`, `"Category"`)
	replace(`"emote_id"`, `"Emote_ID"`)
	replace(`"positions"`, `"POSITIONS"`)
	replace(`"user_id"`, `"userid"`) // not v1's match: an unknown member
	replace(`"user_id"`, `"user-id"`)
	// Repeats: the last wins, a null after a value keeps the value (v1), objects merge.
	replace(`{`, `{"user_id":7,"user_id":8,`)
	replace(`"broadcaster": {`, `"broadcaster": {"username":"first"}, "broadcaster": {`)
	replace(`"content":`, `"content":"first","content":null,"content":`)
	replace(`"emotes": [`, `"emotes": [{"emote_id":"9","positions":[{"s":1,"e":2},{"s":3,"e":4}]}], "emotes": [`)
	replace(`"positions": [`, `"positions": [{"s":100,"e":200},{"s":300,"e":400}], "positions": [`)
	replace(`"metadata": {`, `"metadata": {"category":{"id":5,"name":"x"}}, "metadata": {`)
	replace(`"category": {`, `"category": null, "category": {`)
	// Nulls where values are documented.
	replace(`"is_anonymous": false`, `"is_anonymous": null`)
	replace(`"identity": {`, `"identity": null, "x": {`)
	replace(`"emote_id": "`, `"emote_id": null, "y": "`)
	replace(`"category": {`, `"category": null, "Category": {`)
	// Strings: invalid UTF-8, lone surrogates, escapes.
	replace(`"content": "`, "\"content\": \"\xff\xfe bad \xc3")
	replace(`"username": "`, `"username": "\ud800\udc00 \ud800 x \udfff`)
	replace(`"title": "`, `"title": "\u00e9\n\t\"\\\/`)
	replace(`"user_id"`, `"user\u005fid"`)
	// Numbers and ids.
	replace(`"emote_id": "`, `"emote_id": -12.5e3, "z": "`)
	replace(`"emote_id": "`, `"emote_id": true, "z": "`)
	replace(`"emote_id": "`, `"emote_id": {"a":1}, "z": "`)
	replace(`"user_id": `, `"user_id": 1.5, "w": `)
	replace(`"user_id": `, `"user_id": 1e2, "w": `)
	replace(`"user_id": `, `"user_id": "12", "w": `)
	replace(`"user_id": `, `"user_id": 99999999999999999999, "w": `)
	replace(`"duration": `, `"duration": -0, "w": `)
	// Times: fractions, offsets, v1's loose forms, invalid ones.
	for _, ts := range []string{"2025-12-19T06:26:36.123456789+05:30", "2025-12-19T6:26:36Z", "2025-12-19T06:26:36,5Z", "2025-12-19 06:26:36Z", "2025-12-19T06:26:36", "0001-01-01T00:00:00Z", "2025-13-40T00:00:00Z", ""} {
		replace(`"created_at": "`, `"created_at": "`+ts+`", "v": "`)
	}
	replace(`"ended_at": `, `"ended_at": null, "v": `)
	// Unknown members of every kind, and types that do not fit.
	replace(`{`, `{"new_field":{"deep":[1,{"a":null}]},"n":-1.5e-7,`)
	replace(`"is_verified": `, `"is_verified": "yes", "u": `)
	replace(`"badges": [`, `"badges": {"a":1}, "t": [`)
	replace(`"emotes": [`, `"emotes": [null, 5, `)
	// Syntax errors and trailing data.
	out = append(out, s+"x", s[:len(s)/2], strings.Replace(s, ":", "::", 1), " \n"+s+"\n ")
	res := make([][]byte, len(out))
	for i, v := range out {
		res[i] = []byte(v)
	}
	return res
}

// TestDecodedTypesFitOptions holds every payload type to what kick/internal/tolerant's options
// assume of the types they decode into (tolerant.Check).
func TestDecodedTypesFitOptions(t *testing.T) {
	t.Parallel()
	types, versions := webhook.KnownKeys()
	for i, typ := range types {
		e, err := webhook.DecodePayload(typ, versions[i], []byte("{}"))
		if err != nil {
			t.Fatal(err)
		}
		if err := tolerant.Check(reflect.TypeOf(e)); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
	}
}
