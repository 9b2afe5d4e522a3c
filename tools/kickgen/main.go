// Command kickgen compiles openapi/kick.yaml into package gen, the low-level request layer that
// package kick wraps, so that the spec stays its one source. `go generate` runs it (see generate.go
// at the module root) and `make check-generate` fails when its committed output is stale.
//
//	go run ./tools/kickgen -out gen/kick.gen.go
//
// For every operation it writes a variable named after the operation id (gen.GetUsers for
// getUsers) that holds what the client must know of the operation (gen.Operation: id, method,
// path template, server, the token kinds it accepts in the order the client tries them, the
// scopes a user token needs, what identifies its success body, whether a POST may be sent again),
// and whose Request method builds a request from the operation's parameters, in the spec's order,
// with their wire names: the path with each path parameter escaped as one segment, the query in the
// form style with explode (an array repeats the name: id=1&id=2), the body with the content type
// of the spec's request body. Every limit of the request side (parameters and request bodies) is
// a constant the kick package checks before sending.
//
// Token kinds come from the operation's security: UserAccessToken is a user token ("user"),
// AppAccessToken an app token ("app"), no requirement no token. OpenAPI gives the order of
// security requirements no meaning, so the client tries a user token first, then an app token,
// unless the operation says otherwise with the extension
//
//	x-kick-token-preference: [AppAccessToken, UserAccessToken]
//
// which lists the operation's security schemes, each once, in the order to try them. It marks an
// order that is a belief rather than Kick's documentation (getUsersLivestreams is documented for
// app tokens; user tokens are believed to work too).
//
// kickgen fails on a parameter in another style than the query's form with explode or the path's
// simple style, in a header or cookie, or of a type other than a string, an integer, a boolean or
// an array of strings or integers: the builders could not send it as the spec says. An optional
// scalar parameter is left out of the query when its value is the zero value, so an optional
// integer parameter must have a minimum of 1 or more (0 would be a value Kick could not get).
//
// The scopes are those of the operation's UserAccessToken requirement (app tokens carry no
// scopes); the client checks them against the scopes a user token was granted before it sends
// anything.
//
// What identifies the success body is the shape of its schema's x-kick-identifying extensions,
// at every depth (see tools/internal/shapes), written into the file as *gen.Shape values: the
// client refuses an answer that lacks it, with ErrUnexpectedResponse, and nothing else.
//
// An operation whose request carries an idempotency key says so with the extension
//
//	x-kick-idempotency-key: id
//
// naming the body property that makes a repeated request do nothing twice; its operation is
// Idempotent, so the client retries it as it retries a GET. The kick package must then always send
// the key (it makes one when the caller gives none).
//
// Limits are named after where they are: Limit<Operation><Parameter>[Items]<Keyword> for a
// parameter, Limit<Schema><Property>[Items]<Keyword> for a property of a named request schema,
// such as LimitGetChannelsSlugItemsMaxLength and LimitChannelRewardCreateInputTitleMaxLength. Each
// constant's comment gives the JSON pointer of its keyword in the spec.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"go/token"
	"iter"
	"math"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kick-sdk/kick-go/openapi"
	"github.com/kick-sdk/kick-go/tools/internal/shapes"
)

// Security schemes of the spec and the token kinds of package gen (those of Kick's token
// introspection).
var tokenKinds = map[string]string{
	"UserAccessToken": "user",
	"AppAccessToken":  "app",
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
	out := flag.String("out", "gen/kick.gen.go", "the Go file to write")
	pkg := flag.String("package", "gen", "its package name")
	tests := flag.String("tests", "", "the Go test file of package kick_test to write the table of example requests to")
	kicktest := flag.String("kicktest", "", "the Go file of package kicktest to write its handler set to")
	readme := flag.String("readme", "", "the README whose coverage table to rewrite (package kick beside it)")
	flag.Parse()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		fail(err)
	}
	src, err := generate(doc, *pkg)
	if err != nil {
		fail(err)
	}
	write(*out, src)
	eps, err := endpoints(doc, shapes.NewWalker())
	if err != nil {
		fail(err)
	}
	if *readme != "" {
		if err := writeReadme(*readme, doc, eps); err != nil {
			fail(err)
		}
	}
	for path, render := range map[string]func([]endpoint) ([]byte, error){*tests: generateTests, *kicktest: generateKicktest} {
		if path == "" {
			continue
		}
		src, err := render(eps)
		if err != nil {
			fail(err)
		}
		write(path, src)
	}
}

// generateKicktest renders kicktest's handler set: an interface of a method per operation,
// named by its operation id, that the Server must implement, so that an operation without a
// handler fails to compile, and the table of the handlers by operation id.
func generateKicktest(eps []endpoint) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by tools/kickgen from openapi/kick.yaml; DO NOT EDIT.\n\n")
	b.WriteString("package kicktest\n\n")
	b.WriteString("// api is what the fake serves: a handler per operation of the spec, a method of the Server named\n")
	b.WriteString("// by its operation id. An operation of the spec without a handler fails to compile.\n")
	b.WriteString("type api interface {\n")
	for _, ep := range eps {
		fmt.Fprintf(&b, "\t%s(*call) // %s %s\n", ep.ID, ep.Method, ep.Path)
	}
	b.WriteString("}\n\nvar _ api = (*Server)(nil)\n\n")
	b.WriteString("// handlers maps every operation id of the spec to its handler.\n")
	b.WriteString("func (s *Server) handlers() map[string]func(*call) {\n\treturn map[string]func(*call){\n")
	for _, ep := range eps {
		fmt.Fprintf(&b, "\t\t%q: s.%s,\n", ep.ID, ep.ID)
	}
	b.WriteString("\t}\n}\n")
	return format.Source(b.Bytes())
}

// write writes src to path unless it holds src already.
func write(path string, src []byte) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, src) { //nolint:gosec // a file of the repository, named by the directive
		return
	}
	if err := os.WriteFile(path, src, 0o644); err != nil { //nolint:gosec // a source file, world-readable like the others
		fail(err)
	}
}

// generateTests renders the table of package kick_test that builds a request of every operation
// through package gen alone, from the spec's examples: its required parameters' and its body's;
// its optional parameters are left out.
func generateTests(eps []endpoint) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by tools/kickgen from openapi/kick.yaml; DO NOT EDIT.\n\n")
	b.WriteString("package kick_test\n\nimport \"github.com/kick-sdk/kick-go/gen\"\n\n")
	b.WriteString("// specRequests builds a request of every operation of the spec, by operation id, through package\n")
	b.WriteString("// gen alone: its required parameters and its body are the spec's examples, its optional\n")
	b.WriteString("// parameters left out.\n")
	b.WriteString("var specRequests = map[string]func() gen.Request{\n")
	for _, ep := range eps {
		var args []string
		for _, p := range ep.Params {
			if p.Required {
				args = append(args, p.Example)
				continue
			}
			if strings.HasPrefix(p.Type, "[]") {
				args = append(args, "nil")
			} else {
				args = append(args, zeroLiteral(p.Type))
			}
		}
		if ep.BodyType != "" {
			args = append(args, "[]byte("+strconv.Quote(ep.BodyExample)+")")
		}
		fmt.Fprintf(&b, "\t%q: func() gen.Request { return gen.%s.Request(%s) },\n", ep.ID, exported(ep.ID), strings.Join(args, ", "))
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "kickgen:", err)
	os.Exit(1)
}

// endpoint is what the generated code says of one operation.
type endpoint struct {
	ID, Method, Path string
	Summary          string
	OAuth            bool       // served by the OAuth server (a server of its own under the path)
	Kinds            []string   // the token kinds, "user" or "app", in the order to try them
	Scopes           [][]string // the scopes a user token needs: every scope of one of the lists
	Response         string     // the schema whose shape identifies the success body; "" for none
	Idempotent       bool       // a POST or PATCH that carries an idempotency key
	Deprecated       bool
	Params           []parameter // the path's parameters, then the operation's, in the spec's order
	BodyType         string      // the content type of the request body; "" for none
	BodyExample      string      // the request body of the spec's example, encoded; "" for none
}

// parameter is one request parameter of an operation.
type parameter struct {
	Arg      string // the Go argument of the builder
	Wire     string // the name on the wire
	In       string // "query" or "path"
	Type     string // the Go type: string, int64, bool, []string or []int64
	Required bool
	Doc      string // the first sentence of its description
	Pointer  string
	Example  string // the Go literal of the spec's example of a required parameter; "" for none
}

// limit is one limit keyword of the request side.
type limit struct {
	Name    string
	Pointer string // JSON pointer of the keyword in the spec
	Value   string // Go literal
}

// generate renders package gen from doc: its types and helpers, an operation variable per
// operation with its request builder, the operation table, the limits and the shapes.
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
	var b bytes.Buffer
	b.WriteString("// Code generated by tools/kickgen from openapi/kick.yaml; DO NOT EDIT.\n\n")
	b.WriteString(packageDoc)
	fmt.Fprintf(&b, "package %s\n\n", pkg)
	b.WriteString(runtime)
	b.WriteString("\n// The operations of the spec, by path then method. Each is a variable named after its operation\n")
	b.WriteString("// id: its fields are the Operation, its Request method builds a request.\n")
	b.WriteString("var (\n")
	for _, ep := range eps {
		writeOperation(&b, ep)
	}
	b.WriteString(")\n\n")
	b.WriteString("// Operations lists every operation, in the order of the spec's paths and methods.\n")
	b.WriteString("var Operations = []*Operation{\n")
	for _, ep := range eps {
		fmt.Fprintf(&b, "\t%s.Operation,\n", exported(ep.ID))
	}
	b.WriteString("}\n")
	for _, ep := range eps {
		writeBuilder(&b, ep)
	}
	b.WriteString("\n// The limits of the spec's request parameters and bodies, each named after where it is and\n")
	b.WriteString("// commented with the JSON pointer of its keyword.\n")
	b.WriteString("const (\n")
	for _, l := range lims {
		fmt.Fprintf(&b, "\t%s = %s // %s\n", l.Name, l.Value, l.Pointer)
	}
	b.WriteString(")\n\n")
	b.WriteString("// What identifies the success bodies of the operations above (x-kick-identifying), by schema:\n")
	b.WriteString("// an answer that lacks it is not the operation's answer.\n")
	w.Render(&b, "")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format the generated code: %w\n%s", err, b.Bytes())
	}
	return src, nil
}

// writeOperation writes ep's variable.
func writeOperation(b *bytes.Buffer, ep endpoint) {
	name := exported(ep.ID)
	fmt.Fprintf(b, "\t// %s is %s %s", name, ep.Method, ep.Path)
	if ep.OAuth {
		b.WriteString(" on the OAuth server")
	}
	if ep.Summary != "" {
		fmt.Fprintf(b, ": %s", strings.TrimSuffix(ep.Summary, "."))
	}
	b.WriteString(".")
	if ep.Deprecated {
		b.WriteString(" Deprecated by Kick.")
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "\t%s = %s{&Operation{ID: %q, Method: %q, Path: %q", name, ep.ID, ep.ID, ep.Method, ep.Path)
	if ep.OAuth {
		b.WriteString(", Server: ServerOAuth")
	} else {
		b.WriteString(", Server: ServerAPI")
	}
	if len(ep.Kinds) > 0 {
		quoted := make([]string, len(ep.Kinds))
		for i, k := range ep.Kinds {
			quoted[i] = strconv.Quote(k)
		}
		fmt.Fprintf(b, ", Tokens: []string{%s}", strings.Join(quoted, ", "))
	}
	if len(ep.Scopes) > 0 {
		sets := make([]string, len(ep.Scopes))
		for i, set := range ep.Scopes {
			quoted := make([]string, len(set))
			for j, sc := range set {
				quoted[j] = strconv.Quote(sc)
			}
			sets[i] = "{" + strings.Join(quoted, ", ") + "}"
		}
		fmt.Fprintf(b, ", Scopes: [][]string{%s}", strings.Join(sets, ", "))
	}
	if ep.Response != "" {
		fmt.Fprintf(b, ", Identifying: %s", shapes.VarName(ep.Response))
	}
	if ep.Idempotent {
		b.WriteString(", Idempotent: true")
	}
	if ep.Deprecated {
		b.WriteString(", Deprecated: true")
	}
	b.WriteString("}}\n")
}

// writeBuilder writes ep's type and its Request method.
func writeBuilder(b *bytes.Buffer, ep endpoint) {
	name := exported(ep.ID)
	fmt.Fprintf(b, "\n// %s is the type of %s.\n", ep.ID, name)
	fmt.Fprintf(b, "type %s struct{ *Operation }\n\n", ep.ID)
	fmt.Fprintf(b, "// Request builds a request of %s", ep.ID)
	var args []string
	for _, p := range ep.Params {
		args = append(args, p.Arg+" "+p.Type)
	}
	if ep.BodyType != "" {
		args = append(args, "body []byte")
	}
	if len(args) == 0 {
		b.WriteString(".\n")
	} else {
		b.WriteString(" from its parameters:\n//\n")
		for _, p := range ep.Params {
			how := fmt.Sprintf("path segment %q", p.Wire)
			if p.In == "query" {
				how = fmt.Sprintf("query %q", p.Wire)
				if strings.HasPrefix(p.Type, "[]") {
					how += ", repeated"
				}
				if !p.Required {
					how += ", left out when " + zeroDescription(p.Type)
				}
			}
			fmt.Fprintf(b, "//   - %s (%s): %s\n", p.Arg, how, p.Doc)
		}
		if ep.BodyType != "" {
			fmt.Fprintf(b, "//   - body: the request body, sent as %s; nil sends none\n", ep.BodyType)
		}
	}
	fmt.Fprintf(b, "func (%s) Request(%s) Request {\n", ep.ID, strings.Join(args, ", "))
	hasQuery := false
	for _, p := range ep.Params {
		if p.In == "query" {
			hasQuery = true
		}
	}
	if hasQuery {
		b.WriteString("\tvar qb query\n")
		for _, p := range ep.Params {
			if p.In != "query" {
				continue
			}
			switch p.Type {
			case "[]int64":
				fmt.Fprintf(b, "\tqb.nums(%q, %s)\n", p.Wire, p.Arg)
			case "[]string":
				fmt.Fprintf(b, "\tqb.strs(%q, %s)\n", p.Wire, p.Arg)
			default:
				method := map[string]string{"int64": "num", "string": "str", "bool": "boolean"}[p.Type]
				if p.Required {
					fmt.Fprintf(b, "\tqb.%s(%q, %s)\n", method, p.Wire, p.Arg)
				} else {
					fmt.Fprintf(b, "\tif %s != %s {\n\t\tqb.%s(%q, %s)\n\t}\n", p.Arg, zeroLiteral(p.Type), method, p.Wire, p.Arg)
				}
			}
		}
	}
	fmt.Fprintf(b, "\treturn Request{Operation: %s.Operation, Path: %s", name, pathExpr(ep))
	if hasQuery {
		b.WriteString(", Query: qb.encoded()")
	}
	if ep.BodyType != "" {
		fmt.Fprintf(b, ", Body: body, ContentType: %q", ep.BodyType)
	}
	b.WriteString("}\n}\n")
}

// pathExpr is the Go expression of ep's escaped path: its template with each parameter escaped as
// one segment.
func pathExpr(ep endpoint) string {
	var parts []string
	rest := ep.Path
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}') + i
		if rest[:i] != "" {
			parts = append(parts, strconv.Quote(rest[:i]))
		}
		wire := rest[i+1 : j]
		for _, p := range ep.Params {
			if p.In == "path" && p.Wire == wire {
				if p.Type == "int64" {
					parts = append(parts, "strconv.FormatInt("+p.Arg+", 10)")
				} else {
					parts = append(parts, "segment("+p.Arg+")")
				}
			}
		}
		rest = rest[j+1:]
	}
	if rest != "" || len(parts) == 0 {
		parts = append(parts, strconv.Quote(rest))
	}
	return strings.Join(parts, " + ")
}

func zeroLiteral(typ string) string {
	switch typ {
	case "string":
		return `""`
	case "bool":
		return "false"
	}
	return "0"
}

func zeroDescription(typ string) string {
	switch {
	case strings.HasPrefix(typ, "[]"):
		return "empty"
	case typ == "string":
		return `""`
	case typ == "bool":
		return "false"
	}
	return "0"
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
			params, err := opParameters(op, slices.Concat(indexed(item.Parameters, "/paths/"+escape(path)+"/parameters"),
				indexed(op.Parameters, "/paths/"+escape(path)+"/"+strings.ToLower(method)+"/parameters")))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
			bodyType, err := requestBodyType(op)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
			bodyExample, err := requestBodyExample(op, bodyType)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
			servers := item.Servers
			if op.Servers != nil {
				servers = *op.Servers
			}
			oauth := false
			for _, srv := range servers {
				if strings.Contains(srv.URL, "id.kick.com") {
					oauth = true
				}
			}
			out = append(out, endpoint{
				ID: op.OperationID, Method: method, Path: path, Summary: op.Summary, OAuth: oauth, Kinds: kinds, Scopes: scopes,
				Response: response, Idempotent: idempotent, Deprecated: op.Deprecated, Params: params, BodyType: bodyType, BodyExample: bodyExample,
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

// opParameters lists an operation's parameters, in the spec's order, with their Go types. It
// fails on a parameter the request builder cannot send as the spec says.
func opParameters(op *openapi3.Operation, params []param) ([]parameter, error) {
	var out []parameter
	for _, p := range params {
		v := p.ref.Value
		if v == nil {
			return nil, fmt.Errorf("unresolved parameter at %s", p.pointer)
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
			return nil, fmt.Errorf("parameter %s in %s with style %q and explode %v: the request builders send only query parameters in the form style with explode and path parameters in the simple style", v.Name, v.In, v.Style, v.Explode)
		}
		typ, err := goType(v.Schema)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", v.Name, err)
		}
		if v.In == openapi3.ParameterInPath && typ != "string" && typ != "int64" {
			return nil, fmt.Errorf("path parameter %s of type %s: a path segment is a string or an integer", v.Name, typ)
		}
		if v.In == openapi3.ParameterInQuery && !v.Required && typ == "int64" {
			if min := v.Schema.Value.Min; min == nil || *min < 1 {
				return nil, fmt.Errorf("optional integer parameter %s has no minimum of 1 or more: its builder leaves out 0, which would then be a value", v.Name)
			}
		}
		arg := lowerCamel(v.Name)
		if arg == "body" || arg == "qb" || token.IsKeyword(arg) {
			arg += "Param"
		}
		p := parameter{Arg: arg, Wire: v.Name, In: v.In, Type: typ, Required: v.Required || v.In == openapi3.ParameterInPath,
			Doc: firstSentence(v.Description), Pointer: pointer}
		if p.Required {
			if p.Example, err = exampleLiteral(typ, v.Example, v.Schema); err != nil {
				return nil, fmt.Errorf("required parameter %s: %w", v.Name, err)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// goType is the builder's Go type of a parameter's schema.
func goType(s *openapi3.SchemaRef) (string, error) {
	if s == nil || s.Value == nil {
		return "", errors.New("no schema")
	}
	if len(s.Value.AllOf) == 1 && s.Value.Type == nil {
		// allOf of one reference, the way to give a referenced schema a default.
		return goType(s.Value.AllOf[0])
	}
	switch t := s.Value.Type; {
	case t.Is("string"):
		return "string", nil
	case t.Is("integer"):
		return "int64", nil
	case t.Is("boolean"):
		return "bool", nil
	case t.Is("array"):
		item, err := goType(s.Value.Items)
		if err != nil || (item != "string" && item != "int64") {
			return "", fmt.Errorf("an array of %s: the builders send arrays of strings or integers", item)
		}
		return "[]" + item, nil
	default:
		return "", fmt.Errorf("type %v: the builders send strings, integers, booleans and arrays of them", t)
	}
}

// requestBodyType returns the content type of op's request body, "" for none. An operation with
// a body in more than one content type is not supported.
func requestBodyType(op *openapi3.Operation) (string, error) {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return "", nil
	}
	types := sortedKeys(op.RequestBody.Value.Content)
	if len(types) != 1 {
		return "", fmt.Errorf("a request body in %d content types %v: the builders send one", len(types), types)
	}
	return types[0], nil
}

// exampleLiteral is the Go literal, of type typ, of a parameter's example: the parameter's, else
// its schema's, else (for an array) its items'.
func exampleLiteral(typ string, example any, s *openapi3.SchemaRef) (string, error) {
	if example == nil && s != nil && s.Value != nil {
		example = s.Value.Example
		if example == nil && s.Value.Items != nil && s.Value.Items.Value != nil && s.Value.Items.Value.Example != nil {
			example = []any{s.Value.Items.Value.Example}
		}
	}
	if example == nil {
		return "", errors.New("no example: a test builds a request of every operation from the spec's examples")
	}
	scalar := func(typ string, v any) (string, error) {
		switch typ {
		case "string":
			if s, ok := v.(string); ok {
				return strconv.Quote(s), nil
			}
		case "int64":
			if n, ok := v.(float64); ok && n == math.Trunc(n) {
				return strconv.FormatFloat(n, 'f', -1, 64), nil
			}
		case "bool":
			if b, ok := v.(bool); ok {
				return strconv.FormatBool(b), nil
			}
		}
		return "", fmt.Errorf("example %v is not a %s", v, typ)
	}
	item, isArray := strings.CutPrefix(typ, "[]")
	if !isArray {
		return scalar(typ, example)
	}
	list, ok := example.([]any)
	if !ok {
		return "", fmt.Errorf("example %v is not an array", example)
	}
	elems := make([]string, len(list))
	for i, v := range list {
		lit, err := scalar(item, v)
		if err != nil {
			return "", err
		}
		elems[i] = lit
	}
	return typ + "{" + strings.Join(elems, ", ") + "}", nil
}

// requestBodyExample returns the example request body of op, encoded as bodyType: the media
// type's example, else its first named example, else its schema's example.
func requestBodyExample(op *openapi3.Operation, bodyType string) (string, error) {
	if bodyType == "" {
		return "", nil
	}
	mt := op.RequestBody.Value.Content[bodyType]
	example := mt.Example
	if example == nil && len(mt.Examples) > 0 {
		for _, name := range sortedKeys(mt.Examples) {
			if e := mt.Examples[name]; e != nil && e.Value != nil {
				example = e.Value.Value
				break
			}
		}
	}
	if example == nil && mt.Schema != nil && mt.Schema.Value != nil {
		example = mt.Schema.Value.Example
	}
	if example == nil {
		return "", errors.New("the request body has no example: a test builds a request of every operation from the spec's examples")
	}
	if bodyType == "application/x-www-form-urlencoded" {
		fields, ok := example.(map[string]any)
		if !ok {
			return "", fmt.Errorf("the form example %v is not an object", example)
		}
		form := url.Values{}
		for k, v := range fields {
			form.Set(k, fmt.Sprint(v))
		}
		return form.Encode(), nil
	}
	b, err := json.Marshal(example)
	return string(b), err
}

// firstSentence is the first sentence of a description, on one line.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	return s
}

// lowerCamel turns a wire name such as broadcaster_user_id into broadcasterUserID.
func lowerCamel(s string) string {
	c := camel(s)
	for _, in := range initialisms {
		if strings.HasPrefix(c, in) {
			return strings.ToLower(in) + c[len(in):]
		}
	}
	if c == "" {
		return c
	}
	return strings.ToLower(c[:1]) + c[1:]
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
		l := limit{Name: "Limit" + name + exported(keyword), Pointer: pointer + "/" + at, Value: value}
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

func exported(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// initialisms spelled in capitals in the Go names kickgen writes.
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
