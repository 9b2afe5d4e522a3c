package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kick-sdk/kick-go/openapi"
)

// The committed table is what the spec gives (make check-generate checks the same in CI).
func TestCommittedTableIsCurrent(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, err := generate(doc)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "kick", "webhook", "fields_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("kick/webhook/fields_gen.go is stale: run make generate")
	}
}

func load(t *testing.T, spec string) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

const head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"

// Nested objects, arrays of objects and inline schemas all reach the table, with their
// identifying keys (x-kick-identifying); `required` plays no part; scalars and schemas that
// identify nothing do not reach it.
func TestGenerateNested(t *testing.T) {
	t.Parallel()
	doc := load(t, head+`
    Ev:
      type: object
      x-kick-event: a.b
      x-kick-event-version: '2'
      x-kick-identifying: [user, items]
      required: [user, items, n]
      properties:
        user: {$ref: '#/components/schemas/User'}
        items:
          type: array
          items:
            type: object
            x-kick-identifying: [id]
            properties: {id: {type: string}}
        loose: {type: object, required: [x], properties: {x: {type: string}}}
        n: {type: integer}
    User:
      type: object
      x-kick-identifying: [user_id]
      required: [name]
      properties: {user_id: {type: integer}, name: {type: string}}
    Claim:
      type: object
      x-kick-webhook: drops.claim
      x-kick-identifying: [claim_id]
      properties: {claim_id: {type: string}}
`)
	src, err := generate(doc)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(src)), " ") // gofmt's alignment aside
	for _, want := range []string{
		`{"a.b", 2}: shapeEv,`,
		`{"drops.claim", 0}: shapeClaim,`,
		`Keys: []string{"user", "items"},`,
		`"items": shapeEv_items,`,
		`"user": shapeUser,`,
		`shapeEv_items = &identify.Shape{ Name: "Ev_items", Keys: []string{"id"}, }`,
		`shapeUser = &identify.Shape{ Name: "User", Keys: []string{"user_id"}, }`,
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("output lacks %q:\n%s", want, src)
		}
	}
	if strings.Contains(string(src), "loose") || strings.Contains(string(src), `"name"`) {
		t.Errorf("required keys reached the table:\n%s", src)
	}
}

// What the table cannot express is an error, not a quietly weaker check.
func TestGenerateRefuses(t *testing.T) {
	t.Parallel()
	for name, schemas := range map[string]string{
		"allOf": `
    Ev:
      x-kick-event: a
      x-kick-event-version: '1'
      allOf: [{type: object, x-kick-identifying: [x], properties: {x: {type: string}}}]`,
		"an identifying key without a property": `
    Ev:
      type: object
      x-kick-event: a
      x-kick-event-version: '1'
      x-kick-identifying: [x]
      properties: {y: {type: string}}`,
		"an identifying key twice": `
    Ev:
      type: object
      x-kick-event: a
      x-kick-event-version: '1'
      x-kick-identifying: [x, x]
      properties: {x: {type: string}}`,
		"identifying keys that are not a list": `
    Ev:
      type: object
      x-kick-event: a
      x-kick-event-version: '1'
      x-kick-identifying: x
      properties: {x: {type: string}}`,
		"no version": `
    Ev:
      type: object
      x-kick-event: a
      x-kick-identifying: [x]
      properties: {x: {type: string}}`,
		"a cycle": `
    Ev:
      type: object
      x-kick-event: a
      x-kick-event-version: '1'
      x-kick-identifying: [next]
      properties: {next: {$ref: '#/components/schemas/Ev'}}`,
		"nothing identifying": `
    Ev:
      type: object
      x-kick-event: a
      x-kick-event-version: '1'
      required: [x]
      properties: {x: {type: string}}`,
		"identifying keys of a scalar": `
    Ev:
      type: object
      x-kick-event: a
      x-kick-event-version: '1'
      x-kick-identifying: [x]
      properties: {x: {$ref: '#/components/schemas/S'}}
    S: {type: string, x-kick-identifying: [y]}`,
		"no payload at all": `
    Other: {type: string}`,
	} {
		if _, err := generate(load(t, head+schemas)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
