// Command kickgen derives from openapi/kick.yaml what package kick knows of each operation, so
// that the spec stays its one source: an endpoint per operation (id, method, path, the token kinds
// it accepts in the order the client tries them, the scopes a user token needs for it, what
// identifies its success body, whether a POST may be sent again), and every limit of the request
// side (parameters and request bodies) as a constant the kick package checks before sending. `go generate` runs it (see generate.go at the module root) and
// `make check-generate` fails when its committed output is stale.
//
//	go run ./tools/kickgen -out kick/endpoints.gen.go
//
// Token kinds come from the operation's security: UserAccessToken is a user token,
// AppAccessToken an app token, no requirement no token. OpenAPI gives the order of security
// requirements no meaning, so the client tries a user token first, then an app token, unless the
// operation says otherwise with the extension
//
//	x-kick-token-preference: [AppAccessToken, UserAccessToken]
//
// which lists the operation's security schemes, each once, in the order to try them. It marks an
// order that is a belief rather than Kick's documentation (getUsersLivestreams is documented for
// app tokens; user tokens are believed to work too).
//
// Each request parameter's wire name is a constant param<Operation><Parameter> (paramGetUsersID
// is "id"), which the kick package builds its requests with. The request builder sends query
// parameters in the form style with explode (an array repeats the name: id=1&id=2) and path
// parameters in the simple style, OpenAPI's defaults: kickgen fails on a parameter in any other
// style, or in a header or cookie.
//
// The scopes are those of the operation's UserAccessToken requirement (app tokens carry no
// scopes); the client checks them against the scopes a user token was granted before it sends
// anything.
//
// What identifies the success body is the shape of its schema's x-kick-identifying extensions,
// at every depth (see tools/internal/shapes), written into the file as *identify.Shape values: the
// client refuses an answer that lacks it, with ErrUnexpectedResponse, and nothing else.
//
// An operation whose request carries an idempotency key says so with the extension
//
//	x-kick-idempotency-key: id
//
// naming the body property that makes a repeated request do nothing twice; its endpoint is
// idempotent, so the client retries it as it retries a GET. The kick package must then always send
// the key (it makes one when the caller gives none).
//
// Limits are named after where they are: limit<Operation><Parameter>[Items]<Keyword> for a
// parameter, limit<Schema><Property>[Items]<Keyword> for a property of a named request schema,
// such as limitGetChannelsSlugItemsMaxLength and limitChannelRewardCreateInputTitleMaxLength. Each
// constant's comment gives the JSON pointer of its keyword in the spec.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"iter"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kick-sdk/kick-go/openapi"
	"github.com/kick-sdk/kick-go/tools/internal/shapes"
)

// Security schemes of the spec and the kick package's names of their token kinds.
var tokenKinds = map[string]string{
	"UserAccessToken": "TokenKindUser",
	"AppAccessToken":  "TokenKindApp",
}

// defaultPreference is the order the client tries token kinds in when an operation accepts both
// and says nothing else: a user token acts for its user, which some operations need (getChannels
// without ids answers the token's own channel).
var defaultPreference = []string{"UserAccessToken", "AppAccessToken"}

// preferenceExtension names the operation extension that overrides defaultPreference.
const preferenceExtension = "x-kick-token-preference"

// idempotencyExtension names the operation extension that names its idempotency key.
const idempotencyExtension = "x-kick-idempotency-key"

func main() {
	out := flag.String("out", "kick/endpoints.gen.go", "the Go file to write")
	pkg := flag.String("package", "kick", "its package name")
	flag.Parse()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		fail(err)
	}
	src, err := generate(doc, *pkg)
	if err != nil {
		fail(err)
	}
	if old, err := os.ReadFile(*out); err == nil && bytes.Equal(old, src) {
		return
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil { //nolint:gosec // a source file, world-readable like the others
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "kickgen:", err)
	os.Exit(1)
}

// endpoint is what the generated code says of one operation.
type endpoint struct {
	ID, Method, Path string
	Kinds            []string   // the kick package's TokenKind constants, in the order to try them
	Scopes           [][]string // the scopes a user token needs: every scope of one of the lists
	Response         string     // the schema whose shape identifies the success body; "" for none
	Idempotent       bool       // a POST or PATCH that carries an idempotency key
	Deprecated       bool
}

// parameter is one request parameter of an operation.
type parameter struct {
	Name    string // the Go constant
	Wire    string // the name on the wire
	In      string // "query" or "path"
	Pointer string
}

// limit is one limit keyword of the request side.
type limit struct {
	Name    string
	Pointer string // JSON pointer of the keyword in the spec
	Value   string // Go literal
}

// generate renders the Go file of doc's endpoints and limits.
func generate(doc *openapi3.T, pkg string) ([]byte, error) {
	w := shapes.NewWalker()
	eps, err := endpoints(doc, w)
	if err != nil {
		return nil, err
	}
	lims, err := limits(doc)
	if err != nil {
		return nil, err
	}
	params, err := parameters(doc)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by tools/kickgen from openapi/kick.yaml; DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "package %s\n\n", pkg)
	b.WriteString("import \"github.com/kick-sdk/kick-go/kick/internal/identify\"\n\n")
	b.WriteString("// One endpoint per operation of the spec, named ep and the operation id. Services refer to these;\n")
	b.WriteString("// a call that needs fewer token kinds than the operation accepts narrows its endpoint (only).\n")
	b.WriteString("var (\n")
	for _, ep := range eps {
		fmt.Fprintf(&b, "\t// %s is %s %s", varName(ep.ID), ep.Method, ep.Path)
		if ep.Deprecated {
			b.WriteString(" (deprecated)")
		}
		b.WriteString(".\n")
		fmt.Fprintf(&b, "\t%s = endpoint{id: %q, method: %q, path: %q, auth: auth{%s}",
			varName(ep.ID), ep.ID, ep.Method, ep.Path, strings.Join(ep.Kinds, ", "))
		if len(ep.Scopes) > 0 {
			sets := make([]string, len(ep.Scopes))
			for i, set := range ep.Scopes {
				quoted := make([]string, len(set))
				for j, sc := range set {
					quoted[j] = strconv.Quote(sc)
				}
				sets[i] = "{" + strings.Join(quoted, ", ") + "}"
			}
			fmt.Fprintf(&b, ", scopes: [][]Scope{%s}", strings.Join(sets, ", "))
		}
		if ep.Response != "" {
			fmt.Fprintf(&b, ", response: %s", shapes.VarName(ep.Response))
		}
		if ep.Idempotent {
			b.WriteString(", idempotent: true")
		}
		b.WriteString("}\n")
	}
	b.WriteString(")\n\n")
	b.WriteString("// endpoints lists every endpoint above, in the order of the spec's paths and methods.\n")
	b.WriteString("var endpoints = []endpoint{\n")
	for _, ep := range eps {
		fmt.Fprintf(&b, "\t%s,\n", varName(ep.ID))
	}
	b.WriteString("}\n\n")
	b.WriteString("// The wire names of the spec's request parameters, each named after its operation and commented\n")
	b.WriteString("// with where it goes and the JSON pointer of its definition. Query parameters are sent in the form\n")
	b.WriteString("// style with explode (an array repeats the name), path parameters in the simple style.\n")
	b.WriteString("const (\n")
	for _, p := range params {
		fmt.Fprintf(&b, "\t%s = %q // %s: %s\n", p.Name, p.Wire, p.In, p.Pointer)
	}
	b.WriteString(")\n\n")
	b.WriteString("// The limits of the spec's request parameters and bodies, each named after where it is and\n")
	b.WriteString("// commented with the JSON pointer of its keyword.\n")
	b.WriteString("const (\n")
	for _, l := range lims {
		fmt.Fprintf(&b, "\t%s = %s // %s\n", l.Name, l.Value, l.Pointer)
	}
	b.WriteString(")\n\n")
	b.WriteString("// What identifies the success bodies of the operations above (x-kick-identifying), by schema:\n")
	b.WriteString("// an answer that lacks it is not the operation's answer.\n")
	w.Render(&b, "identify.")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format the generated code: %w\n%s", err, b.Bytes())
	}
	return src, nil
}

// endpoints lists doc's path operations, by path then method, walking the shapes of their success
// bodies with w.
func endpoints(doc *openapi3.T, w *shapes.Walker) ([]endpoint, error) {
	var out []endpoint
	seen := map[string]bool{}
	for _, path := range sortedKeys(doc.Paths.Map()) {
		item := doc.Paths.Value(path)
		ops := item.Operations()
		for _, method := range sortedKeys(ops) {
			op := ops[method]
			if op.OperationID == "" {
				return nil, fmt.Errorf("%s %s has no operationId", method, path)
			}
			if seen[op.OperationID] {
				return nil, fmt.Errorf("operationId %s is used twice", op.OperationID)
			}
			seen[op.OperationID] = true
			kinds, err := tokenOrder(op)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
			scopes, err := userScopes(op)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
			response, err := responseShape(doc, op, w)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
			idempotent, err := idempotencyKey(op)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
			out = append(out, endpoint{
				ID: op.OperationID, Method: method, Path: path, Kinds: kinds, Scopes: scopes,
				Response: response, Idempotent: idempotent, Deprecated: op.Deprecated,
			})
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the spec has no operations")
	}
	return out, nil
}

// tokenOrder returns the token kinds op accepts, in the order the client tries them.
func tokenOrder(op *openapi3.Operation) ([]string, error) {
	if op.Security == nil {
		return nil, errors.New("security is not declared (say `security: []` for an operation without a token)")
	}
	var schemes []string
	for _, req := range *op.Security {
		if len(req) == 0 {
			return nil, errors.New("an empty security requirement (an optional token) is not supported")
		}
		for scheme := range req {
			if tokenKinds[scheme] == "" {
				return nil, fmt.Errorf("unknown security scheme %q", scheme)
			}
			if !slices.Contains(schemes, scheme) {
				schemes = append(schemes, scheme)
			}
		}
	}
	order := defaultPreference
	if raw, ok := op.Extensions[preferenceExtension]; ok {
		var err error
		if order, err = preference(raw, schemes); err != nil {
			return nil, fmt.Errorf("%s: %w", preferenceExtension, err)
		}
	}
	var kinds []string
	for _, scheme := range order {
		if slices.Contains(schemes, scheme) {
			kinds = append(kinds, tokenKinds[scheme])
		}
	}
	return kinds, nil
}

// preference checks the value of x-kick-token-preference: every scheme of the operation's
// security, each once, and nothing else.
func preference(raw any, schemes []string) ([]string, error) {
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("%v is not a list of security scheme names", raw)
	}
	var order []string
	for _, v := range list {
		s, ok := v.(string)
		switch {
		case !ok:
			return nil, fmt.Errorf("%v is not a security scheme name", v)
		case !slices.Contains(schemes, s):
			return nil, fmt.Errorf("%s is not in the operation's security %v", s, schemes)
		case slices.Contains(order, s):
			return nil, fmt.Errorf("%s is listed twice", s)
		}
		order = append(order, s)
	}
	if len(order) != len(schemes) {
		return nil, fmt.Errorf("%v leaves out some of the operation's security %v", order, schemes)
	}
	return order, nil
}

// userScopes returns the scopes of op's UserAccessToken requirements, in the spec's order: a user
// token must have been granted every scope of one of them. A requirement that combines user tokens
// with another scheme is not supported, nor is an operation without scopes among ones with.
func userScopes(op *openapi3.Operation) ([][]string, error) {
	var sets [][]string
	for _, req := range *op.Security {
		s, ok := req["UserAccessToken"]
		if !ok {
			continue
		}
		if len(req) > 1 {
			return nil, errors.New("a security requirement of user tokens and another scheme together is not supported")
		}
		if len(s) == 0 {
			if len(sets) > 0 {
				return nil, errors.New("a user token requirement without scopes among ones with scopes")
			}
			continue
		}
		sets = append(sets, slices.Clone(s))
	}
	return sets, nil
}

// responseShape returns the name of the schema of op's success body when something identifies
// it, registering its shape with w; "" when there is none.
func responseShape(doc *openapi3.T, op *openapi3.Operation, w *shapes.Walker) (string, error) {
	var name string
	for _, code := range sortedKeys(op.Responses.Map()) {
		r := op.Responses.Value(code)
		if !strings.HasPrefix(code, "2") || r.Value == nil {
			continue
		}
		mt := r.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil {
			continue
		}
		if mt.Schema.Ref == "" {
			return "", fmt.Errorf("the %s response is an inline schema; name it under components", code)
		}
		sh, err := w.Ref(doc, mt.Schema.Ref)
		if err != nil {
			return "", err
		}
		if sh == nil {
			continue
		}
		if name != "" && name != sh.Name {
			return "", fmt.Errorf("two success bodies, %s and %s, identified by something; the client checks one", name, sh.Name)
		}
		name = sh.Name
	}
	return name, nil
}

// idempotencyKey reads op's x-kick-idempotency-key: the name of a property of its JSON request
// body.
func idempotencyKey(op *openapi3.Operation) (bool, error) {
	raw, ok := op.Extensions[idempotencyExtension]
	if !ok {
		return false, nil
	}
	key, ok := raw.(string)
	if !ok || key == "" {
		return false, fmt.Errorf("%s: %v is not a property name", idempotencyExtension, raw)
	}
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return false, fmt.Errorf("%s: the operation has no request body", idempotencyExtension)
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil || mt.Schema.Value.Properties[key] == nil {
		return false, fmt.Errorf("%s: %q is not a property of the JSON request body", idempotencyExtension, key)
	}
	return true, nil
}

// limits lists the limit keywords of doc's request parameters and request bodies, each once, by
// name.
func limits(doc *openapi3.T) ([]limit, error) {
	w := &walker{doc: doc, byName: map[string]limit{}, schemas: map[string]bool{}}
	for op, params := range operations(doc) {
		prefix := exported(op.OperationID)
		for _, p := range params {
			if err := w.parameter(prefix, p.ref, p.pointer); err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
		}
		if op.RequestBody == nil || op.RequestBody.Value == nil {
			continue
		}
		for _, ct := range sortedKeys(op.RequestBody.Value.Content) {
			mt := op.RequestBody.Value.Content[ct]
			if mt.Schema == nil {
				continue
			}
			if mt.Schema.Ref == "" {
				return nil, fmt.Errorf("%s: the %s request body is an inline schema; name it under components", op.OperationID, ct)
			}
			if err := w.component(mt.Schema.Ref); err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
		}
	}
	out := make([]limit, 0, len(w.byName))
	for _, name := range sortedKeys(w.byName) {
		out = append(out, w.byName[name])
	}
	return out, nil
}

type param struct {
	ref     *openapi3.ParameterRef
	pointer string
}

// operations yields doc's operations, by path then method, each with its parameters (the path's,
// then its own) and their JSON pointers.
func operations(doc *openapi3.T) iter.Seq2[*openapi3.Operation, []param] {
	return func(yield func(*openapi3.Operation, []param) bool) {
		for _, path := range sortedKeys(doc.Paths.Map()) {
			item := doc.Paths.Value(path)
			base := "/paths/" + escape(path)
			ops := item.Operations()
			for _, method := range sortedKeys(ops) {
				op := ops[method]
				params := slices.Concat(
					indexed(item.Parameters, base+"/parameters"),
					indexed(op.Parameters, base+"/"+strings.ToLower(method)+"/parameters"),
				)
				if !yield(op, params) {
					return
				}
			}
		}
	}
}

// parameters lists the query and path parameters of doc's operations, by constant name. It fails
// on a parameter the kick package's request builder cannot send as the spec says.
func parameters(doc *openapi3.T) ([]parameter, error) {
	var out []parameter
	for op, params := range operations(doc) {
		for _, p := range params {
			v := p.ref.Value
			if v == nil {
				return nil, fmt.Errorf("%s: unresolved parameter at %s", op.OperationID, p.pointer)
			}
			pointer := p.pointer
			if p.ref.Ref != "" {
				name, err := componentName(p.ref.Ref, "#/components/parameters/")
				if err != nil {
					return nil, err
				}
				pointer = "/components/parameters/" + escape(name)
			}
			switch {
			case v.In == openapi3.ParameterInQuery && (v.Style == "" || v.Style == openapi3.SerializationForm) && (v.Explode == nil || *v.Explode):
			case v.In == openapi3.ParameterInPath && (v.Style == "" || v.Style == openapi3.SerializationSimple) && (v.Explode == nil || !*v.Explode):
			default:
				return nil, fmt.Errorf("%s: parameter %s in %s with style %q and explode %v: the kick package sends only query parameters in the form style with explode and path parameters in the simple style", op.OperationID, v.Name, v.In, v.Style, v.Explode)
			}
			out = append(out, parameter{Name: "param" + exported(op.OperationID) + camel(v.Name), Wire: v.Name, In: v.In, Pointer: pointer})
		}
	}
	slices.SortFunc(out, func(a, b parameter) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func indexed(ps openapi3.Parameters, pointer string) []param {
	out := make([]param, len(ps))
	for i, p := range ps {
		out[i] = param{p, pointer + "/" + strconv.Itoa(i)}
	}
	return out
}

// walker collects limits, visiting each named schema once.
type walker struct {
	doc     *openapi3.T
	byName  map[string]limit
	schemas map[string]bool
}

func (w *walker) parameter(prefix string, p *openapi3.ParameterRef, pointer string) error {
	if p.Value == nil {
		return fmt.Errorf("unresolved parameter at %s", pointer)
	}
	if p.Ref != "" {
		name, err := componentName(p.Ref, "#/components/parameters/")
		if err != nil {
			return err
		}
		pointer = "/components/parameters/" + escape(name)
	}
	s := p.Value.Schema
	if s == nil {
		return nil
	}
	return w.schema(prefix+camel(p.Value.Name), s, pointer+"/schema")
}

// component walks the named schema ref points to.
func (w *walker) component(ref string) error {
	name, err := componentName(ref, "#/components/schemas/")
	if err != nil {
		return err
	}
	if w.schemas[name] {
		return nil
	}
	w.schemas[name] = true
	s := w.doc.Components.Schemas[name]
	if s == nil || s.Value == nil {
		return fmt.Errorf("%s does not resolve", ref)
	}
	pointer := "/components/schemas/" + escape(name)
	if err := w.keywords(name, s.Value, pointer); err != nil {
		return err
	}
	for _, prop := range sortedKeys(s.Value.Properties) {
		if err := w.schema(name+camel(prop), s.Value.Properties[prop], pointer+"/properties/"+escape(prop)); err != nil {
			return err
		}
	}
	for _, branches := range []struct {
		keyword string
		refs    openapi3.SchemaRefs
	}{{"oneOf", s.Value.OneOf}, {"anyOf", s.Value.AnyOf}, {"allOf", s.Value.AllOf}} {
		for i, b := range branches.refs {
			bp := fmt.Sprintf("%s/%s/%d", pointer, branches.keyword, i)
			if b.Ref != "" || b.Value == nil || len(b.Value.Properties) == 0 {
				if err := w.schema(name, b, bp); err != nil {
					return err
				}
				continue
			}
			// An inline branch that narrows the component's properties (such as the chat message's
			// oneOf on type): its limits are the component's, and must agree with them.
			if err := w.keywords(name, b.Value, bp); err != nil {
				return err
			}
			for _, prop := range sortedKeys(b.Value.Properties) {
				if err := w.schema(name+camel(prop), b.Value.Properties[prop], bp+"/properties/"+escape(prop)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// schema collects the limits of a parameter's or property's schema, under name: its own, its
// items', or those of the named schema it refers to.
func (w *walker) schema(name string, s *openapi3.SchemaRef, pointer string) error {
	if s.Ref != "" {
		return w.component(s.Ref)
	}
	if s.Value == nil {
		return fmt.Errorf("unresolved schema at %s", pointer)
	}
	if err := w.keywords(name, s.Value, pointer); err != nil {
		return err
	}
	if s.Value.Items != nil {
		return w.schema(name+"Items", s.Value.Items, pointer+"/items")
	}
	if len(s.Value.Properties) > 0 {
		return fmt.Errorf("an inline object schema at %s; name it under components", pointer)
	}
	return nil
}

// keywords records the limit keywords of one schema.
func (w *walker) keywords(name string, s *openapi3.Schema, pointer string) error {
	if s.ExclusiveMin.IsSet() || s.ExclusiveMax.IsSet() {
		return fmt.Errorf("%s: exclusive bounds are not supported", pointer)
	}
	// add records the limit of keyword, named after it and at pointer/at (the keyword, or the
	// extension that states it).
	addAt := func(keyword, at, value string) error {
		l := limit{Name: "limit" + name + exported(keyword), Pointer: pointer + "/" + at, Value: value}
		if prev, dup := w.byName[l.Name]; dup {
			if prev.Value != l.Value {
				return fmt.Errorf("%s and %s both make %s, with different values", prev.Pointer, l.Pointer, l.Name)
			}
			return nil // the same limit restated (a oneOf branch narrowing a property): the first stands
		}
		w.byName[l.Name] = l
		return nil
	}
	add := func(keyword, value string) error { return addAt(keyword, keyword, value) }
	counts := []struct {
		keyword string
		set     bool
		value   uint64
	}{
		{"minLength", s.MinLength != 0, s.MinLength},
		{"maxLength", s.MaxLength != nil, deref(s.MaxLength)},
		{"minItems", s.MinItems != 0, s.MinItems},
		{"maxItems", s.MaxItems != nil, deref(s.MaxItems)},
	}
	for _, c := range counts {
		if c.set {
			if err := add(c.keyword, strconv.FormatUint(c.value, 10)); err != nil {
				return err
			}
		}
	}
	// Limits JSON Schema cannot state, as extensions: a string's grapheme clusters and UTF-8 bytes.
	for _, ext := range []struct{ extension, keyword string }{
		{"x-kick-max-graphemes", "maxGraphemes"}, {"x-kick-max-bytes", "maxBytes"},
	} {
		raw, ok := s.Extensions[ext.extension]
		if !ok {
			continue
		}
		n, ok := raw.(float64)
		if !ok || n < 1 || n != math.Trunc(n) || n > 1<<31 {
			return fmt.Errorf("%s/%s: %v is not a positive integer", pointer, ext.extension, raw)
		}
		if err := addAt(ext.keyword, ext.extension, strconv.FormatFloat(n, 'f', -1, 64)); err != nil {
			return err
		}
	}
	for keyword, bound := range map[string]*float64{"minimum": s.Min, "maximum": s.Max} {
		if bound == nil {
			continue
		}
		if *bound != math.Trunc(*bound) || math.Abs(*bound) > 1<<53 {
			return fmt.Errorf("%s/%s: %v is not an integer", pointer, keyword, *bound)
		}
		if err := add(keyword, strconv.FormatFloat(*bound, 'f', -1, 64)); err != nil {
			return err
		}
	}
	if s.Pattern != "" {
		return add("pattern", "`"+strings.ReplaceAll(s.Pattern, "`", "` + \"`\" + `")+"`")
	}
	return nil
}

func deref(p *uint64) uint64 {
	if p == nil {
		return 0
	}
	return *p
}

func componentName(ref, prefix string) (string, error) {
	name, ok := strings.CutPrefix(ref, prefix)
	if !ok || name == "" || strings.Contains(name, "/") {
		return "", fmt.Errorf("%s is not a reference to %s<name>", ref, prefix)
	}
	return name, nil
}

// varName is the Go name of an operation's endpoint: ep and the exported operation id.
func varName(id string) string { return "ep" + exported(id) }

func exported(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// initialisms spelled in capitals in Go names, as the generated client spells them.
var initialisms = map[string]string{"id": "ID", "ids": "IDs", "url": "URL", "uri": "URI"}

// camel turns a wire name such as broadcaster_user_id into BroadcasterUserID.
func camel(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
		if in, ok := initialisms[part]; ok {
			b.WriteString(in)
			continue
		}
		b.WriteString(exported(part))
	}
	return b.String()
}

// escape escapes a JSON pointer token (RFC 6901).
func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
