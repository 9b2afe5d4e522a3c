// Command webhookfields writes the table of required fields that package webhook checks a
// payload against before it trusts the payload's unsigned Kick-Event-Type and Kick-Event-Version
// headers. The table comes from the webhook payload schemas of openapi/kick.yaml (those tagged
// x-kick-event with x-kick-event-version, and x-kick-webhook): for each, the keys its objects
// must have, nested objects and arrays of objects included.
//
//	go run ./tools/webhookfields -o kick/webhook/fields_gen.go
//
// It runs from a //go:generate line in kick/webhook; `make check-generate` fails when the
// committed file differs from what the spec gives. A schema construct the table cannot express
// (allOf, oneOf, anyOf, not, a schema for additionalProperties) is an error, so that a change of
// the spec cannot quietly weaken the check.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kick-sdk/kick-go/openapi"
)

func main() {
	out := flag.String("o", "fields_gen.go", "the Go file to write")
	flag.Parse()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		fail(err)
	}
	src, err := generate(doc)
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil { //nolint:gosec // a source file, world-readable like the rest
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "webhookfields:", err)
	os.Exit(1)
}

// A shape is what one object schema requires: its required keys in the spec's order, and the
// shapes of its properties that are objects or arrays of objects and require something.
type shape struct {
	name     string
	required []string
	props    map[string]*shape
}

// payload is one webhook payload schema: its event type and version, and its shape.
type payload struct {
	typ     string
	version int // 0 for x-kick-webhook, which has no version
	shape   *shape
}

type generator struct {
	shapes map[string]*shape // by name; nil for a schema that requires nothing
	active map[string]bool   // schemas being walked, to refuse cycles
}

// generate returns the Go source of the table for doc's payload schemas.
func generate(doc *openapi3.T) ([]byte, error) {
	if doc.Components == nil {
		return nil, errors.New("the spec has no components")
	}
	g := &generator{shapes: map[string]*shape{}, active: map[string]bool{}}
	var payloads []payload
	names := make([]string, 0, len(doc.Components.Schemas))
	for name := range doc.Components.Schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ref := doc.Components.Schemas[name]
		if ref.Value == nil {
			continue
		}
		p, ok, err := payloadOf(name, ref.Value)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if p.shape, err = g.walk(name, ref); err != nil {
			return nil, err
		}
		if p.shape == nil {
			return nil, fmt.Errorf("schema %s: a webhook payload that requires nothing", name)
		}
		payloads = append(payloads, p)
	}
	if len(payloads) == 0 {
		return nil, errors.New("no schema tagged x-kick-event or x-kick-webhook")
	}
	return render(payloads, g.shapes)
}

// payloadOf reads a schema's webhook tags.
func payloadOf(name string, s *openapi3.Schema) (payload, bool, error) {
	event, isEvent := s.Extensions["x-kick-event"]
	webhook, isWebhook := s.Extensions["x-kick-webhook"]
	switch {
	case isEvent && isWebhook:
		return payload{}, false, fmt.Errorf("schema %s: both x-kick-event and x-kick-webhook", name)
	case isEvent:
		typ, ok := event.(string)
		v, vok := s.Extensions["x-kick-event-version"].(string)
		version, err := strconv.Atoi(v)
		if !ok || typ == "" || !vok || err != nil || version < 1 || strconv.Itoa(version) != v {
			return payload{}, false, fmt.Errorf("schema %s: x-kick-event needs a string type and an x-kick-event-version that is a decimal number from 1", name)
		}
		return payload{typ: typ, version: version}, true, nil
	case isWebhook:
		typ, ok := webhook.(string)
		if !ok || typ == "" {
			return payload{}, false, fmt.Errorf("schema %s: x-kick-webhook is not a string", name)
		}
		return payload{typ: typ}, true, nil
	}
	return payload{}, false, nil
}

// walk returns the shape of the schema ref names (nil when it requires nothing), registering it
// and every shape it reaches.
func (g *generator) walk(name string, ref *openapi3.SchemaRef) (*shape, error) {
	if sh, done := g.shapes[name]; done {
		return sh, nil
	}
	if g.active[name] {
		return nil, fmt.Errorf("schema %s refers to itself: the table cannot express a cycle", name)
	}
	g.active[name] = true
	defer delete(g.active, name)

	s := ref.Value
	if err := supported(name, s); err != nil {
		return nil, err
	}
	if s.Type.Is("array") {
		return nil, fmt.Errorf("schema %s: a named array schema is not supported; extend tools/webhookfields", name)
	}
	if !s.Type.Is("object") && len(s.Properties) == 0 {
		return nil, nil // a scalar: nothing to require
	}
	sh := &shape{name: name, required: slices.Clone(s.Required), props: map[string]*shape{}}
	for _, key := range sh.required {
		if _, ok := s.Properties[key]; !ok {
			return nil, fmt.Errorf("schema %s requires %q, which is not among its properties", name, key)
		}
	}
	if len(sh.required) > 64 {
		return nil, fmt.Errorf("schema %s requires %d keys; the check handles at most 64", name, len(sh.required))
	}
	for key, prop := range s.Properties {
		child, err := g.child(name, key, prop)
		if err != nil {
			return nil, err
		}
		if child != nil {
			sh.props[key] = child
		}
	}
	if len(sh.required) == 0 && len(sh.props) == 0 {
		sh = nil
	}
	g.shapes[name] = sh
	return sh, nil
}

// child walks the schema of property key of schema parent: a named schema by its name, an inline
// one under parent_key.
func (g *generator) child(parent, key string, ref *openapi3.SchemaRef) (*shape, error) {
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("schema %s: property %q has no schema", parent, key)
	}
	if v := ref.Value; ref.Ref == "" && len(v.AllOf) == 1 && v.AllOf[0].Ref != "" && len(v.Properties) == 0 &&
		v.Type == nil && len(v.OneOf)+len(v.AnyOf) == 0 && v.Not == nil {
		// allOf with one reference: OpenAPI 3.0's way to describe a property that is a named schema.
		return g.child(parent, key, v.AllOf[0])
	}
	if ref.Ref == "" && ref.Value.Type.Is("array") {
		// An array's shape is its items' shape: each object in it is checked.
		if err := supported(parent+"."+key, ref.Value); err != nil {
			return nil, err
		}
		return g.child(parent, key, ref.Value.Items)
	}
	if ref.Ref != "" {
		name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/")
		if !ok {
			return nil, fmt.Errorf("schema %s: property %q refers to %s, outside components/schemas", parent, key, ref.Ref)
		}
		return g.walk(name, ref)
	}
	return g.walk(parent+"_"+key, ref)
}

// supported refuses what the table cannot express.
func supported(name string, s *openapi3.Schema) error {
	switch {
	case scalarChoice(s):
		return nil // an open enum (anyOf [enum, string]) or a string-or-number: nothing to require
	case len(s.AllOf) > 0, len(s.OneOf) > 0, len(s.AnyOf) > 0, s.Not != nil:
		return fmt.Errorf("schema %s: allOf, oneOf, anyOf and not are not supported; extend tools/webhookfields", name)
	case s.AdditionalProperties.Schema != nil:
		return fmt.Errorf("schema %s: a schema for additionalProperties is not supported; extend tools/webhookfields", name)
	case s.Type != nil && len(*s.Type) > 1:
		return fmt.Errorf("schema %s: several types %v are not supported", name, *s.Type)
	}
	return nil
}

// scalarChoice reports whether s is a oneOf or anyOf whose every branch is a scalar schema (no
// object, array, properties or further composition): such a value has no keys to require.
func scalarChoice(s *openapi3.Schema) bool {
	branches := append(slices.Clone(s.OneOf), s.AnyOf...)
	if len(branches) == 0 || len(s.AllOf) > 0 || s.Not != nil || len(s.Properties) > 0 {
		return false
	}
	for _, b := range branches {
		v := b.Value
		if v == nil || v.Type.Is("object") || v.Type.Is("array") || len(v.Properties) > 0 ||
			len(v.AllOf)+len(v.OneOf)+len(v.AnyOf) > 0 || v.Not != nil {
			return false
		}
	}
	return true
}

// render writes the Go file: the payload table, then the shapes by name.
func render(payloads []payload, shapes map[string]*shape) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by go run ./tools/webhookfields; DO NOT EDIT.\n\n")
	b.WriteString("package webhook\n\n")
	b.WriteString("// payloadShapes holds what each webhook payload schema of openapi/kick.yaml requires, by event\n")
	b.WriteString("// type and version (x-kick-event and x-kick-event-version, or x-kick-webhook).\n")
	b.WriteString("var payloadShapes = map[eventKey]*shape{\n")
	for _, p := range payloads {
		fmt.Fprintf(&b, "\t{%q, %d}: %s,\n", p.typ, p.version, varName(p.shape.name))
	}
	b.WriteString("}\n\n")

	names := make([]string, 0, len(shapes))
	for name, sh := range shapes {
		if sh != nil {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	b.WriteString("var (\n")
	for i, name := range names {
		sh := shapes[name]
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "\t// %s is what the schema %s requires.\n", varName(name), name)
		fmt.Fprintf(&b, "\t%s = &shape{\n\t\tname: %q,\n", varName(name), name)
		if len(sh.required) > 0 {
			fmt.Fprintf(&b, "\t\trequired: %#v,\n", sh.required)
		}
		if len(sh.props) > 0 {
			keys := make([]string, 0, len(sh.props))
			for k := range sh.props {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			b.WriteString("\t\tprops: map[string]*shape{\n")
			for _, k := range keys {
				fmt.Fprintf(&b, "\t\t\t%q: %s,\n", k, varName(sh.props[k].name))
			}
			b.WriteString("\t\t},\n")
		}
		b.WriteString("\t}\n")
	}
	b.WriteString(")\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting the output: %w", err)
	}
	return src, nil
}

// varName is the Go variable of a shape: shape + the schema name, with the characters an
// identifier cannot hold replaced.
func varName(schema string) string {
	var b strings.Builder
	b.WriteString("shape")
	for _, r := range schema {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
