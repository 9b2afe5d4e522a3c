package kick_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/internal/modeljson"
	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/openapi"
)

// model says what JSON a model of package kick marshals as: exactly one of schema (a schema of
// openapi/kick.yaml), query (the operation whose query parameters it carries) or none (why it has
// no schema; the test fails when a schema of its name appears).
type model struct {
	sample any
	schema string
	query  string
	none   string
	// absent are properties of the schema the model does not carry, each with its reason.
	absent map[string]string
}

// kickModels maps every exported struct type of package kick that holds Kick data, and every alias
// of one, to its JSON. TestModelsJSON fails for an exported struct in neither this map nor
// kickNotModels.
var kickModels = map[string]model{
	"User":                  {sample: kick.User{}, schema: "User"},
	"Channel":               {sample: kick.Channel{}, schema: "Channel"},
	"Stream":                {sample: kick.Stream{}, schema: "ChannelStream"},
	"ChannelUpdate":         {sample: kick.ChannelUpdate{}, schema: "ChannelUpdateInput"},
	"Category":              {sample: kick.Category{}, schema: "Category"},
	"CategorySummary":       {sample: kick.CategorySummary{}, schema: "CategorySummary"},
	"CategoryV1":            {sample: kick.CategoryV1{}, schema: "CategoryDetail"},
	"CategoryListParams":    {sample: kick.CategoryListParams{}, query: "listCategories"},
	"Livestream":            {sample: kick.Livestream{}, schema: "Livestream"},
	"LivestreamBroadcaster": {sample: kick.LivestreamBroadcaster{}, schema: "LivestreamBroadcaster"},
	"LivestreamListParams":  {sample: kick.LivestreamListParams{}, query: "listLivestreams"},
	"LivestreamStats":       {sample: kick.LivestreamStats{}, schema: "LivestreamStats"},
	"LivestreamV1":          {sample: kick.LivestreamV1{}, schema: "LivestreamV1"},
	"LivestreamV1Params":    {sample: kick.LivestreamV1Params{}, query: "getLivestreamsV1"},
	"ChatMessage":           {sample: kick.ChatMessage{}, schema: "ChatMessageInput"},
	"SentChatMessage":       {sample: kick.SentChatMessage{}, schema: "SentChatMessage"},
	"BanParams":             {sample: kick.BanParams{}, schema: "BanInput"},
	"Reward":                {sample: kick.Reward{}, schema: "ChannelReward"},
	"RewardCreate":          {sample: kick.RewardCreate{}, schema: "ChannelRewardCreateInput"},
	"RewardUpdate":          {sample: kick.RewardUpdate{}, schema: "ChannelRewardUpdateInput"},
	"RedemptionGroup":       {sample: kick.RedemptionGroup{}, schema: "RedemptionGroup"},
	"RedemptionReward":      {sample: kick.RedemptionReward{}, schema: "RedemptionReward"},
	"Redemption":            {sample: kick.Redemption{}, schema: "Redemption"},
	"RedemptionUser":        {sample: kick.RedemptionUser{}, schema: "RedemptionUser"},
	"FailedRedemption":      {sample: kick.FailedRedemption{}, schema: "FailedRedemption"},
	"RedemptionListParams":  {sample: kick.RedemptionListParams{}, query: "listRewardRedemptions"},
	"KicksLeaderboard":      {sample: kick.KicksLeaderboard{}, schema: "KicksLeaderboard"},
	"KicksLeaderboardEntry": {sample: kick.KicksLeaderboardEntry{}, schema: "KicksLeaderboardEntry"},
	"EventSubscription":     {sample: kick.EventSubscription{}, schema: "EventSubscription"},
	"EventListParams":       {sample: kick.EventListParams{}, query: "listEventSubscriptions"},
	"SubscribeEvent":        {sample: kick.SubscribeEvent{}, schema: "EventSubscriptionEvent"},
	"SubscribeParams":       {sample: kick.SubscribeParams{}, schema: "EventSubscriptionsInput"},
	"SubscriptionResult":    {sample: kick.SubscriptionResult{}, schema: "EventSubscriptionResult"},
	"DropsClaim":            {sample: kick.DropsClaim{}, schema: "DropsClaim"},
	"DropsClaimListParams":  {sample: kick.DropsClaimListParams{}, query: "listDropsClaims"},
	"DropsClaimUpdate":      {sample: kick.DropsClaimUpdate{}, schema: "DropsClaimUpdate"},
	"PublicKey":             {sample: kick.PublicKey{}, schema: "PublicKey"},
	"Token":                 {sample: kick.Token{}, schema: "Token"},
	"TokenInfo":             {sample: kick.TokenInfo{}, schema: "TokenIntrospection"},
	"TokenRequest":          {sample: kick.TokenRequest{}, schema: "TokenGrant"},
	"Page": {sample: kick.Page[kick.User]{}, none: "an SDK type: one page of any list, " +
		"as Kick's list envelopes carry it ({data, pagination.next_cursor}; Drops: {claims, cursor})"},
}

// kickNotModels are the exported structs and aliases that hold no Kick data, and why.
var kickNotModels = map[string]string{
	"Client":      "the API client",
	"RetryPolicy": "client configuration",
	"RequestInfo": "what a request hook receives about one request",
	"Revealed":    "a wrapper: its JSON is its Value's, secrets in clear (TestRevealMarshalsSecrets)",
	// Aliases of string enums of package kicktypes: their JSON is a string.
	"EventType":        "a string enum",
	"RedemptionStatus": "a string enum",
}

// kickError is the type of an error field (SubscriptionResult.Err).
var kickError = reflect.TypeFor[error]()

// Every exported model of package kick marshals with the names of its schema's properties,
// nested objects included, and nothing else; found by reading the package's source, so that a
// new model fails here until it is mapped.
func TestModelsJSON(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	types, err := modeljson.ExportedTypes(".")
	if err != nil {
		t.Fatal(err)
	}
	mapped := make([]string, 0, len(kickModels))
	for name := range kickModels {
		mapped = append(mapped, name)
	}
	unknown, stale := modeljson.Unclassified(types, func(name string) bool {
		_, model := kickModels[name]
		_, not := kickNotModels[name]
		return model || not
	}, mapped)
	for _, name := range unknown {
		t.Errorf("exported type %s is in neither kickModels nor kickNotModels: map it to its schema", name)
	}
	for _, name := range stale {
		t.Errorf("kickModels maps %s, which package kick does not declare", name)
	}
	for name, m := range kickModels {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(filled(m.sample))
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case m.schema != "":
				absent := make([]string, 0, len(m.absent))
				for k := range m.absent {
					absent = append(absent, k)
				}
				modeljson.CheckSchema(t, doc, m.schema, b, absent...)
			case m.query != "":
				want, ok := modeljson.QueryParameters(doc, m.query)
				if !ok {
					t.Fatalf("no operation %s in the spec", m.query)
				}
				got, err := modeljson.ObjectKeys(b)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("keys differ from %s's query parameters (-spec +json):\n%s", m.query, diff)
				}
			case m.none != "":
				if doc.Components.Schemas[name] != nil {
					t.Errorf("the spec now has a schema %s: map %s to it", name, name)
				}
			default:
				t.Fatal("the entry names no schema, no query and no reason")
			}
		})
	}
}

// filled is a model with every field set; an error field holds a *SubscriptionError that agrees
// with the filled fields, as Kick's answer would.
func filled(sample any) any {
	return modeljson.Fill(reflect.TypeOf(sample), func(t reflect.Type) (reflect.Value, bool) {
		if t == kickError {
			return reflect.ValueOf(&kick.SubscriptionError{Type: "x", Version: 7, Message: "x"}), true
		}
		return reflect.Value{}, false
	}).Interface()
}

// redactedSecrets lets a non-empty secret before marshaling equal "REDACTED" after: a model's
// JSON redacts it. Reveal's round trip is TestRevealMarshalsSecrets.
var redactedSecrets = cmp.Comparer(func(a, b kick.Secret) bool {
	return a == b || (a != "" && b != "" && (a == "REDACTED" || b == "REDACTED"))
})

// Every model, filled and zero, unmarshals from its JSON into the value it was marshaled from;
// zero times ("0001-01-01T00:00:00Z" included), nil pointers and enums included.
func TestModelsRoundTrip(t *testing.T) {
	t.Parallel()
	for name, m := range kickModels {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			modeljson.RoundTrip(t, filled(m.sample), redactedSecrets)
			modeljson.RoundTrip(t, reflect.Zero(reflect.TypeOf(m.sample)).Interface(), redactedSecrets)
		})
	}
}

// The mapped schemas are distinct: two models of one schema would be one concept with two names.
func TestModelsSchemasDistinct(t *testing.T) {
	t.Parallel()
	by := map[string][]string{}
	for name, m := range kickModels {
		if m.schema != "" {
			by[m.schema] = append(by[m.schema], name)
		}
	}
	for schema, names := range by {
		if len(names) > 1 {
			sort.Strings(names)
			t.Errorf("schema %s has %d models: %v", schema, len(names), names)
		}
	}
}

// JSON that no value of a model can hold is an error, not a wrapped-around duration or a silently
// dropped field.
func TestModelsRejectBadJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		into any
		json string
	}{
		{"negative ban duration", &kick.BanParams{}, `{"broadcaster_user_id":1,"user_id":2,"duration":-1}`},
		{"ban duration past time.Duration", &kick.BanParams{}, `{"broadcaster_user_id":1,"user_id":2,"duration":999999999999}`},
		{"ban not an object", &kick.BanParams{}, `[1]`},
		{"negative expires_in", &kick.Token{}, `{"access_token":"a","token_type":"Bearer","expires_in":-5}`},
		{"expires_in past time.Duration", &kick.Token{}, `{"access_token":"a","token_type":"Bearer","expires_in":9999999999999}`},
		{"token not an object", &kick.Token{}, `"a"`},
		{"introspection not an object", &kick.TokenInfo{}, `[]`},
		{"livestream not an object", &kick.Livestream{}, `1`},
		{"result not an object", &kick.SubscriptionResult{}, `true`},
	} {
		if err := json.Unmarshal([]byte(tc.json), tc.into); err == nil {
			t.Errorf("%s: %s decoded into %+v", tc.name, tc.json, tc.into)
		}
	}
}

// An error that is not a *SubscriptionError still marshals as its message, and decodes back as a
// *SubscriptionError with that message.
func TestSubscriptionResultOtherError(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(kick.SubscriptionResult{Type: kick.EventKicksGifted, Version: 1, Err: errors.New("no answer")})
	if err != nil {
		t.Fatal(err)
	}
	var back kick.SubscriptionResult
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	var se *kick.SubscriptionError
	if !errors.As(back.Err, &se) || se.Message != "no answer" || se.Type != kick.EventKicksGifted || !errors.Is(back.Err, kick.ErrSubscriptionFailed) {
		t.Errorf("%s decoded to %+v", b, back)
	}
}
