package openapi_test

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/openapi"
)

// Formats kin-openapi and every generator know without a definition (OpenAPI's format registry).
var standardFormats = []string{"byte", "date-time", "int32", "int64", "uri"}

// Every format the document uses is OpenAPI's own or defined in x-kick-formats, and every
// definition is used.
func TestFormatsAreDefined(t *testing.T) {
	t.Parallel()
	d := doc(t)
	defined, err := openapi.Formats()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	visit := func(where string, ref *openapi3.SchemaRef) {
		walkSchemas(where, ref, func(_ string, s *openapi3.Schema, _ bool) {
			if s.Format != "" {
				used[s.Format] = true
			}
		})
	}
	for where, ref := range sentByKick(d) {
		visit(where, ref)
	}
	for where, ref := range sentByClients(d) {
		visit(where, ref)
	}
	for name, ref := range d.Components.Schemas {
		visit(name, ref)
	}
	want := slices.Sorted(maps.Keys(used))
	got := slices.Sorted(maps.Keys(defined))
	got = append(got, standardFormats...)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("formats used (-) vs defined or standard (+):\n%s", diff)
	}
}

// Kick's own example ids pass format ulid: the 26 characters of a real ULID, the 27 of the Drops
// campaign id in drops/public-api.md and the 31 of the reward id in Kick's OpenAPI document.
func TestULIDFormatTakesKickExamples(t *testing.T) {
	t.Parallel()
	formats, err := openapi.Formats()
	if err != nil {
		t.Fatal(err)
	}
	ulid := formats["ulid"]
	for _, id := range []string{
		"01KBHE78QE4HZY1617DK5FC7YD",      // events/event-types.md
		"01JAXK8N4QWRTY5PM7ZEBVJDS8S",     // drops/public-api.md, 27 characters
		"01HZ8X9K2M4N6P8Q0R2S4T6V8W0Y2Z4", // Kick's doc.yaml, endpoints.ChannelReward, 31 characters
		"01kbhe78qe4hzy1617dk5fc7yd",      // Crockford base32 is case-insensitive
	} {
		if !ulid.MatchString(id) {
			t.Errorf("format ulid rejects Kick's example id %q", id)
		}
	}
	for _, id := range []string{
		"", "12345", "not-a-ulid",
		"550e8400-e29b-41d4-a716-446655440000", // a UUID
		"01KBHE78QE4HZY1617DK5FC7Y",            // 25 characters
		"01KBHE78QE4HZY1617DK5FC7YDI",          // I is not Crockford base32
		strings.Repeat("0", 33),
	} {
		if ulid.MatchString(id) {
			t.Errorf("format ulid accepts %q", id)
		}
	}
	if !formats["uuid"].MatchString("9ec70d6a-256c-4646-86c1-271e080d1d5c") || formats["uuid"].MatchString("01KBHE78QE4HZY1617DK5FC7YD") {
		t.Error("format uuid")
	}
	if !formats["hexcolor"].MatchString("#00e701") || formats["hexcolor"].MatchString("00e701") {
		t.Error("format hexcolor")
	}
}

// Every example of the document, named ones included, matches its schema with the formats checked.
func TestExamplesMatchFormats(t *testing.T) {
	t.Parallel()
	d := doc(t)
	validators, err := openapi.FormatValidators()
	if err != nil {
		t.Fatal(err)
	}
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.WithStringFormatValidators(validators)}
	checked := 0
	check := func(where string, s *openapi3.Schema, example any) {
		if example == nil || s == nil {
			return
		}
		checked++
		if err := s.VisitJSON(example, opts...); err != nil {
			t.Errorf("%s: the example breaks the schema:\n%v", where, err)
		}
	}
	media := func(where string, content openapi3.Content) {
		for ct, mt := range content {
			if mt.Schema == nil {
				continue
			}
			check(where+" "+ct, mt.Schema.Value, mt.Example)
			for name, ex := range mt.Examples {
				check(where+" "+ct+" example "+name, mt.Schema.Value, ex.Value.Value)
			}
		}
	}
	for name, op := range allOperations(d) {
		if op.RequestBody != nil {
			media(name+" body", op.RequestBody.Value.Content)
		}
		for code, resp := range op.Responses.Map() {
			media(name+" "+code, resp.Value.Content)
		}
	}
	for name, ref := range d.Components.Schemas {
		check("schema "+name, ref.Value, ref.Value.Example)
	}
	for name, ref := range d.Components.Responses {
		media("response "+name, ref.Value.Content)
	}
	if checked < 80 {
		t.Errorf("checked %d examples; the walk is broken", checked)
	}
}

// kicktest, which validates every request against the spec with its formats, takes Kick's own
// example ids: the 27-character campaign id of the Drops docs and the 31-character reward id of
// Kick's OpenAPI document are well-formed, merely unknown.
func TestKicktestTakesKickExampleIDs(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	do := func(method, url, token string) (int, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(`{"cost": 10}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		var env struct{ Message string }
		_ = json.Unmarshal(body, &env)
		return resp.StatusCode, env.Message
	}
	app := srv.AppToken().AccessToken
	if got, msg := do("GET", srv.APIBaseURL+"/public/v1/drops/claims?campaign_id=01JAXK8N4QWRTY5PM7ZEBVJDS8S&claim_id=01JAXK8N4QWRTY5PM7ZEBVGH2S", app); got != http.StatusOK {
		t.Errorf("drops claims of Kick's example campaign: %d %s, want 200", got, msg)
	}
	user := srv.UserToken(kicktest.Streamer.UserID).AccessToken
	if got, msg := do("PATCH", srv.APIBaseURL+"/public/v1/channels/rewards/01HZ8X9K2M4N6P8Q0R2S4T6V8W0Y2Z4", user); got != http.StatusNotFound {
		t.Errorf("update of Kick's example reward id: %d %s, want 404 (unknown, not malformed)", got, msg)
	}
	if len(srv.Violations()) != 0 {
		t.Errorf("violations: %v", srv.Violations())
	}
	// The format still catches a malformed id.
	if got, msg := do("PATCH", srv.APIBaseURL+"/public/v1/channels/rewards/01HZ8X9K2M4N6P8Q0R2S4T6V8W0Y2ZU", user); got != http.StatusBadRequest || !strings.Contains(msg, `parameter "id" in path`) {
		t.Errorf("update of a reward id with a U: %d %s, want 400 naming the id", got, msg)
	}
}
