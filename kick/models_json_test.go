package kick_test

import (
	"context"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
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
	"User":                  {Sample: kick.User{}, Schema: "User"},
	"Channel":               {Sample: kick.Channel{}, Schema: "Channel"},
	"Stream":                {Sample: kick.Stream{}, Schema: "ChannelStream"},
	"ChannelUpdate":         {Sample: kick.ChannelUpdate{}, Schema: "ChannelUpdateInput"},
	"Category":              {Sample: kick.Category{}, Schema: "Category"},
	"CategorySummary":       {Sample: kick.CategorySummary{}, Schema: "CategorySummary"},
	"CategoryV1":            {Sample: kick.CategoryV1{}, Schema: "CategoryDetail"},
	"CategoryListParams":    {Sample: kick.CategoryListParams{}, Query: "listCategories"},
	"Livestream":            {Sample: kick.Livestream{}, Schema: "Livestream"},
	"LivestreamBroadcaster": {Sample: kick.LivestreamBroadcaster{}, Schema: "LivestreamBroadcaster"},
	"LivestreamListParams":  {Sample: kick.LivestreamListParams{}, Query: "listLivestreams"},
	"LivestreamStats":       {Sample: kick.LivestreamStats{}, Schema: "LivestreamStats"},
	"LivestreamV1":          {Sample: kick.LivestreamV1{}, Schema: "LivestreamV1"},
	"LivestreamV1Params":    {Sample: kick.LivestreamV1Params{}, Query: "getLivestreamsV1"},
	"ChatMessage":           {Sample: kick.ChatMessage{}, Schema: "ChatMessageInput"},
	"SentChatMessage":       {Sample: kick.SentChatMessage{}, Schema: "SentChatMessage"},
	"BanParams":             {Sample: kick.BanParams{}, Schema: "BanInput"},
	"AdBreakParams":         {Sample: kick.AdBreakParams{}, Schema: "AdBreakInput"},
	"AdBreak":               {Sample: kick.AdBreak{}, Schema: "AdBreak"},
	"AdBreakLimits":         {Sample: kick.AdBreakLimits{}, Schema: "AdBreakLimits"},
	"AdBreakStatus":         {Sample: kick.AdBreakStatus{}, Schema: "AdBreakStatus"},
	"Reward":                {Sample: kick.Reward{}, Schema: "ChannelReward"},
	"RewardCreate":          {Sample: kick.RewardCreate{}, Schema: "ChannelRewardCreateInput"},
	"RewardUpdate":          {Sample: kick.RewardUpdate{}, Schema: "ChannelRewardUpdateInput"},
	"RedemptionGroup":       {Sample: kick.RedemptionGroup{}, Schema: "RedemptionGroup"},
	"RedemptionReward":      {Sample: kick.RedemptionReward{}, Schema: "RedemptionReward"},
	"Redemption":            {Sample: kick.Redemption{}, Schema: "Redemption"},
	"RedemptionUser":        {Sample: kick.RedemptionUser{}, Schema: "RedemptionUser"},
	"FailedRedemption":      {Sample: kick.FailedRedemption{}, Schema: "FailedRedemption"},
	"RedemptionListParams":  {Sample: kick.RedemptionListParams{}, Query: "listRewardRedemptions"},
	"KicksLeaderboard":      {Sample: kick.KicksLeaderboard{}, Schema: "KicksLeaderboard"},
	"KicksLeaderboardEntry": {Sample: kick.KicksLeaderboardEntry{}, Schema: "KicksLeaderboardEntry"},
	"EventSubscription":     {Sample: kick.EventSubscription{}, Schema: "EventSubscription"},
	"EventListParams":       {Sample: kick.EventListParams{}, Query: "listEventSubscriptions"},
	"SubscribeEvent":        {Sample: kick.SubscribeEvent{}, Schema: "EventSubscriptionEvent"},
	"SubscribeParams":       {Sample: kick.SubscribeParams{}, Schema: "EventSubscriptionsInput"},
	"SubscriptionResult":    {Sample: kick.SubscriptionResult{}, Schema: "EventSubscriptionResult"},
	"DropsClaim":            {Sample: kick.DropsClaim{}, Schema: "DropsClaim"},
	"DropsClaimListParams":  {Sample: kick.DropsClaimListParams{}, Query: "listDropsClaims"},
	"DropsClaimUpdate":      {Sample: kick.DropsClaimUpdate{}, Schema: "DropsClaimUpdate"},
	"PublicKey":             {Sample: kick.PublicKey{}, Schema: "PublicKey"},
	"Token":                 {Sample: kick.Token{}, Schema: "Token"},
	"TokenInfo":             {Sample: kick.TokenInfo{}, Schema: "TokenIntrospection"},
	"TokenRequest":          {Sample: kick.TokenRequest{}, Schema: "TokenGrant"},
	"SyncResult": {Sample: kick.SyncResult{}, None: "an SDK type: Sync's report on one event or stray subscription, " +
		"with the names of SubscriptionResult and EventSubscription"},
	"Page": {Sample: kick.Page[kick.User]{}, None: "an SDK type: one page of any list, " +
		"as Kick's list envelopes carry it ({data, pagination.next_cursor}; Drops: {claims, cursor})"},
}

// kickNotModels are the exported structs and aliases that hold no Kick data, and why.
var kickNotModels = map[string]string{
	"Client":      "the API client",
	"RetryPolicy": "client configuration",
	"RequestInfo": "what a request hook receives about one request",
	"Response":    "HTTP metadata of an answer (status, headers, attempts), not a JSON object of Kick's",
	"SyncParams":  "the input of Events.Sync, a reconciler of the SDK's: no Kick request carries it",
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
	modeljson.CheckPackage(t, doc, ".", models(t), kickNotModels, filled)
}

// models returns kickModels and the models the package's source maps itself (see kickModels);
// where both map a type, they must agree.
func models(t *testing.T) map[string]modeljson.Model {
	t.Helper()
	schemas, queries := sourceModels(t)
	out := maps.Clone(kickModels)
	for name, typ := range reachableModels(reflect.TypeFor[*kick.Client]()) {
		var m modeljson.Model
		switch {
		case schemas[name] != "":
			m = modeljson.Model{Sample: reflect.Zero(typ).Interface(), Schema: schemas[name]}
		case queries[name] != "":
			m = modeljson.Model{Sample: reflect.Zero(typ).Interface(), Query: queries[name]}
		default:
			continue
		}
		if known, ok := out[name]; ok {
			if known.Schema != m.Schema || known.Query != m.Query {
				t.Errorf("%s: kickModels maps it to %q%q, its source to %q%q", name, known.Schema, known.Query, m.Schema, m.Query)
			}
			continue
		}
		out[name] = m
	}
	return out
}

var (
	schemaLine    = regexp.MustCompile(`Kick's schema: (\w+)`)
	operationLine = regexp.MustCompile(`Operation (\w+)[ .]`)
)

// sourceModels reads the package's source: the schema each type's documentation names ("Kick's
// schema: X"), and for each type that marshals with the query parameters' names, the operation
// of the methods that take it ("Operation X.").
func sourceModels(t *testing.T) (schemas, queries map[string]string) {
	t.Helper()
	schemas, queries = map[string]string{}, map[string]string{}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	queryTypes := map[string]bool{}
	var funcs []*ast.FuncDecl
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok {
						continue
					}
					text := d.Doc.Text() + ts.Doc.Text()
					if m := schemaLine.FindStringSubmatch(text); m != nil {
						schemas[ts.Name.Name] = m[1]
					}
					if strings.Contains(strings.Join(strings.Fields(text), " "), "marshals with the query parameters' names") {
						queryTypes[ts.Name.Name] = true
					}
				}
			case *ast.FuncDecl:
				funcs = append(funcs, d)
			}
		}
	}
	for _, fd := range funcs {
		m := operationLine.FindStringSubmatch(strings.Join(strings.Fields(fd.Doc.Text()), " "))
		if m == nil {
			continue
		}
		for _, p := range fd.Type.Params.List {
			if id, ok := p.Type.(*ast.Ident); ok && queryTypes[id.Name] && queries[id.Name] == "" {
				queries[id.Name] = m[1]
			}
		}
	}
	return schemas, queries
}

// reachableModels returns the named struct types of package kick that the methods of the
// Client's services take or return, and those they hold, by name.
func reachableModels(client reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	pkg := client.Elem().PkgPath()
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			walk(t.Elem())
		case reflect.Func:
			for i := range t.NumIn() {
				walk(t.In(i))
			}
			for i := range t.NumOut() {
				walk(t.Out(i))
			}
		case reflect.Struct:
			if t.PkgPath() != pkg || t.Name() == "" {
				return
			}
			if _, seen := out[t.Name()]; seen {
				return
			}
			if !strings.Contains(t.Name(), "[") {
				out[t.Name()] = t
			}
			for f := range t.Fields() {
				if f.IsExported() {
					walk(f.Type)
				}
			}
		}
	}
	for f := range client.Elem().Fields() {
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer {
			continue
		}
		for m := range f.Type.Methods() {
			walk(m.Type)
		}
	}
	return out
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
		{"negative ban duration", &kick.BanParams{}, `{"broadcaster_user_id":1,"user_id":2,"duration":-1}`},
		{"ban duration past time.Duration", &kick.BanParams{}, `{"broadcaster_user_id":1,"user_id":2,"duration":999999999999}`},
		{"ban not an object", &kick.BanParams{}, `[1]`},
		{"negative ad break duration", &kick.AdBreakParams{}, `{"id":"x","break_duration_seconds":-1}`},
		{"ad break duration past time.Duration", &kick.AdBreakParams{}, `{"id":"x","break_duration_seconds":99999999999}`},
		{"ad break not an object", &kick.AdBreakParams{}, `"x"`},
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
