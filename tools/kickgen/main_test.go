package main

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/openapi"
	"github.com/kick-sdk/kick-go/tools/internal/shapes"
)

// load parses a small OpenAPI document for a test.
func load(t *testing.T, paths, components string) *openapi3.T {
	t.Helper()
	src := "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n" + paths + "\ncomponents:\n" + components
	doc, err := openapi3.NewLoader().LoadFromData([]byte(src))
	if err != nil {
		t.Fatalf("load: %v\n%s", err, src)
	}
	return doc
}

const okResponse = `
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Envelope'}`

const schemes = `
  schemas:
    Envelope:
      type: object
      x-kick-identifying: [data]
      required: [data, message]
      properties:
        data: {type: object}
        message: {type: string}
  securitySchemes:
    UserAccessToken: {type: http, scheme: bearer}
    AppAccessToken: {type: http, scheme: bearer}
    ApiKey: {type: apiKey, in: header, name: X-Key}`

func TestTokenOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		security string
		want     []string
		err      string
	}{
		{"none", "security: []", nil, ""},
		{"user", "security: [{UserAccessToken: [chat:write]}]", []string{"user"}, ""},
		{"both, user first by default", "security: [{AppAccessToken: []}, {UserAccessToken: []}]", []string{"user", "app"}, ""},
		{"two scope alternatives of one kind", "security: [{UserAccessToken: [a]}, {UserAccessToken: [b]}]", []string{"user"}, ""},
		{"the extension's order", "security: [{UserAccessToken: []}, {AppAccessToken: []}]\n      x-kick-token-preference: [AppAccessToken, UserAccessToken]", []string{"app", "user"}, ""},
		{"undeclared", "", nil, "security is not declared"},
		{"optional token", "security: [{}]", nil, "optional token"},
		{"unknown scheme", "security: [{ApiKey: []}]", nil, `unknown security scheme "ApiKey"`},
		{"extension names another scheme", "security: [{UserAccessToken: []}]\n      x-kick-token-preference: [AppAccessToken]", nil, "AppAccessToken is not in the operation's security"},
		{"extension leaves one out", "security: [{UserAccessToken: []}, {AppAccessToken: []}]\n      x-kick-token-preference: [AppAccessToken]", nil, "leaves out"},
		{"extension repeats", "security: [{UserAccessToken: []}]\n      x-kick-token-preference: [UserAccessToken, UserAccessToken]", nil, "listed twice"},
		{"extension not a list", "security: [{UserAccessToken: []}]\n      x-kick-token-preference: UserAccessToken", nil, "not a list"},
		{"extension of numbers", "security: [{UserAccessToken: []}]\n      x-kick-token-preference: [1]", nil, "not a security scheme name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := load(t, "  /x:\n    get:\n      operationId: getX\n      "+tt.security+okResponse, schemes)
			got, err := tokenOrder(doc.Paths.Value("/x").Get)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("kinds (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEndpoints(t *testing.T) {
	t.Parallel()
	doc := load(t, `
  /b/{id}:
    delete:
      operationId: deleteB
      deprecated: true
      security: []
      parameters: [{name: id, in: path, required: true, example: b-1, schema: {type: string}}]
      responses: {'204': {description: gone}}
  /a:
    post:
      operationId: postA
      security: [{UserAccessToken: [a:write]}, {UserAccessToken: [a:admin, b:read]}]
      x-kick-idempotency-key: id
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {id: {type: string}}, example: {id: a-1}}`+okResponse+`
    get:
      operationId: getA
      security: [{AppAccessToken: []}]
      responses:
        '200':
          description: text
          content: {text/plain: {schema: {type: string}}}`, schemes)
	got, err := endpoints(doc, shapes.NewWalker())
	if err != nil {
		t.Fatal(err)
	}
	want := []endpoint{
		{ID: "getA", Method: "GET", Path: "/a", Kinds: []string{"app"}},
		{ID: "postA", Method: "POST", Path: "/a", Kinds: []string{"user"},
			Scopes: [][]string{{"a:write"}, {"a:admin", "b:read"}}, Response: "Envelope", Idempotent: true, BodyType: "application/json", BodyExample: `{"id":"a-1"}`},
		{ID: "deleteB", Method: "DELETE", Path: "/b/{id}", Deprecated: true,
			Params: []parameter{{Arg: "id", Wire: "id", In: "path", Type: "string", Required: true, Pointer: "/paths/~1b~1{id}/delete/parameters/0", Example: `"b-1"`}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("endpoints (-want +got):\n%s", diff)
	}

	for name, paths := range map[string]string{
		"operationId":          "  /a:\n    get:\n      security: []" + okResponse,
		"used twice":           "  /a:\n    get:\n      operationId: a\n      security: []" + okResponse + "\n  /b:\n    get:\n      operationId: a\n      security: []" + okResponse,
		"no operations":        "  {}",
		"getA: unknown":        "  /a:\n    get:\n      operationId: getA\n      security: [{ApiKey: []}]" + okResponse,
		"another scheme":       "  /a:\n    get:\n      operationId: getA\n      security: [{UserAccessToken: [x], AppAccessToken: []}]" + okResponse,
		"without scopes among": "  /a:\n    get:\n      operationId: getA\n      security: [{UserAccessToken: [x]}, {UserAccessToken: []}]" + okResponse,
		"no request body":      "  /a:\n    post:\n      operationId: postA\n      security: []\n      x-kick-idempotency-key: id" + okResponse,
		"not a property":       "  /a:\n    post:\n      operationId: postA\n      security: []\n      x-kick-idempotency-key: key\n      requestBody: {content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}}" + okResponse,
		"not a property name":  "  /a:\n    post:\n      operationId: postA\n      security: []\n      x-kick-idempotency-key: [id]" + okResponse,
		"inline schema":        "  /a:\n    get:\n      operationId: getA\n      security: []\n      responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}",
	} {
		if _, err := endpoints(load(t, paths, schemes), shapes.NewWalker()); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("error %v, want one containing %q", err, name)
		}
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	doc := load(t, `
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string, minLength: 1}}
    patch:
      operationId: patchItem
      security: []
      parameters:
        - $ref: '#/components/parameters/Cursor'
        - name: user_id
          in: query
          schema: {type: array, maxItems: 50, items: {type: integer, minimum: 1, maximum: 9007199254740991}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ItemInput'}
      responses: {'204': {description: done}}
    put:
      operationId: putItem
      security: []
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ItemInput'}
      responses: {'204': {description: done}}`, `
  parameters:
    Cursor: {name: cursor, in: query, schema: {type: string, maxLength: 28}}
  schemas:
    ItemInput:
      oneOf: [{$ref: '#/components/schemas/Tagged'}]
      properties:
        title: {type: string, minLength: 1, maxLength: 50}
        color: {type: string, pattern: '^#[0-9a-f]{6}$'}
        tag_ids: {type: array, minItems: 1, items: {type: string, maxLength: 3}}
    Tagged:
      type: object
      properties:
        tag: {$ref: '#/components/schemas/Tag'}
    Tag: {type: string, maxLength: 8}`)
	got, err := limits(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []limit{
		{"LimitItemInputColorPattern", "/components/schemas/ItemInput/properties/color/pattern", "`^#[0-9a-f]{6}$`"},
		{"LimitItemInputTagIDsItemsMaxLength", "/components/schemas/ItemInput/properties/tag_ids/items/maxLength", "3"},
		{"LimitItemInputTagIDsMinItems", "/components/schemas/ItemInput/properties/tag_ids/minItems", "1"},
		{"LimitItemInputTitleMaxLength", "/components/schemas/ItemInput/properties/title/maxLength", "50"},
		{"LimitItemInputTitleMinLength", "/components/schemas/ItemInput/properties/title/minLength", "1"},
		{"LimitPatchItemCursorMaxLength", "/components/parameters/Cursor/schema/maxLength", "28"},
		{"LimitPatchItemIDMinLength", "/paths/~1items~1{id}/parameters/0/schema/minLength", "1"},
		{"LimitPatchItemUserIDItemsMaximum", "/paths/~1items~1{id}/patch/parameters/1/schema/items/maximum", "9007199254740991"},
		{"LimitPatchItemUserIDItemsMinimum", "/paths/~1items~1{id}/patch/parameters/1/schema/items/minimum", "1"},
		{"LimitPatchItemUserIDMaxItems", "/paths/~1items~1{id}/patch/parameters/1/schema/maxItems", "50"},
		{"LimitPutItemIDMinLength", "/paths/~1items~1{id}/parameters/0/schema/minLength", "1"},
		{"LimitTagMaxLength", "/components/schemas/Tag/maxLength", "8"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("limits (-want +got):\n%s", diff)
	}
}

func TestLimitErrors(t *testing.T) {
	t.Parallel()
	op := func(body string) string {
		return "  /x:\n    post:\n      operationId: postX\n      security: []\n      requestBody:\n        content:\n          application/json:\n            schema: " + body + "\n      responses: {'204': {description: done}}"
	}
	tests := map[string]struct{ paths, components string }{
		"inline schema":            {op("{type: object}"), "  {}"},
		"exclusive bounds":         {op("{$ref: '#/components/schemas/In'}"), "  schemas:\n    In: {type: object, properties: {n: {type: integer, minimum: 0, exclusiveMinimum: true}}}"},
		"is not an integer":        {op("{$ref: '#/components/schemas/In'}"), "  schemas:\n    In: {type: object, properties: {n: {type: number, maximum: 1.5}}}"},
		"an inline object schema":  {op("{$ref: '#/components/schemas/In'}"), "  schemas:\n    In: {type: object, properties: {n: {type: object, properties: {m: {type: string}}}}}"},
		"both make LimitInNMaxLen": {op("{$ref: '#/components/schemas/In'}"), "  schemas:\n    In: {type: object, properties: {n: {type: string, maxLength: 1}, N: {type: string, maxLength: 2}}}"},
	}
	for want, tt := range tests {
		_, err := limits(load(t, tt.paths, tt.components))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want one containing %q", err, want)
		}
	}
}

func TestCamel(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"broadcaster_user_id": "BroadcasterUserID",
		"ids":                 "IDs",
		"redirect_uri":        "RedirectURI",
		"q":                   "Q",
		"language_code":       "LanguageCode",
		"token.kind-x":        "TokenKindX",
	} {
		if got := camel(in); got != want {
			t.Errorf("camel(%q) = %q, want %q", in, got, want)
		}
	}
	if got := escape("/a~b/{id}"); got != "~1a~0b~1{id}" {
		t.Errorf("escape = %q", got)
	}
}

// TestGenerateTheSpec generates from openapi/kick.yaml and checks the code: it parses, has an
// operation per operation of the spec with the operation's method and path, and is what is
// committed.
func TestGenerateTheSpec(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	src, err := generate(doc, "gen")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "kick.gen.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || fmtIdent(lit.Type) != "Operation" {
			return true
		}
		fields := map[string]string{}
		for _, e := range lit.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				if b, ok := kv.Value.(*ast.BasicLit); ok {
					fields[fmtIdent(kv.Key)], _ = strconv.Unquote(b.Value)
				}
			}
		}
		got[fields["ID"]] = fields["Method"] + " " + fields["Path"]
		return true
	})
	want := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			want[op.OperationID] = method + " " + path
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations (-spec +generated):\n%s", diff)
	}
	// getUsersLivestreams is documented for app tokens; user tokens are a belief, so the spec's
	// extension puts app tokens first.
	if !strings.Contains(string(src), `ID: "getUsersLivestreams", Method: "GET", Path: "/public/v1/users/livestreams", Server: ServerAPI, Tokens: []string{"app", "user"}`) {
		t.Error("getUsersLivestreams does not prefer app tokens")
	}
	committed, err := os.ReadFile(filepath.Join("..", "..", "gen", "kick.gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if string(committed) != string(src) {
		t.Error("gen/kick.gen.go is stale: run `make generate`")
	}
}

func fmtIdent(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// TestParameters checks the parameters of an operation's builder, in the spec's order (the
// path's first), and the styles and types the builders can send.
func TestParameters(t *testing.T) {
	t.Parallel()
	doc := load(t, `
  /v1/things/{thing_id}:
    parameters:
      - {name: thing_id, in: path, required: true, schema: {type: string, example: t-1}}
    get:
      operationId: getThing
      security: []
      parameters:
        - {name: user_id, in: query, schema: {type: array, items: {type: integer}}}
        - {name: q, in: query, style: form, explode: true, description: "The query. More words.", schema: {type: string}}
        - {name: type, in: query, required: true, example: 7, schema: {type: integer, minimum: 1}}`+okResponse, schemes)
	eps, err := endpoints(doc, shapes.NewWalker())
	if err != nil {
		t.Fatal(err)
	}
	want := []parameter{
		{Arg: "thingID", Wire: "thing_id", In: "path", Type: "string", Required: true, Pointer: "/paths/~1v1~1things~1{thing_id}/parameters/0", Example: `"t-1"`},
		{Arg: "userID", Wire: "user_id", In: "query", Type: "[]int64", Pointer: "/paths/~1v1~1things~1{thing_id}/get/parameters/0"},
		{Arg: "q", Wire: "q", In: "query", Type: "string", Doc: "The query.", Pointer: "/paths/~1v1~1things~1{thing_id}/get/parameters/1"},
		{Arg: "typeParam", Wire: "type", In: "query", Type: "int64", Required: true, Pointer: "/paths/~1v1~1things~1{thing_id}/get/parameters/2", Example: "7"},
	}
	if diff := cmp.Diff(want, eps[0].Params); diff != "" {
		t.Errorf("parameters (-want +got):\n%s", diff)
	}
	for _, bad := range []struct{ param, err string }{
		{`{name: ids, in: query, explode: false, schema: {type: array, items: {type: integer}}}`, "the request builders send only"},
		{`{name: filter, in: query, style: deepObject, schema: {type: object}}`, "the request builders send only"},
		{`{name: X-Thing, in: header, schema: {type: string}}`, "the request builders send only"},
		{`{name: c, in: cookie, schema: {type: string}}`, "the request builders send only"},
		{`{name: o, in: query, schema: {type: object}}`, "the builders send strings"},
		{`{name: l, in: query, schema: {type: integer}}`, "no minimum of 1"},
		{`{name: a, in: query, schema: {type: array, items: {type: boolean}}}`, "an array of bool"},
		{`{name: r, in: query, required: true, schema: {type: string}}`, "no example"},
		{`{name: r, in: query, required: true, example: [1], schema: {type: array, items: {type: string}}}`, "is not a string"},
	} {
		doc := load(t, `
  /v1/things:
    get:
      operationId: listThings
      security: []
      parameters:
        - `+bad.param+okResponse, schemes)
		if _, err := endpoints(doc, shapes.NewWalker()); err == nil || !strings.Contains(err.Error(), bad.err) {
			t.Errorf("%s: err = %v, want one containing %q", bad.param, err, bad.err)
		}
	}
}

// TestCoverageTable: the README's table says each operation's tokens in the client's order with
// the user token's scopes, and names the methods whose documentation names the operation.
func TestCoverageTable(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		ep   endpoint
		want string
	}{
		{endpoint{}, "none"},
		{endpoint{Kinds: []string{"user", "app"}}, "U or A"},
		{endpoint{Kinds: []string{"app", "user"}}, "A or U"},
		{endpoint{Kinds: []string{"user", "app"}, Scopes: [][]string{{"user:read"}}}, "U (`user:read`) or A"},
		{endpoint{Kinds: []string{"user"}, Scopes: [][]string{{"a:read"}, {"a:write", "b:read"}}}, "U `a:read` or `a:write` and `b:read`"},
	} {
		if got := tokenColumn(tt.ep); got != tt.want {
			t.Errorf("tokenColumn(%v %v) = %q, want %q", tt.ep.Kinds, tt.ep.Scopes, got, tt.want)
		}
	}
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	eps, err := endpoints(doc, shapes.NewWalker())
	if err != nil {
		t.Fatal(err)
	}
	table, err := coverageTable(doc, eps, filepath.Join("..", "..", "kick"))
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []string{
		"| GET /public/v1/users | `getUsers` | U (`user:read`) or A | `Users.Get`, `Users.Me` |\n",
		"| POST /public/v1/ads/enroll (inferred) | `enrollAds` | U `ads:write` | `Ads.Enroll` |\n",
		"| POST id.kick.com/oauth/token | `requestToken` | none | `Tokens.Request` |\n",
	} {
		if !strings.Contains(string(table), row) {
			t.Errorf("the table lacks %q:\n%s", row, table)
		}
	}
	// An operation of the spec that no method names yet (step 1 of adding one) is a row that
	// says so, not a failure of make generate: here, a package kick without methods.
	none, err := coverageTable(doc, eps, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if row := "| GET /public/v1/users | `getUsers` | U (`user:read`) or A | none yet |\n"; !strings.Contains(string(none), row) {
		t.Errorf("without methods, the table lacks %q:\n%s", row, none)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), string(table)) {
		t.Error("README.md's coverage table is stale: run make generate")
	}
}
