package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/internal/modeljson"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/openapi"
)

// webhookModels maps exported structs of package webhook that hold Kick data to their JSON;
// modeljson.Mapped adds those the source maps itself ("Kick's schema: X"), reached from the
// Handler's On methods. TestModelsJSON fails for an exported struct that is none of these nor in
// webhookNotModels.
var webhookModels = map[string]modeljson.Model{
	"User":                           {Sample: webhook.User{}, Schema: "EventUser"},
	"UserSummary":                    {Sample: webhook.UserSummary{}, Schema: "EventUserSummary"},
	"Identity":                       {Sample: webhook.Identity{}, Schema: "Identity"},
	"Badge":                          {Sample: webhook.Badge{}, Schema: "Badge"},
	"Emote":                          {Sample: webhook.Emote{}, Schema: "Emote"},
	"EmotePosition":                  {Sample: webhook.EmotePosition{}, Schema: "EmotePosition"},
	"ChatMessageReply":               {Sample: webhook.ChatMessageReply{}, Schema: "ChatMessageReply"},
	"ChatMessageSent":                {Sample: webhook.ChatMessageSent{}, Schema: "ChatMessageSentEvent"},
	"ChannelFollowed":                {Sample: webhook.ChannelFollowed{}, Schema: "ChannelFollowedEvent"},
	"ChannelSubscriptionRenewal":     {Sample: webhook.ChannelSubscriptionRenewal{}, Schema: "ChannelSubscriptionRenewalEvent"},
	"ChannelSubscriptionGifts":       {Sample: webhook.ChannelSubscriptionGifts{}, Schema: "ChannelSubscriptionGiftsEvent"},
	"ChannelSubscriptionNew":         {Sample: webhook.ChannelSubscriptionNew{}, Schema: "ChannelSubscriptionNewEvent"},
	"RewardSummary":                  {Sample: webhook.RewardSummary{}, Schema: "RedemptionEventReward"},
	"ChannelRewardRedemptionUpdated": {Sample: webhook.ChannelRewardRedemptionUpdated{}, Schema: "ChannelRewardRedemptionUpdatedEvent"},
	"LivestreamStatusUpdated":        {Sample: webhook.LivestreamStatusUpdated{}, Schema: "LivestreamStatusUpdatedEvent"},
	"LivestreamMetadata":             {Sample: webhook.LivestreamMetadata{}, Schema: "LivestreamMetadata"},
	"LivestreamMetadataUpdated":      {Sample: webhook.LivestreamMetadataUpdated{}, Schema: "LivestreamMetadataUpdatedEvent"},
	"BanMetadata":                    {Sample: webhook.BanMetadata{}, Schema: "BanMetadata"},
	"ModerationBanned":               {Sample: webhook.ModerationBanned{}, Schema: "ModerationBannedEvent"},
	"KicksGift":                      {Sample: webhook.KicksGift{}, Schema: "KicksGift"},
	"KicksGifted":                    {Sample: webhook.KicksGifted{}, Schema: "KicksGiftedEvent"},
	"DropsClaim":                     {Sample: webhook.DropsClaim{}, Schema: "DropsClaimEvent"},
	"UnknownEvent": {Sample: webhook.UnknownEvent{}, None: "a payload this package has no type for: " +
		"its type, version, raw body and decoding error"},
}

// webhookNotModels are the exported structs that hold no Kick JSON, and why.
var webhookNotModels = map[string]string{
	"Delivery":          "a delivery's headers and raw body, not a JSON object of Kick's",
	"Handler":           "an http.Handler",
	"Verifier":          "a signature verifier",
	"FetchingKeySource": "a key source",
	"MemoryStore":       "a deduplication store",
}

// Every exported model of package webhook marshals with the names of its schema's properties,
// nested objects included, and nothing else; found by reading the package's source, so that a
// new model fails here until it is mapped.
func TestModelsJSON(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	modeljson.CheckPackage(t, doc, ".", modeljson.Mapped(t, ".", webhookModels, reflect.TypeFor[*webhook.Handler]()), webhookNotModels, filled)
}

var errorType = reflect.TypeFor[error]()

// filled is a model with every field set; an error field holds an error with a message.
func filled(sample any) any {
	return modeljson.Fill(reflect.TypeOf(sample), func(t reflect.Type) (reflect.Value, bool) {
		if t == errorType {
			return reflect.ValueOf(errors.New("x")), true
		}
		return reflect.Value{}, false
	}).Interface()
}

// errorsByMessage compares errors by their messages: an error in a model's JSON is its message.
var errorsByMessage = cmp.Comparer(func(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Error() == b.Error()
})

// Every model, filled and zero, unmarshals from its JSON into the value it was marshaled from:
// zero times (null for EndedAt and ExpiresAt, omitted for ChatMessageSent.CreatedAt), durations
// in seconds, versions as numbers.
func TestModelsRoundTrip(t *testing.T) {
	t.Parallel()
	modeljson.RoundTripModels(t, modeljson.Mapped(t, ".", webhookModels, reflect.TypeFor[*webhook.Handler]()), filled, errorsByMessage)
}

// A zero time that Kick sends as null is marshaled as null, and one Kick may leave out is left
// out: the JSON of a live stream, a permanent ban and an old chat message is Kick's.
func TestModelsZeroTimes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    any
		key  string
		want string // the key's JSON value; "" for absent
	}{
		{webhook.LivestreamStatusUpdated{IsLive: true}, "ended_at", "null"},
		{webhook.BanMetadata{Reason: "spam"}, "expires_at", "null"},
		{webhook.ChatMessageSent{Content: "hi"}, "created_at", ""},
		{webhook.KicksGift{Amount: 1}, "pinned_time_seconds", "0"},
	} {
		b, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if got := string(m[tc.key]); got != tc.want {
			t.Errorf("%T: %s = %q, want %q\n%s", tc.v, tc.key, got, tc.want, b)
		}
	}
}

// An UnknownEvent read back from its JSON keeps its decoding error as one matching ErrDecode, and
// says what it is.
func TestUnknownEventJSON(t *testing.T) {
	t.Parallel()
	in := &webhook.UnknownEvent{Type: "channel.raid", Version: 2, Raw: []byte(`{"viewers":3}`), Err: errors.New("bad")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var back webhook.UnknownEvent
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(back.Err, webhook.ErrDecode) || back.Err.Error() != "bad" || back.EventType() != "channel.raid" || back.EventVersion() != 2 {
		t.Errorf("%s decoded to %+v", b, back)
	}
	if err := json.Unmarshal([]byte(`[]`), &back); err == nil {
		t.Error("an array decoded into an UnknownEvent")
	}
}

// pinned_time_seconds becomes a time.Duration without wrapping around: a negative value is 0 and
// one past what a Duration holds is the largest whole number of seconds it does.
func TestKicksGiftPinnedTime(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{
		`600`:                 10 * time.Minute,
		`-5`:                  0,
		`9223372036854775807`: time.Duration(9223372036) * time.Second,
	} {
		var g webhook.KicksGift
		if err := json.Unmarshal([]byte(`{"amount":1,"pinned_time_seconds":`+in+`}`), &g); err != nil {
			t.Fatal(err)
		}
		if g.PinnedTime != want {
			t.Errorf("%s: PinnedTime = %v, want %v", in, g.PinnedTime, want)
		}
	}
	var g webhook.KicksGift
	if err := json.Unmarshal([]byte(`{"pinned_time_seconds":"600"}`), &g); err == nil {
		t.Error("a string pinned_time_seconds decoded")
	}
}
