package kicktest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/openapi"
)

// TestSamplePayload checks the sample of every event type, for seed and other broadcasters,
// against the spec's payload schema of its type, and decodes it strictly with the webhook package:
// every field of the sample is a field of the decoded type, and the other way round.
func TestSamplePayload(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	schemas := map[kick.EventType]*openapi3.Schema{}
	for _, s := range doc.Components.Schemas {
		for _, ext := range []string{"x-kick-event", "x-kick-webhook"} {
			if name, ok := s.Value.Extensions[ext].(string); ok {
				schemas[kick.EventType(name)] = s.Value
			}
		}
	}
	types := append(slices.Clone(kick.AllEventTypes), webhook.EventDropsClaim)
	if len(schemas) != len(types) {
		t.Errorf("the spec has %d webhook payload schemas, kicktest samples %d types", len(schemas), len(types))
	}
	now := time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.FixedZone("", 3600))
	for _, broadcaster := range []int64{Streamer.UserID, Viewer.UserID, 24871935, 555} {
		for _, typ := range types {
			body, err := SamplePayload(typ, broadcaster, now)
			if err != nil {
				t.Fatalf("%s for %d: %v", typ, broadcaster, err)
			}
			var v any
			if err := json.Unmarshal(body, &v); err != nil {
				t.Fatalf("%s for %d: %v", typ, broadcaster, err)
			}
			if schema := schemas[typ]; schema == nil {
				t.Errorf("%s: no payload schema", typ)
			} else if err := schema.VisitJSON(v, formatOptions()...); err != nil {
				t.Errorf("%s for %d: invalid against the spec: %s\n%s", typ, broadcaster, describe(err), body)
			}
			version := 1
			if typ == webhook.EventDropsClaim {
				version = 0
			}
			ev, err := webhook.Decode(typ, version, body)
			if err != nil {
				t.Errorf("%s for %d: %v", typ, broadcaster, err)
				continue
			}
			if u, ok := ev.(*webhook.UnknownEvent); ok {
				t.Errorf("%s: decoded as an unknown event: %v", typ, u.Err)
				continue
			}
			again, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := jsonKeys(t, again), jsonKeys(t, body); !slices.Equal(got, want) {
				t.Errorf("%s: fields of the sample %v, of the decoded event %v", typ, want, got)
			}
			checkSample(t, ev, broadcaster, now)
		}
	}
	if _, err := SamplePayload("no.such.type", Streamer.UserID, now); err == nil {
		t.Error("a sample of an unknown type")
	}
	if _, err := SamplePayload(kick.EventChannelFollowed, 0, now); err == nil {
		t.Error("a sample for broadcaster 0")
	}
}

// checkSample checks the broadcaster and time of a decoded sample.
func checkSample(t *testing.T, ev webhook.Event, broadcaster int64, now time.Time) {
	t.Helper()
	sec := now.Truncate(time.Second)
	var gotBroadcaster int64
	var at time.Time
	switch e := ev.(type) {
	case *webhook.ChatMessageSent:
		gotBroadcaster, at = e.Broadcaster.UserID, e.CreatedAt
		if e.Sender.Identity == nil || len(e.Sender.Identity.Badges) == 0 || len(e.Emotes) != 1 {
			t.Errorf("chat sample %+v", e)
		}
	case *webhook.ChannelFollowed:
		gotBroadcaster, at = e.Broadcaster.UserID, sec
	case *webhook.ChannelSubscriptionNew:
		gotBroadcaster, at = e.Broadcaster.UserID, e.CreatedAt
	case *webhook.ChannelSubscriptionRenewal:
		gotBroadcaster, at = e.Broadcaster.UserID, e.CreatedAt
	case *webhook.ChannelSubscriptionGifts:
		gotBroadcaster, at = e.Broadcaster.UserID, e.CreatedAt
	case *webhook.ChannelRewardRedemptionUpdated:
		gotBroadcaster, at = e.Broadcaster.UserID, e.RedeemedAt.Truncate(time.Second)
	case *webhook.LivestreamStatusUpdated:
		gotBroadcaster, at = e.Broadcaster.UserID, e.StartedAt
	case *webhook.LivestreamMetadataUpdated:
		gotBroadcaster, at = e.Broadcaster.UserID, sec
	case *webhook.ModerationBanned:
		gotBroadcaster, at = e.Broadcaster.UserID, e.Metadata.CreatedAt
	case *webhook.KicksGifted:
		gotBroadcaster, at = e.Broadcaster.UserID, e.CreatedAt.Truncate(time.Second)
	case *webhook.DropsClaim:
		gotBroadcaster, at = broadcaster, sec
		if e.ClaimID == "" || e.UserID == 0 {
			t.Errorf("drops claim sample %+v", e)
		}
	default:
		// A type kicktest samples from the spec's example: in the broadcaster's channel, at the
		// example's time.
		if b := reflect.ValueOf(ev).Elem().FieldByName("Broadcaster"); b.IsValid() {
			gotBroadcaster = b.FieldByName("UserID").Int()
		}
		at = sec
	}
	if gotBroadcaster != broadcaster || !at.Equal(sec) {
		t.Errorf("%s: broadcaster %d at %v, want %d at %v", ev.EventType(), gotBroadcaster, at, broadcaster, sec)
	}
}

// TestSamplePayloadFreshIDs checks that two samples do not share ids.
func TestSamplePayloadFreshIDs(t *testing.T) {
	t.Parallel()
	now := time.Now()
	a, _ := SamplePayload(kick.EventChatMessageSent, Streamer.UserID, now)
	b, _ := SamplePayload(kick.EventChatMessageSent, Streamer.UserID, now)
	var ea, eb webhook.ChatMessageSent
	if json.Unmarshal(a, &ea) != nil || json.Unmarshal(b, &eb) != nil || ea.MessageID == "" || ea.MessageID == eb.MessageID {
		t.Errorf("message ids %q and %q", ea.MessageID, eb.MessageID)
	}
}

// jsonKeys lists the object keys of a JSON document as sorted paths.
func jsonKeys(t *testing.T, data []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var keys []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				keys = append(keys, prefix+k)
				walk(prefix+k+".", e)
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s%d.", prefix, i), e)
			}
		}
	}
	walk("", v)
	slices.Sort(keys)
	return keys
}
