// Package modeljson is test support for the packages whose models marshal as Kick's JSON (kick,
// kick/kicktypes, kick/webhook): it finds a package's exported types in its source, fills a model
// with a value in every field, and compares a model's JSON with the properties of its schema in
// openapi/kick.yaml. It is internal: no stability promise, used by tests only.
package modeljson

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
)

// Types are the exported type declarations of a package, read from its non-test source files.
type Types struct {
	// Structs are the exported struct types, generic ones included.
	Structs []string
	// Aliases are the exported type aliases (type A = B), whatever they stand for.
	Aliases []string
	// All are every exported type, structs and aliases included.
	All []string
	// Errors are the exported types with an Error() string method: error types, not models.
	Errors []string
}

// ExportedTypes parses the non-test .go files of dir and returns its exported types, sorted.
func ExportedTypes(dir string) (Types, error) {
	var out Types
	entries, err := os.ReadDir(dir)
	if err != nil {
		return out, err
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return out, err
		}
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok {
				if recv := errorReceiver(fd); recv != "" {
					out.Errors = append(out.Errors, recv)
				}
				continue
			}
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				if !ts.Name.IsExported() {
					continue
				}
				out.All = append(out.All, ts.Name.Name)
				switch {
				case ts.Assign.IsValid():
					out.Aliases = append(out.Aliases, ts.Name.Name)
				case isStruct(ts.Type):
					out.Structs = append(out.Structs, ts.Name.Name)
				}
			}
		}
	}
	sort.Strings(out.Structs)
	sort.Strings(out.Aliases)
	sort.Strings(out.All)
	sort.Strings(out.Errors)
	return out, nil
}

// errorReceiver returns the receiver type's name of an exported method Error() string, or "".
func errorReceiver(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) != 1 || fd.Name.Name != "Error" ||
		fd.Type.Params.NumFields() != 0 || fd.Type.Results.NumFields() != 1 {
		return ""
	}
	if res, ok := fd.Type.Results.List[0].Type.(*ast.Ident); !ok || res.Name != "string" {
		return ""
	}
	t := fd.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	if id, ok := t.(*ast.Ident); ok && id.IsExported() {
		return id.Name
	}
	return ""
}

func isStruct(e ast.Expr) bool {
	_, ok := e.(*ast.StructType)
	return ok
}

// Sample is the time Fill puts in every time.Time: whole seconds, UTC, as every Kick timestamp
// round-trips.
var Sample = time.Date(2025, 1, 14, 16, 8, 6, 0, time.UTC)

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
)

// Fill returns a value of type t with every exported field set to a non-zero value, recursively:
// strings "x", numbers 7, booleans true, times Sample, durations 5 minutes (whole seconds and
// whole minutes, the units Kick counts in), pointers to filled values, slices and maps of one
// filled element. An interface field is left nil unless iface gives a value for its type.
func Fill(t reflect.Type, iface func(reflect.Type) (reflect.Value, bool)) reflect.Value {
	v := reflect.New(t).Elem()
	fill(v, iface, 0)
	return v
}

func fill(v reflect.Value, iface func(reflect.Type) (reflect.Value, bool), depth int) {
	if depth > 8 {
		return
	}
	t := v.Type()
	switch t {
	case timeType:
		v.Set(reflect.ValueOf(Sample))
		return
	case durationType:
		v.SetInt(int64(5 * time.Minute))
		return
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(7)
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		fill(p.Elem(), iface, depth+1)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(t, 1, 1)
		fill(s.Index(0), iface, depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(t)
		k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
		fill(k, iface, depth+1)
		fill(e, iface, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				fill(v.Field(i), iface, depth+1)
			}
		}
	case reflect.Interface:
		if iface != nil {
			if x, ok := iface(t); ok {
				v.Set(x)
			}
		}
	}
}

// Properties returns the property names of a schema, with those of its allOf, oneOf and anyOf
// schemas: the names an object of the schema may carry.
func Properties(s *openapi3.Schema) map[string]*openapi3.SchemaRef {
	out := map[string]*openapi3.SchemaRef{}
	for name, p := range s.Properties {
		out[name] = p
	}
	for _, group := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
		for _, ref := range group {
			for name, p := range Properties(ref.Value) {
				out[name] = p
			}
		}
	}
	return out
}

// CompareKeys compares the keys of the JSON object b with the properties of schema, and the
// keys of every nested object with the properties of its property's schema (the first element
// of an array). A deprecated property may be absent: models read such aliases and write their
// successors. absent lists properties the JSON may lack (the model does not carry them, for
// the reason its caller documents), as "key" at the top level or "key.sub" below. It returns
// one line per difference, naming the path.
func CompareKeys(schema *openapi3.Schema, b []byte, absent ...string) ([]string, error) {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	var diffs []string
	compare(schema, v, "", absent, &diffs)
	sort.Strings(diffs)
	return diffs, nil
}

func compare(schema *openapi3.Schema, v any, path string, absent []string, diffs *[]string) {
	switch x := v.(type) {
	case map[string]any:
		props := Properties(schema)
		if len(props) == 0 {
			return // a free-form object
		}
		for k, val := range x {
			p, ok := props[k]
			if !ok {
				*diffs = append(*diffs, fmt.Sprintf("%s: key %q is not a property of the schema", orTop(path), k))
				continue
			}
			compare(p.Value, val, join(path, k), absent, diffs)
		}
		for k, p := range props {
			if p.Value.Deprecated {
				continue // a deprecated alias is read, never written
			}
			if _, ok := x[k]; !ok && !slices.Contains(absent, join(path, k)) {
				*diffs = append(*diffs, fmt.Sprintf("%s: property %q is missing from the JSON", orTop(path), k))
			}
		}
	case []any:
		if len(x) > 0 && schema.Items != nil {
			compare(schema.Items.Value, x[0], path+"[]", absent, diffs)
		}
	}
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func orTop(path string) string {
	if path == "" {
		return "(top)"
	}
	return path
}

// QueryParameters returns the names of the query parameters of an operation.
func QueryParameters(doc *openapi3.T, operationID string) ([]string, bool) {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID != operationID {
				continue
			}
			var names []string
			for _, p := range append(item.Parameters, op.Parameters...) {
				if p.Value.In == openapi3.ParameterInQuery {
					names = append(names, p.Value.Name)
				}
			}
			sort.Strings(names)
			return names, true
		}
	}
	return nil, false
}

// ObjectKeys returns the top-level keys of the JSON object b, sorted.
func ObjectKeys(b []byte) ([]string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// Model says what JSON a model marshals as: exactly one of Schema (a schema of the spec), Query
// (the operation whose query parameters it carries) or None (why it has no schema).
type Model struct {
	// Sample is a value of the model's type; its value does not matter.
	Sample any
	Schema string
	Query  string
	None   string
	// Absent are properties of Schema the model does not carry, each with its reason.
	Absent map[string]string
}

// CheckPackage holds the package in dir to its models: every exported struct and alias of the
// package is a model, a name in notModels (with the reason) or an error type; every model's
// JSON, with every field filled (by fill), has exactly its schema's properties at every depth, or
// its operation's query parameters; a model with no schema fails once the spec has a schema of
// its name.
func CheckPackage(t *testing.T, doc *openapi3.T, dir string, models map[string]Model, notModels map[string]string, fill func(any) any) {
	t.Helper()
	types, err := ExportedTypes(dir)
	if err != nil {
		t.Fatal(err)
	}
	mapped := make([]string, 0, len(models))
	for name := range models {
		mapped = append(mapped, name)
	}
	unknown, stale := Unclassified(types, func(name string) bool {
		_, model := models[name]
		_, not := notModels[name]
		return model || not
	}, mapped)
	for _, name := range unknown {
		t.Errorf("exported type %s is neither a model nor listed as none: map it to its schema", name)
	}
	for _, name := range stale {
		t.Errorf("the models map %s, which the package does not declare", name)
	}
	for name, m := range models {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(fill(m.Sample))
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case m.Schema != "":
				absent := make([]string, 0, len(m.Absent))
				for k := range m.Absent {
					absent = append(absent, k)
				}
				CheckSchema(t, doc, m.Schema, b, absent...)
			case m.Query != "":
				want, ok := QueryParameters(doc, m.Query)
				if !ok {
					t.Fatalf("no operation %s in the spec", m.Query)
				}
				got, err := ObjectKeys(b)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("keys differ from %s's query parameters (-spec +json):\n%s", m.Query, diff)
				}
			case m.None != "":
				if doc.Components.Schemas[name] != nil {
					t.Errorf("the spec now has a schema %s: map %s to it", name, name)
				}
			default:
				t.Fatal("the entry names no schema, no query and no reason")
			}
		})
	}
}

// RoundTripModels checks that every model, filled (by fill) and zero, unmarshals from its JSON
// into the value it was marshaled from, as cmp with opts compares them.
func RoundTripModels(t *testing.T, models map[string]Model, fill func(any) any, opts ...cmp.Option) {
	t.Helper()
	for name, m := range models {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			RoundTrip(t, fill(m.Sample), opts...)
			RoundTrip(t, reflect.Zero(reflect.TypeOf(m.Sample)).Interface(), opts...)
		})
	}
}

// RoundTrip marshals v, unmarshals the JSON into a new value of v's type and reports, on t, any
// difference cmp finds with opts.
func RoundTrip(t testing.TB, v any, opts ...cmp.Option) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	back := reflect.New(reflect.TypeOf(v))
	if err := json.Unmarshal(b, back.Interface()); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if diff := cmp.Diff(v, back.Elem().Interface(), opts...); diff != "" {
		t.Errorf("%s does not round-trip (-marshaled +unmarshaled):\n%s", b, diff)
	}
}

// CheckSchema reports on t every difference CompareKeys finds between the JSON b and the schema
// named schema of doc.
func CheckSchema(t testing.TB, doc *openapi3.T, schema string, b []byte, absent ...string) {
	t.Helper()
	ref := doc.Components.Schemas[schema]
	if ref == nil {
		t.Fatalf("no schema %s in the spec", schema)
	}
	diffs, err := CompareKeys(ref.Value, b, absent...)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("%s: %s\n%s", schema, d, b)
	}
}

// Unclassified returns the exported structs and aliases of types that are neither error types
// nor known, and the known names types does not declare.
func Unclassified(types Types, known func(name string) bool, mapped []string) (unknown, stale []string) {
	for _, name := range append(slices.Clone(types.Structs), types.Aliases...) {
		if !known(name) && !slices.Contains(types.Errors, name) {
			unknown = append(unknown, name)
		}
	}
	for _, name := range mapped {
		if !slices.Contains(types.Structs, name) && !slices.Contains(types.Aliases, name) {
			stale = append(stale, name)
		}
	}
	sort.Strings(unknown)
	sort.Strings(stale)
	return unknown, stale
}

var (
	schemaLine    = regexp.MustCompile(`Kick's schema: (\w+)`)
	operationLine = regexp.MustCompile(`Operation (\w+)[ .]`)
)

// Mapped returns known and the models the source of the package in dir maps itself: a type
// reachable from roots (through their fields, the methods of pointers to the package's types and
// their signatures) whose documentation says "Kick's schema: X", or that "marshals with the query
// parameters' names" and is taken by a method documented with "Operation X". Where known and the
// source both map a type, they must agree (an error on t otherwise), so that a new model of a new
// operation or event is checked without being listed by hand.
func Mapped(t *testing.T, dir string, known map[string]Model, roots ...reflect.Type) map[string]Model {
	t.Helper()
	schemas, queries := sourceModels(t, dir)
	out := make(map[string]Model, len(known))
	for k, v := range known {
		out[k] = v
	}
	for name, typ := range reachable(roots...) {
		var m Model
		switch {
		case schemas[name] != "":
			m = Model{Sample: reflect.Zero(typ).Interface(), Schema: schemas[name]}
		case queries[name] != "":
			m = Model{Sample: reflect.Zero(typ).Interface(), Query: queries[name]}
		default:
			continue
		}
		if k, ok := out[name]; ok {
			if k.Schema != m.Schema || k.Query != m.Query {
				t.Errorf("%s: the table maps it to %q%q, its source to %q%q", name, k.Schema, k.Query, m.Schema, m.Query)
			}
			continue
		}
		out[name] = m
	}
	return out
}

// sourceModels reads the source of dir: the schema each type's documentation names, and for each
// type that marshals with the query parameters' names, the operation of the methods that take it.
func sourceModels(t *testing.T, dir string) (schemas, queries map[string]string) {
	t.Helper()
	schemas, queries = map[string]string{}, map[string]string{}
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	queryTypes := map[string]bool{}
	var funcs []*ast.FuncDecl
	for _, name := range names {
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
					text := strings.Join(strings.Fields(d.Doc.Text()+ts.Doc.Text()), " ")
					if m := schemaLine.FindStringSubmatch(text); m != nil {
						schemas[ts.Name.Name] = m[1]
					}
					if strings.Contains(text, "marshals with the query parameters' names") {
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

// reachable returns the named struct types of the roots' package that the roots lead to, by
// name: through the fields of structs, the methods of pointers to the package's types and the
// parameters and results of functions.
func reachable(roots ...reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	seen := map[reflect.Type]bool{}
	var pkg string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		if t.Kind() == reflect.Pointer && t.Elem().PkgPath() == pkg {
			for m := range t.Methods() {
				walk(m.Type)
			}
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map, reflect.Chan:
			walk(t.Elem())
		case reflect.Func:
			for i := range t.NumIn() {
				walk(t.In(i))
			}
			for i := range t.NumOut() {
				walk(t.Out(i))
			}
		case reflect.Struct:
			if t.PkgPath() != pkg {
				return
			}
			if t.Name() != "" && !strings.Contains(t.Name(), "[") {
				out[t.Name()] = t
			}
			for f := range t.Fields() {
				if f.IsExported() {
					walk(f.Type)
				}
			}
		}
	}
	for _, r := range roots {
		base := r
		for base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		pkg = base.PkgPath()
		walk(r)
	}
	return out
}
