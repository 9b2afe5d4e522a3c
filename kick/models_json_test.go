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

// kickModels maps exported struct types of package kick that hold Kick data, and every alias of
// one, to its JSON. models() adds the models the source maps itself: a type reachable from the
// Client's methods whose documentation says "Kick's schema: X", or, for a type that marshals
// with the query parameters' names, that a method of "Operation X" takes. TestModelsJSON fails
// for an exported struct that is none of these nor in kickNotModels.
var kickModels = map[string]modeljson.Model{
	"User":                   {Sample: kick.User{}, Schema: "User"},
	"Channel":                {Sample: kick.Channel{}, Schema: "Channel"},
	"Stream":                 {Sample: kick.Stream{}, Schema: "ChannelStream"},
	"ChannelUpdateParams":    {Sample: kick.ChannelUpdateParams{}, Schema: "ChannelUpdateInput"},
	"Category":               {Sample: kick.Category{}, Schema: "Category"},
	"CategorySummary":        {Sample: kick.CategorySummary{}, Schema: "CategorySummary"},
	"CategoryV1":             {Sample: kick.CategoryV1{}, Schema: "CategoryDetail"},
	"CategoryListParams":     {Sample: kick.CategoryListParams{}, Query: "listCategories"},
	"Livestream":             {Sample: kick.Livestream{}, Schema: "Livestream"},
	"LivestreamBroadcaster":  {Sample: kick.LivestreamBroadcaster{}, Schema: "LivestreamBroadcaster"},
	"LivestreamListParams":   {Sample: kick.LivestreamListParams{}, Query: "listLivestreams"},
	"LivestreamStats":        {Sample: kick.LivestreamStats{}, Schema: "LivestreamStats"},
	"LivestreamV1":           {Sample: kick.LivestreamV1{}, Schema: "LivestreamV1"},
	"LivestreamListV1Params": {Sample: kick.LivestreamListV1Params{}, Query: "getLivestreamsV1"},
	"ChatSendParams":         {Sample: kick.ChatSendParams{}, Schema: "ChatMessageInput"},
	"SentChatMessage":        {Sample: kick.SentChatMessage{}, Schema: "SentChatMessage"},
	"ModerationBanParams":    {Sample: kick.ModerationBanParams{}, Schema: "BanInput"},
	"AdBreakStartParams":     {Sample: kick.AdBreakStartParams{}, Schema: "AdBreakInput"},
	"AdBreak":                {Sample: kick.AdBreak{}, Schema: "AdBreak"},
	"AdBreakLimits":          {Sample: kick.AdBreakLimits{}, Schema: "AdBreakLimits"},
	"AdBreakStatus":          {Sample: kick.AdBreakStatus{}, Schema: "AdBreakStatus"},
	"Reward":                 {Sample: kick.Reward{}, Schema: "ChannelReward"},
	"RewardCreateParams":     {Sample: kick.RewardCreateParams{}, Schema: "ChannelRewardCreateInput"},
	"RewardUpdateParams":     {Sample: kick.RewardUpdateParams{}, Schema: "ChannelRewardUpdateInput"},
	"RedemptionGroup":        {Sample: kick.RedemptionGroup{}, Schema: "RedemptionGroup"},
	"RedemptionReward":       {Sample: kick.RedemptionReward{}, Schema: "RedemptionReward"},
	"Redemption":             {Sample: kick.Redemption{}, Schema: "Redemption"},
	"RedemptionUser":         {Sample: kick.RedemptionUser{}, Schema: "RedemptionUser"},
	"FailedRedemption":       {Sample: kick.FailedRedemption{}, Schema: "FailedRedemption"},
	"RedemptionListParams":   {Sample: kick.RedemptionListParams{}, Query: "listRewardRedemptions"},
	"KicksLeaderboard":       {Sample: kick.KicksLeaderboard{}, Schema: "KicksLeaderboard"},
	"KicksLeaderboardEntry":  {Sample: kick.KicksLeaderboardEntry{}, Schema: "KicksLeaderboardEntry"},
	"EventSubscription":      {Sample: kick.EventSubscription{}, Schema: "EventSubscription"},
	"EventListParams":        {Sample: kick.EventListParams{}, Query: "listEventSubscriptions"},
	"SubscribeEvent":         {Sample: kick.SubscribeEvent{}, Schema: "EventSubscriptionEvent"},
	"EventSubscribeParams":   {Sample: kick.EventSubscribeParams{}, Schema: "EventSubscriptionsInput"},
	"SubscriptionResult":     {Sample: kick.SubscriptionResult{}, Schema: "EventSubscriptionResult"},
	"DropsClaim":             {Sample: kick.DropsClaim{}, Schema: "DropsClaim"},
	"DropsClaimListParams":   {Sample: kick.DropsClaimListParams{}, Query: "listDropsClaims"},
	"DropsClaimUpdateParams": {Sample: kick.DropsClaimUpdateParams{}, Schema: "DropsClaimUpdate"},
	"PublicKey":              {Sample: kick.PublicKey{}, Schema: "PublicKey"},
	"Token":                  {Sample: kick.Token{}, Schema: "Token"},
	"TokenInfo":              {Sample: kick.TokenInfo{}, Schema: "TokenIntrospection"},
	"TokenRequestParams":     {Sample: kick.TokenRequestParams{}, Schema: "TokenGrant"},
	"SyncResult": {Sample: kick.SyncResult{}, None: "an SDK type: Sync's report on one event or stray subscription, " +
		"with the names of SubscriptionResult and EventSubscription"},
	"Page": {Sample: kick.Page[kick.User]{}, None: "an SDK type: one page of any list, " +
		"as Kick's list envelopes carry it ({data, pagination.next_cursor}; Drops: {claims, cursor})"},
}

// kickNotModels are the exported structs and aliases that hold no Kick data, and why.
var kickNotModels = map[string]string{
	"Client":          "the API client",
	"RetryPolicy":     "client configuration",
	"RequestInfo":     "what a request hook receives about one request",
	"Response":        "HTTP metadata of an answer (status, headers, attempts), not a JSON object of Kick's",
	"EventSyncParams": "the input of Events.Sync, a reconciler of the SDK's: no Kick request carries it",
	"MemorySyncStore": "the in-memory store of Events.Sync's markers, client configuration",
	"Revealed":        "a wrapper: its JSON is its Value's, secrets in clear (TestRevealMarshalsSecrets)",
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
	modeljson.CheckPackage(t, doc, ".", models(t), kickNotModels, filled)
}

// models returns kickModels and the models the package's source maps itself (see kickModels).
func models(t *testing.T) map[string]modeljson.Model {
	t.Helper()
	return modeljson.Mapped(t, ".", kickModels, reflect.TypeFor[*kick.Client]())
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
	modeljson.RoundTripModels(t, models(t), filled, redactedSecrets)
}

// The mapped schemas are distinct: two models of one schema would be one concept with two names.
func TestModelsSchemasDistinct(t *testing.T) {
	t.Parallel()
	by := map[string][]string{}
	for name, m := range models(t) {
		if m.Schema != "" {
			by[m.Schema] = append(by[m.Schema], name)
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
		{"negative ban duration", &kick.ModerationBanParams{}, `{"broadcaster_user_id":1,"user_id":2,"duration":-1}`},
		{"ban duration past time.Duration", &kick.ModerationBanParams{}, `{"broadcaster_user_id":1,"user_id":2,"duration":999999999999}`},
		{"ban not an object", &kick.ModerationBanParams{}, `[1]`},
		{"negative ad break duration", &kick.AdBreakStartParams{}, `{"id":"x","break_duration_seconds":-1}`},
		{"ad break duration past time.Duration", &kick.AdBreakStartParams{}, `{"id":"x","break_duration_seconds":99999999999}`},
		{"ad break not an object", &kick.AdBreakStartParams{}, `"x"`},
		{"negative ad period", &kick.AdBreakLimits{}, `{"max":3,"period_seconds":-1}`},
		{"ad period past time.Duration", &kick.AdBreakLimits{}, `{"max":3,"period_seconds":99999999999}`},
		{"ad limits not an object", &kick.AdBreakLimits{}, `[]`},
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
