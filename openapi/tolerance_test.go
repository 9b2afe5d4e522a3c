package openapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// walkSchemas calls fn for every schema reachable from ref, with its path and whether it is the
// enum branch of an open enum: an anyOf whose other branch is any string.
func walkSchemas(path string, ref *openapi3.SchemaRef, fn func(path string, s *openapi3.Schema, opened bool)) {
	var walk func(path string, ref *openapi3.SchemaRef, opened bool, seen map[*openapi3.Schema]bool)
	walk = func(path string, ref *openapi3.SchemaRef, opened bool, seen map[*openapi3.Schema]bool) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen = with(seen, s)
		fn(path, s, opened)
		open := slices.ContainsFunc(s.AnyOf, func(b *openapi3.SchemaRef) bool {
			return b.Value.Type.Is("string") && len(b.Value.Enum) == 0
		})
		for i, b := range s.AnyOf {
			walk(path+"/anyOf/"+strconv.Itoa(i), b, open, seen)
		}
		for i, b := range s.OneOf {
			walk(path+"/oneOf/"+strconv.Itoa(i), b, false, seen)
		}
		for i, b := range s.AllOf {
			walk(path+"/allOf/"+strconv.Itoa(i), b, false, seen)
		}
		for name, p := range s.Properties {
			walk(path+"/properties/"+name, p, false, seen)
		}
		walk(path+"/items", s.Items, false, seen)
	}
	walk(path, ref, false, map[*openapi3.Schema]bool{})
}

// with returns a copy of seen with s added, so that sibling branches may share a schema.
func with(seen map[*openapi3.Schema]bool, s *openapi3.Schema) map[*openapi3.Schema]bool {
	out := make(map[*openapi3.Schema]bool, len(seen)+1)
	for k := range seen {
		out[k] = true
	}
	out[s] = true
	return out
}

// What Kick sends (responses, webhook deliveries and their headers) and what a client sends
// (parameters and request bodies of the REST and OAuth operations).
func sentByKick(d *openapi3.T) map[string]*openapi3.SchemaRef {
	out := map[string]*openapi3.SchemaRef{}
	for name, op := range allOperations(d) {
		if strings.HasPrefix(name, "callback ") {
			for _, p := range op.Parameters {
				out[name+" header "+p.Value.Name] = p.Value.Schema
			}
			for ct, mt := range op.RequestBody.Value.Content {
				out[name+" body "+ct] = mt.Schema
			}
			continue
		}
		for code, resp := range op.Responses.Map() {
			for ct, mt := range resp.Value.Content {
				out[name+" "+code+" "+ct] = mt.Schema
			}
		}
	}
	return out
}

func sentByClients(d *openapi3.T) map[string]*openapi3.SchemaRef {
	out := map[string]*openapi3.SchemaRef{}
	for _, path := range d.Paths.InMatchingOrder() {
		item := d.Paths.Value(path)
		for method, op := range item.Operations() {
			name := method + " " + path
			for _, p := range slices.Concat(item.Parameters, op.Parameters) {
				out[name+" "+p.Value.In+" "+p.Value.Name] = p.Value.Schema
			}
			if op.RequestBody != nil {
				for ct, mt := range op.RequestBody.Value.Content {
					out[name+" body "+ct] = mt.Schema
				}
			}
		}
	}
	return out
}

// Kick adds enum values (four event types in 2025): every enum of what Kick sends is open, the
// known values documented and any other string valid.
func TestResponseEnumsAreOpen(t *testing.T) {
	t.Parallel()
	opened := 0
	for where, ref := range sentByKick(doc(t)) {
		walkSchemas(where, ref, func(path string, s *openapi3.Schema, open bool) {
			switch {
			case len(s.Enum) > 0 && !open:
				t.Errorf("%s: closed enum %v in what Kick sends; make it anyOf the enum and any string", path, s.Enum)
			case len(s.Enum) > 0:
				opened++
			}
		})
	}
	// event, method, name, token_type, two statuses, the Kick-Event-Type header of ten callbacks.
	if opened < 16 {
		t.Errorf("%d open enums found; the walk is broken", opened)
	}
}

// What a client sends stays exact: its enums are closed.
func TestRequestEnumsAreClosed(t *testing.T) {
	t.Parallel()
	d := doc(t)
	closed := map[string]bool{}
	for where, ref := range sentByClients(d) {
		walkSchemas(where, ref, func(path string, s *openapi3.Schema, open bool) {
			if len(s.Enum) == 0 {
				return
			}
			if open {
				t.Errorf("%s: open enum in a request; clients must send a listed value", path)
			}
			closed[strings.Join(enumStrings(s), ",")] = true
		})
	}
	// The event types a subscription asks for: EventName, every one of its values, which starts
	// with Kick's ten documented ones.
	events := enumStrings(d.Components.Schemas["EventName"].Value)
	documented := "chat.message.sent,channel.followed,channel.subscription.renewal,channel.subscription.gifts,channel.subscription.new,channel.reward.redemption.updated,livestream.status.updated,livestream.metadata.updated,moderation.banned,kicks.gifted"
	if !strings.HasPrefix(strings.Join(events, ","), documented) {
		t.Errorf("EventName %v does not start with Kick's documented events", events)
	}
	for _, want := range []string{
		"access_token,refresh_token", "user,bot", "viewer_count,started_at", "pending,accepted,rejected",
		"webhook", "authorization_code", "client_credentials", "refresh_token",
		strings.Join(events, ","),
	} {
		if !closed[want] {
			t.Errorf("no closed request enum [%s]", want)
		}
	}
}

func enumStrings(s *openapi3.Schema) []string {
	out := make([]string, len(s.Enum))
	for i, v := range s.Enum {
		out[i], _ = v.(string)
	}
	return out
}

// route is an operation of the spec, for kin-openapi's request and response validation.
func route(t *testing.T, d *openapi3.T, method, path string) *routers.Route {
	t.Helper()
	item := d.Paths.Value(path)
	if item == nil || item.GetOperation(method) == nil {
		t.Fatalf("no %s %s in the spec", method, path)
	}
	return &routers.Route{Spec: d, Path: path, PathItem: item, Method: method, Operation: item.GetOperation(method)}
}

// validateResponse checks a response the way kicktest checks its own.
func validateResponse(t *testing.T, d *openapi3.T, method, path string, status int, contentType, body string) error {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, Route: route(t, d, method, path),
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status:  status,
		Header:  http.Header{"Content-Type": {contentType}},
		Body:    io.NopCloser(strings.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
}

// An event type newer than the spec is valid where Kick reports it, and rejected where a client
// asks for it.
func TestUnknownEventNames(t *testing.T) {
	t.Parallel()
	d := doc(t)
	const path = "/public/v1/events/subscriptions"
	list := `{"data": [{"id": "01KC495X0JWV6QDFWC8TZVWC1K", "app_id": "01JQBHJ5B2NBRBEWT9J3NGXW5F",
		"event": "channel.raid.started", "version": 1, "method": "websocket",
		"created_at": "2025-12-10T14:03:27Z", "updated_at": "2025-12-10T14:03:27Z"}], "message": "OK"}`
	if err := validateResponse(t, d, "GET", path, 200, "application/json", list); err != nil {
		t.Errorf("a subscription to a new event type, by a new method: %v", err)
	}
	results := `{"data": [{"name": "channel.raid.started", "version": 1, "subscription_id": "", "error": "unknown event"}], "message": "OK"}`
	if err := validateResponse(t, d, "POST", path, 200, "application/json", results); err != nil {
		t.Errorf("a result for a new event type: %v", err)
	}
	introspection := `{"data": {"active": true, "token_type": "service"}, "message": "OK"}`
	if err := validateResponse(t, d, "POST", "/oauth/token/introspect", 200, "application/json", introspection); err != nil {
		t.Errorf("a new token kind: %v", err)
	}
	body := `{"broadcaster_user_id": 1, "events": [{"name": "channel.raid.started", "version": 1}], "method": "webhook"}`
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if err := validateRequest(t, d, path, req, nil); err == nil || !strings.Contains(err.Error(), "allowed values") {
		t.Errorf("subscribing to an unknown event type: %v, want the closed enum's error", err)
	}

	// The Kick-Event-Type header of every delivery.
	var kickEventType *openapi3.Parameter
	for name, op := range allOperations(d) {
		if !strings.HasPrefix(name, "callback ") || strings.Contains(name, "drops.claim") {
			continue
		}
		p := op.Parameters.GetByInAndName("header", "Kick-Event-Type")
		if p == nil {
			t.Fatalf("%s has no Kick-Event-Type header", name)
		}
		kickEventType = p
	}
	if err := kickEventType.Schema.Value.VisitJSON("channel.raid.started"); err != nil {
		t.Errorf("Kick-Event-Type of a new event type: %v", err)
	}
}

// Every schema accepts what its description says a client must accept.
func TestSchemasAcceptWhatTheyDescribe(t *testing.T) {
	t.Parallel()
	d := doc(t)
	category := `{"id": 15, "name": "Just Chatting", "thumbnail": "https://files.kick.com/15.webp"}`
	tests := []struct {
		name, schema, json string
		ok                 bool
	}{
		{"emote id as a string", "Emote", `{"emote_id": "4148074", "positions": [{"s": 0, "e": 20}]}`, true},
		{"emote id as a number", "Emote", `{"emote_id": 4148074, "positions": [{"s": 0, "e": 20}]}`, true},
		{"emote id as a boolean", "Emote", `{"emote_id": true, "positions": []}`, false},
		{"metadata with category", "LivestreamMetadata", `{"title": "t", "language": "en", "has_mature_content": false, "category": ` + category + `}`, true},
		{"metadata with the capitalised Category", "LivestreamMetadata", `{"title": "t", "language": "en", "has_mature_content": false, "Category": ` + category + `}`, true},
		{"metadata without a title", "LivestreamMetadata", `{"language": "en", "has_mature_content": false, "category": ` + category + `}`, false},
		{"claim without external_status", "DropsClaim", `{"claim_id": "01KAHCQF18J6SS3VD9WEC0FX71", "user_id": 1, "campaign_id": "01K9PT69ZWCJTPKF0R975KMS8E",
			"reward_id": "01K9MKT3A1Y20BZB2RS7AFT4PH", "created_at": "2025-11-20T19:44:12Z", "updated_at": "2025-11-20T19:44:12Z"}`, true},
		{"compact user with a null is_verified", "EventUserSummary", `{"user_id": 1, "username": "a", "is_verified": null, "profile_picture": "", "channel_slug": "a"}`, true},
		{"full user with a null is_verified", "EventUser", `{"is_anonymous": false, "user_id": 1, "username": "a", "is_verified": null, "profile_picture": "", "channel_slug": "a", "identity": null}`, true},
		{"403 from Kick", "ForbiddenError", `{"data": null, "message": "Forbidden"}`, true},
		{"403 from Cloudflare", "ForbiddenError", `{"error": "Request blocked by security policy.", "reference": "18.2f6a3b17"}`, true},
		{"403 of neither shape", "ForbiddenError", `{"reason": "blocked"}`, false},
		{"error data {}", "ApiError", `{"data": {}, "message": "Unauthorized"}`, true},
		{"user message", "ChatMessageInput", `{"type": "user", "content": "hi", "broadcaster_user_id": 1}`, true},
		{"user message without broadcaster", "ChatMessageInput", `{"type": "user", "content": "hi"}`, false},
		{"bot message", "ChatMessageInput", `{"type": "bot", "content": "hi"}`, true},
		{"bot message with an ignored broadcaster", "ChatMessageInput", `{"type": "bot", "content": "hi", "broadcaster_user_id": 1}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var v any
			if err := json.Unmarshal([]byte(tt.json), &v); err != nil {
				t.Fatal(err)
			}
			err := d.Components.Schemas[tt.schema].Value.VisitJSON(v, openapi3.MultiErrors())
			if tt.ok && err != nil {
				t.Errorf("%s rejects %s:\n%v", tt.schema, tt.json, err)
			}
			if !tt.ok && err == nil {
				t.Errorf("%s accepts %s", tt.schema, tt.json)
			}
		})
	}

	// The HTML challenge page of Cloudflare is a documented 403 body of every operation that has
	// one (kin-openapi decodes no HTML, so the schema is checked directly).
	html := `<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>`
	forbidden := d.Components.Responses["Forbidden"].Value
	if mt := forbidden.Content.Get("text/html"); mt == nil {
		t.Error("the Forbidden response has no text/html body")
	} else if err := mt.Schema.Value.VisitJSON(html); err != nil {
		t.Errorf("Cloudflare's HTML 403: %v", err)
	}
	for name, op := range allOperations(d) {
		if r := op.Responses.Status(http.StatusForbidden); r != nil && r.Value != forbidden {
			t.Errorf("%s: its 403 is not the Forbidden response", name)
		}
	}
}

// The tolerant schemas describe what code generators need to read Kick's payloads: a numeric
// emote id and the capitalised Category validate and are properties of their schemas (so that a
// strict reader keeps them), and a bot message without a broadcaster is a valid request.
func TestSchemasTakeTolerantPayloads(t *testing.T) {
	t.Parallel()
	schemas := doc(t).Components.Schemas
	valid := func(schema string, raw string) {
		t.Helper()
		var v any
		if err := json.NewDecoder(strings.NewReader(raw)).Decode(&v); err != nil {
			t.Fatal(err)
		}
		if err := schemas[schema].Value.VisitJSON(v); err != nil {
			t.Errorf("%s refuses %s: %v", schema, raw, err)
		}
		if paths := undescribed(schemas[schema], v, "$"); len(paths) > 0 {
			t.Errorf("%s does not describe %v of %s", schema, paths, raw)
		}
	}
	valid("Emote", `{"emote_id": 37226, "positions": []}`)
	valid("Emote", `{"emote_id": "37226", "positions": []}`)
	valid("LivestreamMetadata", `{"title": "t", "language": "en", "has_mature_content": true, "Category": {"id": 15, "name": "Just Chatting", "thumbnail": ""}}`)
	if schemas["LivestreamMetadata"].Value.Properties["Category"] == nil {
		t.Error("LivestreamMetadata has no Category property: a generated type would drop the category")
	}
	valid("ChatMessageInput", `{"type": "bot", "content": "hi"}`)
}

// unconfirmed says, for each limit the spec takes from third-party clients or a single source
// (INVENTORY.md's [T] and [?] facts), where its description admits it.
var unconfirmed = []struct{ op, param, schema, prop string }{
	{op: "listCategories", param: "cursor"},
	{op: "listCategories", param: "limit"},
	{op: "listCategories", param: "name"},
	{op: "listCategories", param: "tag"},
	{op: "getUsers", param: "id"},
	{op: "getLivestreamsV1", param: "limit"},
	{op: "getKicksLeaderboard", param: "top"},
	{op: "listEventSubscriptions", param: "broadcaster_user_id"},
	{op: "createChannelReward"},
	{op: "updateChannelReward"},
	{op: "deleteChannelReward"},
	{op: "banUser"},
	{schema: "ChannelRewardCreateInput"},
	{schema: "ChannelRewardCreateInput", prop: "title"},
	{schema: "ChannelRewardCreateInput", prop: "description"},
	{schema: "ChannelRewardCreateInput", prop: "background_color"},
	{schema: "ChannelRewardCreateInput", prop: "is_enabled"},
	{schema: "ChannelRewardCreateInput", prop: "is_user_input_required"},
	{schema: "ChannelRewardCreateInput", prop: "should_redemptions_skip_request_queue"},
	{schema: "ChannelRewardUpdateInput", prop: "title"},
	{schema: "ChannelRewardUpdateInput", prop: "description"},
	{schema: "ChannelRewardUpdateInput", prop: "background_color"},
	{schema: "BanInput", prop: "duration"},
	{schema: "BanInput", prop: "reason"},
	{schema: "Livestream", prop: "viewer_count"},
}

func TestUnconfirmedLimitsSaySo(t *testing.T) {
	t.Parallel()
	d := doc(t)
	ops := map[string]*openapi3.Operation{}
	for _, op := range allOperations(d) {
		ops[op.OperationID] = op
	}
	for _, u := range unconfirmed {
		var where, desc string
		switch {
		case u.param != "":
			where = u.op + " " + u.param
			p := ops[u.op].Parameters.GetByInAndName("query", u.param)
			if p == nil {
				t.Errorf("%s: no such parameter", where)
				continue
			}
			desc = p.Description
		case u.op != "":
			where, desc = u.op, ops[u.op].Description
		case u.prop != "":
			where = u.schema + "." + u.prop
			desc = d.Components.Schemas[u.schema].Value.Properties[u.prop].Value.Description
		default:
			where, desc = u.schema, d.Components.Schemas[u.schema].Value.Description
		}
		desc = strings.Join(strings.Fields(desc), " ")
		if !strings.Contains(desc, "not documented by Kick") && !strings.Contains(desc, "unconfirmed") {
			t.Errorf("%s: the description does not say the limit is not documented by Kick:\n%s", where, desc)
		}
	}
}
