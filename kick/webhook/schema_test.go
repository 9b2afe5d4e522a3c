package webhook_test

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/openapi"
)

// knownSchemaTypes are payload schemas of openapi/kick.yaml and the types that carry them;
// payloadTypes adds the others.
var knownSchemaTypes = map[string]webhook.Event{
	"ChatMessageSentEvent":                &webhook.ChatMessageSent{},
	"ChannelFollowedEvent":                &webhook.ChannelFollowed{},
	"ChannelSubscriptionRenewalEvent":     &webhook.ChannelSubscriptionRenewal{},
	"ChannelSubscriptionGiftsEvent":       &webhook.ChannelSubscriptionGifts{},
	"ChannelSubscriptionNewEvent":         &webhook.ChannelSubscriptionNew{},
	"ChannelRewardRedemptionUpdatedEvent": &webhook.ChannelRewardRedemptionUpdated{},
	"LivestreamStatusUpdatedEvent":        &webhook.LivestreamStatusUpdated{},
	"LivestreamMetadataUpdatedEvent":      &webhook.LivestreamMetadataUpdated{},
	"ModerationBannedEvent":               &webhook.ModerationBanned{},
	"KicksGiftedEvent":                    &webhook.KicksGifted{},
	"DropsClaimEvent":                     &webhook.DropsClaim{},
}

// payloadTypes maps every payload schema of openapi/kick.yaml (x-kick-event, x-kick-webhook) to
// the type Decode gives its example: the registry generated from the spec, written by hand in
// knownSchemaTypes too. A payload schema whose example decodes to an *UnknownEvent has no type, and
// fails t.
func payloadTypes(t *testing.T) map[string]webhook.Event {
	t.Helper()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]webhook.Event{}
	for name, ref := range doc.Components.Schemas {
		typ, event := ref.Value.Extensions["x-kick-event"].(string)
		version := 1
		if drops, ok := ref.Value.Extensions["x-kick-webhook"].(string); ok {
			typ, event, version = drops, true, 0
		}
		if !event {
			continue
		}
		example, err := json.Marshal(ref.Value.Example)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := webhook.Decode(kick.EventType(typ), version, example)
		if err != nil {
			t.Errorf("the example of %s: %v", name, err)
			continue
		}
		if _, unknown := ev.(*webhook.UnknownEvent); unknown {
			t.Errorf("schema %s is a webhook payload with no Go type: Decode gives an *UnknownEvent", name)
			continue
		}
		out[name] = reflect.New(reflect.TypeOf(ev).Elem()).Interface().(webhook.Event)
		if known, ok := knownSchemaTypes[name]; ok && reflect.TypeOf(known) != reflect.TypeOf(ev) {
			t.Errorf("schema %s: Decode gives a %T, knownSchemaTypes says %T", name, ev, known)
		}
	}
	for name := range knownSchemaTypes {
		if _, ok := out[name]; !ok {
			t.Errorf("knownSchemaTypes has %s, which is no payload schema of the spec", name)
		}
	}
	return out
}

// Every property of every payload schema, nested ones included, has a field in the Go type, and
// every schema's example decodes. A schema that gains a property fails here until the type
// carries it.
func TestTypesCarryEverySchemaProperty(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for name, e := range payloadTypes(t) {
		ref, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("no schema %s in the spec", name)
			continue
		}
		if got := ref.Value.Extensions["x-kick-event"]; got != nil && got != string(e.EventType()) {
			t.Errorf("schema %s is for %v, the Go type for %s", name, got, e.EventType())
		}
		checkProperties(t, name, ref, reflect.TypeOf(e).Elem())

		example, err := json.Marshal(ref.Value.Example)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := webhook.Decode(e.EventType(), e.EventVersion(), example); err != nil {
			t.Errorf("the example of %s: %v", name, err)
		}
	}
}

var timeType = reflect.TypeFor[time.Time]()

func checkProperties(t *testing.T, path string, ref *openapi3.SchemaRef, typ reflect.Type) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	s := ref.Value
	switch {
	case len(s.AnyOf) > 0 || len(s.OneOf) > 0:
		// An open enum (anyOf: the enum or any string) or a string-or-number (oneOf): the Go type
		// carries the branch of its kind, and its decoder takes the others.
		branches := append(slices.Clone(s.AnyOf), s.OneOf...)
		i := slices.IndexFunc(branches, func(b *openapi3.SchemaRef) bool { return b.Value.Type.Is(jsonKind(typ)) })
		if i < 0 {
			t.Errorf("%s: no branch of the schema is carried by a %v", path, typ)
			return
		}
		checkProperties(t, path, branches[i], typ)
	case typ == timeType:
		if s.Format != "date-time" {
			t.Errorf("%s: a time.Time for a schema of format %q", path, s.Format)
		}
	case s.Type.Is("array"):
		if typ.Kind() != reflect.Slice {
			t.Errorf("%s: array carried by a %v", path, typ)
			return
		}
		checkProperties(t, path+"[]", s.Items, typ.Elem())
	case s.Type.Is("object"):
		if typ.Kind() != reflect.Struct {
			t.Errorf("%s: object carried by a %v", path, typ)
			return
		}
		fields := jsonFields(typ)
		names := make([]string, 0, len(s.Properties))
		for name := range s.Properties {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if s.Properties[name].Value.Deprecated {
				// A deprecated alias (LivestreamMetadata's "Category") is read into its
				// successor's field by the type's decoder, tested with the decoder.
				continue
			}
			f, ok := fields[name]
			if !ok {
				t.Errorf("%s.%s: no field in %v", path, name, typ)
				continue
			}
			checkProperties(t, path+"."+name, s.Properties[name], f.Type)
		}
	case s.Type.Is("integer"):
		if k := typ.Kind(); k != reflect.Int && k != reflect.Int64 {
			t.Errorf("%s: integer carried by a %v", path, typ)
		}
		if s.Format == "int64" && typ.Kind() != reflect.Int64 {
			t.Errorf("%s: int64 carried by a %v", path, typ)
		}
	case s.Type.Is("string"):
		if typ.Kind() != reflect.String {
			t.Errorf("%s: string carried by a %v", path, typ)
		}
	case s.Type.Is("boolean"):
		if typ.Kind() != reflect.Bool {
			t.Errorf("%s: boolean carried by a %v", path, typ)
		}
	default:
		t.Errorf("%s: schema type %v not checked", path, s.Type)
	}
}

// jsonKind is the JSON Schema type a Go value of typ carries.
func jsonKind(typ reflect.Type) string {
	switch typ.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "integer"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice:
		return "array"
	case reflect.Struct:
		return "object"
	}
	return typ.Kind().String()
}

// jsonFields maps a struct's JSON keys to its fields.
func jsonFields(typ reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for f := range typ.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = f
		}
	}
	return out
}

// The event types of package kick are the ones this package decodes.
func TestEveryKickEventTypeIsKnown(t *testing.T) {
	t.Parallel()
	for _, typ := range kick.AllEventTypes {
		if !webhook.Known(typ, 1) {
			t.Errorf("%s version 1 is not known", typ)
		}
	}
}
