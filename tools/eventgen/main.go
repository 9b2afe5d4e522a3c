// Command eventgen writes, from openapi/kick.yaml, everything of the SDK that is keyed by webhook
// event type, so that the spec is its only list:
//
//   - kick/webhook/fields_gen.go, the acceptance table: for each webhook payload schema (those
//     tagged x-kick-event with x-kick-event-version, and x-kick-webhook), what identifies a
//     payload of it, at every depth, as the x-kick-identifying extension of the schemas declares
//     it (see tools/internal/shapes). Package webhook checks a payload against it before it trusts
//     the payload's unsigned Kick-Event-Type and Kick-Event-Version headers, and refuses nothing
//     else. Every payload schema must declare what identifies it: without identifying keys, a
//     payload relabelled as its type would be taken for it.
//
//   - kick/webhook/events_gen.go, the registry: for each webhook (a callback of the spec, named
//     by its event type, whose body is a payload schema <Name>Event), the methods that make the
//     model <Name> an Event (EventType, EventVersion), its decoder, and Handler.On<Name> with the
//     callback's docs link. The model itself, the one Go type of the schema, is written by hand
//     in events.go.
//
//   - kick/kicktypes/events_gen.go and kick/events_gen.go: the constant Event<Type> of every event
//     type that can be subscribed to (the spec's EventName, in its order: Kick's docs'), and
//     AllEventTypes.
//
//     go run ./tools/eventgen -root .
//
// It runs from a //go:generate line of the module root; `make check-generate` fails when a
// committed file differs from what the spec gives.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kick-sdk/kick-go/openapi"
	"github.com/kick-sdk/kick-go/tools/internal/shapes"
)

func main() {
	root := flag.String("root", ".", "the module's root directory")
	flag.Parse()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		fail(err)
	}
	fields, err := generate(doc)
	if err != nil {
		fail(err)
	}
	reg, err := generateRegistry(doc)
	if err != nil {
		fail(err)
	}
	for path, src := range map[string][]byte{
		"kick/webhook/fields_gen.go":   fields,
		"kick/webhook/events_gen.go":   reg.webhook,
		"kick/kicktypes/events_gen.go": reg.kicktypes,
		"kick/events_gen.go":           reg.kick,
	} {
		path = filepath.Join(*root, filepath.FromSlash(path))
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, src) { //nolint:gosec // a file of the repository, named by the directive
			continue
		}
		if err := os.WriteFile(path, src, 0o644); err != nil { //nolint:gosec // a source file, world-readable like the rest
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "eventgen:", err)
	os.Exit(1)
}

// payload is one webhook payload schema: its event type and version, and its shape.
type payload struct {
	typ     string
	version int // 0 for x-kick-webhook, which has no version
	shape   *shapes.Shape
}

// generate returns the Go source of the table for doc's payload schemas.
func generate(doc *openapi3.T) ([]byte, error) {
	if doc.Components == nil {
		return nil, errors.New("the spec has no components")
	}
	w := shapes.NewWalker()
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
		if p.shape, err = w.Named(doc, name); err != nil {
			return nil, err
		}
		if p.shape == nil || len(p.shape.Keys) == 0 {
			return nil, fmt.Errorf("schema %s: a webhook payload without %s", name, shapes.Extension)
		}
		payloads = append(payloads, p)
	}
	if len(payloads) == 0 {
		return nil, errors.New("no schema tagged x-kick-event or x-kick-webhook")
	}
	return render(payloads, w)
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

// render writes the Go file: the payload table, then the shapes by name.
func render(payloads []payload, w *shapes.Walker) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by tools/eventgen from openapi/kick.yaml; DO NOT EDIT.\n\n")
	b.WriteString("package webhook\n\n")
	b.WriteString("import \"github.com/kick-sdk/kick-go/kick/internal/identify\"\n\n")
	b.WriteString("// payloadShapes holds what identifies a payload of each webhook payload schema of\n")
	b.WriteString("// openapi/kick.yaml (x-kick-identifying), by event type and version (x-kick-event and\n")
	b.WriteString("// x-kick-event-version, or x-kick-webhook).\n")
	b.WriteString("var payloadShapes = map[eventKey]*identify.Shape{\n")
	for _, p := range payloads {
		fmt.Fprintf(&b, "\t{%q, %d}: %s,\n", p.typ, p.version, shapes.VarName(p.shape.Name))
	}
	b.WriteString("}\n\n")
	w.Render(&b, "identify.")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting the output: %w", err)
	}
	return src, nil
}
