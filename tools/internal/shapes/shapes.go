// Package shapes reads what identifies the objects of openapi/kick.yaml's schemas, the
// x-kick-identifying extension, into the shapes that package kick/internal/identify checks a
// body against, and writes them as Go: tools/eventgen for the webhook payloads,
// tools/kickgen for the API's answers. One reading of the extension serves both, so that a
// delivery and an answer are held to one rule.
//
// x-kick-identifying is a list of property names of an object schema. A schema without it
// identifies by nothing of its own, but its properties are still walked: an object nested in it
// may have identifying keys. A construct the shapes cannot express (allOf but for one reference,
// oneOf or anyOf of objects, not, a schema for additionalProperties, a cycle) is an error, so
// that a change of the spec cannot quietly weaken the check.
package shapes

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Extension names the schema extension that lists a schema's identifying keys.
const Extension = "x-kick-identifying"

// A Shape is what identifies the objects of one schema: its identifying keys in the spec's order,
// and the shapes of its properties that are objects or arrays of objects identified by something.
type Shape struct {
	Name  string
	Keys  []string
	Props map[string]*Shape
}

// Walker walks schemas into shapes, each named schema once.
type Walker struct {
	shapes map[string]*Shape // by name; nil for a schema that identifies by nothing, at any depth
	active map[string]bool   // schemas being walked, to refuse cycles
}

// NewWalker returns a Walker with no shapes yet.
func NewWalker() *Walker {
	return &Walker{shapes: map[string]*Shape{}, active: map[string]bool{}}
}

// Named returns the shape of the component schema name (nil when nothing identifies its objects),
// registering it and every shape it reaches.
func (w *Walker) Named(doc *openapi3.T, name string) (*Shape, error) {
	ref := doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("no schema %s", name)
	}
	return w.walk(name, ref)
}

// Ref returns the shape of the schema a reference such as "#/components/schemas/User" names.
func (w *Walker) Ref(doc *openapi3.T, ref string) (*Shape, error) {
	name, ok := strings.CutPrefix(ref, "#/components/schemas/")
	if !ok {
		return nil, fmt.Errorf("%s is not a reference to a component schema", ref)
	}
	return w.Named(doc, name)
}

func (w *Walker) walk(name string, ref *openapi3.SchemaRef) (*Shape, error) {
	if sh, done := w.shapes[name]; done {
		return sh, nil
	}
	if w.active[name] {
		return nil, fmt.Errorf("schema %s refers to itself: a shape cannot express a cycle", name)
	}
	w.active[name] = true
	defer delete(w.active, name)

	s := ref.Value
	if err := supported(name, s); err != nil {
		return nil, err
	}
	keys, err := identifying(name, s)
	if err != nil {
		return nil, err
	}
	if s.Type.Is("array") {
		return nil, fmt.Errorf("schema %s: a named array schema is not supported; extend tools/internal/shapes", name)
	}
	if !s.Type.Is("object") && len(s.Properties) == 0 {
		if len(keys) > 0 {
			return nil, fmt.Errorf("schema %s: %s on a schema that is not an object", name, Extension)
		}
		return nil, nil // a scalar: nothing identifies it
	}
	sh := &Shape{Name: name, Keys: keys, Props: map[string]*Shape{}}
	for _, key := range sortedKeys(s.Properties) {
		child, err := w.child(name, key, s.Properties[key])
		if err != nil {
			return nil, err
		}
		if child != nil {
			sh.Props[key] = child
		}
	}
	if len(sh.Keys) == 0 && len(sh.Props) == 0 {
		sh = nil
	}
	w.shapes[name] = sh
	return sh, nil
}

// identifying reads and checks the x-kick-identifying of schema name.
func identifying(name string, s *openapi3.Schema) ([]string, error) {
	raw, ok := s.Extensions[Extension]
	if !ok {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		return nil, fmt.Errorf("schema %s: %s must be a non-empty list of property names", name, Extension)
	}
	if len(list) > 64 {
		return nil, fmt.Errorf("schema %s: %d identifying keys; the check handles at most 64", name, len(list))
	}
	var keys []string
	for _, v := range list {
		key, ok := v.(string)
		switch {
		case !ok:
			return nil, fmt.Errorf("schema %s: %s lists %v, not a property name", name, Extension, v)
		case s.Properties[key] == nil:
			return nil, fmt.Errorf("schema %s: %s lists %q, which is not among its properties", name, Extension, key)
		case slices.Contains(keys, key):
			return nil, fmt.Errorf("schema %s: %s lists %q twice", name, Extension, key)
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// child walks the schema of property key of schema parent: a named schema by its name, an inline
// one under parent_key.
func (w *Walker) child(parent, key string, ref *openapi3.SchemaRef) (*Shape, error) {
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("schema %s: property %q has no schema", parent, key)
	}
	if v := ref.Value; ref.Ref == "" && len(v.AllOf) == 1 && v.AllOf[0].Ref != "" && len(v.Properties) == 0 &&
		v.Type == nil && len(v.OneOf)+len(v.AnyOf) == 0 && v.Not == nil {
		// allOf with one reference: OpenAPI 3.0's way to describe a property that is a named
		// schema, with a description or nullable of its own.
		return w.child(parent, key, v.AllOf[0])
	}
	if ref.Ref == "" && ref.Value.Type.Is("array") {
		// An array's shape is its items' shape: each object in it is checked.
		if err := supported(parent+"."+key, ref.Value); err != nil {
			return nil, err
		}
		return w.child(parent, key, ref.Value.Items)
	}
	if ref.Ref != "" {
		name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/")
		if !ok {
			return nil, fmt.Errorf("schema %s: property %q refers to %s, outside components/schemas", parent, key, ref.Ref)
		}
		return w.walk(name, ref)
	}
	return w.walk(parent+"_"+key, ref)
}

// supported refuses what a shape cannot express.
func supported(name string, s *openapi3.Schema) error {
	switch {
	case scalarChoice(s):
		return nil // an open enum (anyOf [enum, string]) or a string-or-number: nothing identifies it
	case len(s.AllOf) > 0, len(s.OneOf) > 0, len(s.AnyOf) > 0, s.Not != nil:
		return fmt.Errorf("schema %s: allOf, oneOf, anyOf and not are not supported; extend tools/internal/shapes", name)
	case s.AdditionalProperties.Schema != nil:
		return fmt.Errorf("schema %s: a schema for additionalProperties is not supported; extend tools/internal/shapes", name)
	case s.Type != nil && len(*s.Type) > 1:
		return fmt.Errorf("schema %s: several types %v are not supported", name, *s.Type)
	}
	return nil
}

// scalarChoice reports whether s is a oneOf or anyOf whose every branch is a scalar schema (no
// object, array, properties or further composition): such a value has no keys.
func scalarChoice(s *openapi3.Schema) bool {
	branches := slices.Concat(s.OneOf, s.AnyOf)
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

// Render writes, as a Go var block, every shape the walker registered, each a *identify.Shape
// named by VarName; qualifier is how the file refers to package identify, such as "identify.".
func (w *Walker) Render(b *bytes.Buffer, qualifier string) {
	names := make([]string, 0, len(w.shapes))
	for name, sh := range w.shapes {
		if sh != nil {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return
	}
	b.WriteString("var (\n")
	for i, name := range names {
		sh := w.shapes[name]
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(b, "\t// %s is what identifies the objects of the schema %s.\n", VarName(name), name)
		fmt.Fprintf(b, "\t%s = &%sShape{\n\t\tName: %q,\n", VarName(name), qualifier, name)
		if len(sh.Keys) > 0 {
			fmt.Fprintf(b, "\t\tKeys: %#v,\n", sh.Keys)
		}
		if len(sh.Props) > 0 {
			fmt.Fprintf(b, "\t\tProps: map[string]*%sShape{\n", qualifier)
			for _, k := range sortedKeys(sh.Props) {
				fmt.Fprintf(b, "\t\t\t%q: %s,\n", k, VarName(sh.Props[k].Name))
			}
			b.WriteString("\t\t},\n")
		}
		b.WriteString("\t}\n")
	}
	b.WriteString(")\n")
}

// VarName is the Go variable of a shape: shape + the schema name, with the characters an
// identifier cannot hold replaced.
func VarName(schema string) string {
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

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
