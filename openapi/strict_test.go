package openapi_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/gen"
)

// undescribed returns the paths of the members of v that the schema s does not describe: a member
// of an object that is none of its properties (nor of its allOf, oneOf and anyOf branches) when
// the schema allows no other (additionalProperties), at any depth. The spec must describe every
// field Kick sends, so that a code generator's types (ours, other languages') hold it all.
func undescribed(s *openapi3.SchemaRef, v any, path string) []string {
	if s == nil || s.Value == nil {
		return nil
	}
	var out []string
	switch v := v.(type) {
	case map[string]any:
		props, extra, open := properties(s)
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			switch p, ok := props[k]; {
			case ok:
				out = append(out, undescribed(p, v[k], path+"."+k)...)
			case extra != nil:
				out = append(out, undescribed(extra, v[k], path+"."+k)...)
			case !open:
				out = append(out, path+"."+k)
			}
		}
	case []any:
		items := s.Value.Items
		for _, b := range slices.Concat(s.Value.AllOf, s.Value.OneOf, s.Value.AnyOf) {
			if items == nil && b.Value != nil {
				items = b.Value.Items
			}
		}
		for i, e := range v {
			out = append(out, undescribed(items, e, path+"["+strconv.Itoa(i)+"]")...)
		}
	}
	return out
}

// properties returns the properties of s and its branches, the schema of its other members, and
// whether it takes any other member: additionalProperties true, or an object schema without
// properties (an open object, such as AdsEnrollEnvelope), as a code generator makes it a map.
func properties(s *openapi3.SchemaRef) (props map[string]*openapi3.SchemaRef, extra *openapi3.SchemaRef, open bool) {
	props = map[string]*openapi3.SchemaRef{}
	var walk func(s *openapi3.SchemaRef)
	walk = func(s *openapi3.SchemaRef) {
		if s == nil || s.Value == nil {
			return
		}
		for k, p := range s.Value.Properties {
			if _, ok := props[k]; !ok {
				props[k] = p
			}
		}
		if ap := s.Value.AdditionalProperties; ap.Schema != nil {
			extra = ap.Schema
		} else if ap.Has != nil && *ap.Has {
			open = true
		}
		for _, b := range slices.Concat(s.Value.AllOf, s.Value.OneOf, s.Value.AnyOf) {
			walk(b)
		}
	}
	walk(s)
	if len(props) == 0 && extra == nil {
		open = true
	}
	return props, extra, open
}

// strictJSON fails t when data has a member that schema does not describe.
func strictJSON(t *testing.T, schema *openapi3.SchemaRef, data []byte) {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if paths := undescribed(schema, v, "$"); len(paths) > 0 {
		t.Errorf("members the schema does not describe: %v", paths)
	}
}

// TestResponseFixturesAreDescribed checks every response fixture against its operation's success
// schema: each member is a property of the schema (at any depth), and an envelope schema, which
// requires data, is what the fixture has.
func TestResponseFixturesAreDescribed(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "responses", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	d := doc(t)
	ops := map[string]*openapi3.Operation{}
	for _, op := range operations(d) {
		ops[op.id] = d.Paths.Value(op.path).GetOperation(op.method)
	}
	for _, file := range files {
		id := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			op := ops[id]
			if op == nil {
				t.Fatalf("a fixture for %s, which is not an operation of the spec", id)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			_, resp := successResponse(t, op)
			schema := resp.Content.Get("application/json").Schema
			// An envelope, whose schema requires data, describes its data.
			props, _, _ := properties(schema)
			_, has := props["data"]
			if envelope := slices.Contains(schema.Value.Required, "data"); has != envelope {
				t.Errorf("the schema has a data property: %t; it requires data: %t", has, envelope)
			}
			strictJSON(t, schema, data)
		})
	}
}

// TestRevokeFixture: revokeToken answers plain text, as its fixture and the spec say.
func TestRevokeFixture(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "responses", "revokeToken.txt"))
	if err != nil {
		t.Fatal(err)
	}
	op := doc(t).Paths.Value("/oauth/revoke").Post
	code, resp := successResponse(t, op)
	if string(data) != "OK" || code != "200" || resp.Content.Get("text/plain") == nil {
		t.Errorf("revoke: %s %q, content %v", code, data, resp.Content)
	}
}

// TestWebhookExamplesAreDescribed checks each webhook example against its event's payload schema:
// every member is a property of the schema, at any depth.
func TestWebhookExamplesAreDescribed(t *testing.T) {
	t.Parallel()
	d := doc(t)
	schemas := webhookSchemas(t, d)
	var headers map[string]struct{ Type, Version string }
	readJSON(t, filepath.Join("..", "testdata", "webhooks", "headers.json"), &headers)
	for file, h := range headers {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			key := h.Type
			if key == "" {
				key = "drops.claim"
			}
			name, ok := schemas[key]
			if !ok {
				t.Fatalf("no payload schema for %q", h.Type)
			}
			data, err := os.ReadFile(filepath.Join("..", "testdata", "webhooks", filepath.FromSlash(file)))
			if err != nil {
				t.Fatal(err)
			}
			strictJSON(t, d.Components.Schemas[name], data)
		})
	}
}

// TestGenHasEveryOperation checks that package gen is the spec's: an operation per operation of
// the spec, with its method and path, and no other (`make generate` refreshes it).
func TestGenHasEveryOperation(t *testing.T) {
	t.Parallel()
	want := map[string]string{}
	for _, op := range operations(doc(t)) {
		want[op.id] = op.method + " " + op.path
	}
	got := map[string]string{}
	for _, op := range gen.Operations {
		got[op.ID] = op.Method + " " + op.Path
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations (-spec +gen.Operations):\n%s", diff)
	}
}
