// Package tolerant decodes Kick's JSON with the JSON v2 decoder (github.com/go-json-experiment/json)
// and the tolerance of encoding/json v1, which the SDK has always decoded Kick's answers and
// webhook payloads with. Every option set, and every v1 option left out, is explained in Options.
package tolerant

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// Options are the decoding options: v2's decoder with the behavior of encoding/json v1 that
// Kick-facing code relies on.
//
//   - jsontext.AllowDuplicateNames(true): v1 accepts an object that repeats a name, the last value
//     winning (merged into the first, see MergeWithLegacySemantics). v2 refuses it by default; an
//     answer Kick sends twice a key must not fail a call it never failed.
//   - jsontext.AllowInvalidUTF8(true): v1 replaces invalid UTF-8 in strings (and lone surrogate
//     escapes) with U+FFFD; v2 refuses it by default. A display name with a broken byte must not
//     fail a 100-stream page.
//   - json.MatchCaseInsensitiveNames(true) and jsonv1.MatchCaseSensitiveDelimiter(true): v1 matches
//     a member to a field by its exact name first, then by strings.EqualFold; v2 matches exactly by
//     default, and its case-insensitive mode alone would also ignore '_' and '-' ("userid" for
//     "user_id"), which v1 never did. Together they are v1's matching.
//   - jsonv1.MergeWithLegacySemantics(true): a null leaves the value it replaces (v1), where v2
//     zeroes it; this only shows with repeated names ({"a":1,"a":null} is 1 in v1), and keeps them
//     exactly as v1 had them.
//   - jsonv1.ParseTimeWithLooseRFC3339(true): v1's time.Time accepts the historical deviations
//     from RFC 3339 that v2 refuses (a one-digit hour, a comma before the fraction, "+00:00" ...).
//
// Left at v2's default:
//
//   - jsonv1.ReportErrorsWithLegacySemantics: v1 validates the whole input before decoding it, the
//     second pass over every body that v2 spares (the point of using v2); an input that fails
//     still fails, with v2's error type. Errors are wrapped by the callers (kick's
//     ErrUnexpectedResponse, webhook's ErrDecode), which is what callers check. Its one other
//     effect on decoding, choosing the first of several fields whose names differ only in case,
//     cannot arise: no decoded type has two such fields (a test holds every decoded type to it).
//   - json.RejectUnknownMembers stays false: unknown members are ignored, as in v1.
//   - jsonv1.StringifyWithLegacySemantics, FormatBytesWithLegacySemantics, FormatByteArrayAsArray,
//     ParseBytesWithLooseRFC4648, UnmarshalArrayFromAnyLength, FormatDurationAsNano: they change
//     only `,string` fields, byte slices and arrays, Go arrays and time.Duration, which no decoded
//     type has (the same test holds it).
//   - jsonv1.CallMethodsWithLegacySemantics: on decoding it only concerns map keys with methods,
//     which no decoded type has.
var Options = json.JoinOptions(
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
	json.MatchCaseInsensitiveNames(true),
	jsonv1.MatchCaseSensitiveDelimiter(true),
	jsonv1.MergeWithLegacySemantics(true),
	jsonv1.ParseTimeWithLooseRFC3339(true),
)

// Unmarshal decodes the JSON value b into v with Options. It keeps no reference to b.
func Unmarshal(b []byte, v any) error {
	return json.Unmarshal(b, v, Options)
}

// Check reports the first thing in the type t, or in any type it holds, for which Options would
// not decode as encoding/json v1 does (see Options): two fields whose JSON names differ only in
// case, neither marked case:strict; a `,string` field; a byte slice, a Go array or a
// time.Duration; a map whose keys are not strings. Types with their own decoding method are not
// looked into. The tests of the packages that decode with Unmarshal call it on every type they
// decode into.
func Check(t reflect.Type) error {
	return check(t, map[reflect.Type]bool{})
}

var (
	unmarshalerFrom = reflect.TypeFor[json.UnmarshalerFrom]()
	unmarshaler     = reflect.TypeFor[json.Unmarshaler]()
	durationType    = reflect.TypeFor[time.Duration]()
)

func check(t reflect.Type, seen map[reflect.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	if pt := reflect.PointerTo(t); pt.Implements(unmarshalerFrom) || pt.Implements(unmarshaler) {
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return check(t.Elem(), seen)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && t != reflect.TypeFor[jsontext.Value]() {
			return fmt.Errorf("%v: a byte slice", t)
		}
		return check(t.Elem(), seen)
	case reflect.Array:
		return fmt.Errorf("%v: a Go array", t)
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return fmt.Errorf("%v: map keys that are not strings", t)
		}
		return check(t.Elem(), seen)
	case reflect.Int64:
		if t == durationType {
			return fmt.Errorf("%v: a time.Duration", t)
		}
	case reflect.Struct:
		return checkStruct(t, seen)
	}
	return nil
}

// checkStruct checks the fields of struct type t, its inlined (embedded) ones included.
func checkStruct(t reflect.Type, seen map[reflect.Type]bool) error {
	names := map[string]string{} // folded name: name, of the fields that fold
	var walk func(t reflect.Type) error
	walk = func(t reflect.Type) error {
		for f := range t.Fields() {
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if !f.IsExported() && !f.Anonymous || name == "-" && opts == "" {
				continue
			}
			if strings.Contains(","+opts+",", ",string,") {
				return fmt.Errorf("%v.%s: a `,string` field", t, f.Name)
			}
			ft := f.Type
			if f.Anonymous && name == "" && ft.Kind() == reflect.Struct || strings.Contains(","+opts+",", ",inline,") {
				if err := walk(ft); err != nil {
					return err
				}
				continue
			}
			if name == "" {
				name = f.Name
			}
			if !strings.Contains(","+opts+",", ",case:strict,") {
				key := strings.ToLower(name)
				if other, ok := names[key]; ok && other != name {
					return fmt.Errorf("%v: fields %q and %q differ only in case", t, other, name)
				}
				names[key] = name
			}
			if err := check(ft, seen); err != nil {
				return fmt.Errorf("%v.%s: %w", t, f.Name, err)
			}
		}
		return nil
	}
	return walk(t)
}
