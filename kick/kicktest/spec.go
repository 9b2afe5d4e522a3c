package kicktest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/openapi"
)

// The spec is loaded and checked once per process and shared, read-only, by every Server.
var loadSpec = sync.OnceValues(func() (*spec, error) {
	doc, err := openapi.Load(context.Background())
	if err != nil {
		return nil, err
	}
	return newSpec(doc)
})

// spec is openapi/kick.yaml as kicktest uses it: its operations and webhook callbacks, ready for
// validation.
type spec struct {
	doc       *openapi3.T
	ops       map[string]*operation // by operation id
	byRoute   map[string]*operation // by "METHOD /path"
	callbacks map[kick.EventType]*routers.Route
}

// operation is one operation of the spec and where kicktest serves it.
type operation struct {
	id     string
	method string
	path   string // the spec's path template, such as /public/v1/chat/{message_id}
	oauth  bool   // served on the OAuth listener (the path's servers are id.kick.com)
	route  *routers.Route
	params []string // path parameter names
	// defaults are the spec's defaults of the integer query parameters that have one, such as
	// limit: the page sizes kicktest answers with when the client leaves them out.
	defaults map[string]int
	// oauthErrors: the operation's 400 is the OAuth server's error shape, not the API envelope.
	oauthErrors bool
}

// documents reports whether the operation documents a response of the status.
func (op *operation) documents(status int) bool {
	return op.route != nil && op.route.Operation.Responses.Status(status) != nil
}

// integer returns a schema default that is an integer, as the loader decodes it.
func integer(v any) (int, bool) {
	switch n := v.(type) {
	case float64:
		return int(n), n == math.Trunc(n) && math.Abs(n) <= math.MaxInt32
	case int:
		return n, true
	case int64:
		return int(n), true
	}
	return 0, false
}

// withDefaults sets the properties of v, a value of the generated type of the named request
// schema, that the request left out to the schema's defaults.
func (sp *spec) withDefaults(v any, schema string) error {
	s := sp.doc.Components.Schemas[schema]
	if s == nil || s.Value == nil {
		return fmt.Errorf("the spec has no schema %s", schema)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		return err
	}
	for name, p := range s.Value.Properties {
		if _, set := fields[name]; !set && p.Value != nil && p.Value.Default != nil {
			fields[name] = p.Value.Default
		}
	}
	if b, err = json.Marshal(fields); err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// intDefault returns the spec's default of the integer query parameter name. It panics when the
// spec gives none: a handler that relies on a default the spec lacks is a bug of kicktest.
func (op *operation) intDefault(name string) int {
	n, ok := op.defaults[name]
	if !ok {
		panic(fmt.Sprintf("kicktest: the spec gives query parameter %s of %s no integer default", name, op.id))
	}
	return n
}

// pattern is the ServeMux pattern of the operation: the spec's path templates use the same
// {name} syntax.
func (op *operation) pattern() string { return op.method + " " + op.path }

func newSpec(doc *openapi3.T) (*spec, error) {
	sp := &spec{
		doc:       doc,
		ops:       map[string]*operation{},
		byRoute:   map[string]*operation{},
		callbacks: map[kick.EventType]*routers.Route{},
	}
	for path, item := range doc.Paths.Map() {
		oauth := slices.ContainsFunc(item.Servers, func(s *openapi3.Server) bool {
			return strings.Contains(s.URL, "id.kick.com")
		})
		for method, o := range item.Operations() {
			op := &operation{
				id:     o.OperationID,
				method: method,
				path:   path,
				oauth:  oauth,
				route:  &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: o},
			}
			for _, p := range slices.Concat(item.Parameters, o.Parameters) {
				if p.Value == nil {
					continue
				}
				switch p.Value.In {
				case openapi3.ParameterInPath:
					op.params = append(op.params, p.Value.Name)
				case openapi3.ParameterInQuery:
					if s := p.Value.Schema; s != nil && s.Value != nil && s.Value.Type.Is(openapi3.TypeInteger) {
						if d, ok := integer(s.Value.Default); ok {
							if op.defaults == nil {
								op.defaults = map[string]int{}
							}
							op.defaults[p.Value.Name] = d
						}
					}
				}
			}
			if r := o.Responses.Status(http.StatusBadRequest); r != nil && r.Value != nil {
				if mt := r.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					op.oauthErrors = strings.HasSuffix(mt.Schema.Ref, "/OAuthError")
				}
			}
			sp.ops[op.id] = op
			sp.byRoute[method+" "+path] = op
			for name, cb := range o.Callbacks {
				if cb.Value == nil {
					continue
				}
				for cbPath, cbItem := range cb.Value.Map() {
					if post := cbItem.Post; post != nil {
						sp.callbacks[kick.EventType(name)] = &routers.Route{Spec: doc, Path: cbPath, PathItem: cbItem, Method: http.MethodPost, Operation: post}
					}
				}
			}
		}
	}
	if len(sp.ops) == 0 {
		return nil, errors.New("kicktest: the spec has no operations")
	}
	return sp, nil
}

// Operations returns the ids of every operation of openapi/kick.yaml, all of which kicktest
// serves, sorted: the keys to expect in ResponsesValidated after a test that calls them all. It
// panics if the embedded spec does not load, as NewServer would fail then too.
func Operations() []string {
	sp, err := loadSpec()
	if err != nil {
		panic(fmt.Sprintf("kicktest: load the spec: %v", err))
	}
	return slices.Sorted(maps.Keys(sp.ops))
}

// ulidPattern is the shape of the ULIDs kicktest makes itself, 26 characters: stricter than the
// spec's ulid format, which takes Kick's longer ids too.
var ulidPattern = regexp.MustCompile(`^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$`)

// formatOptions checks the formats the spec uses beyond OpenAPI's own (ulid, uuid, hexcolor), as
// the spec defines them in x-kick-formats: kin-openapi ignores unknown formats. Per validation,
// without touching kin-openapi's global format table.
var formatOptions = sync.OnceValue(func() []openapi3.SchemaValidationOption {
	formats, err := openapi.FormatValidators()
	if err != nil {
		panic("kicktest: " + err.Error()) // unreachable: loadSpec failed first on the same document
	}
	return []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(formats)}
})

func requestOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		// kicktest checks tokens itself, from the operation's security.
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		MultiError:              true,
		SkipSettingDefaults:     true,
		SchemaValidationOptions: formatOptions(),
	}
}

func responseOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		// A status the operation does not document is a violation too.
		IncludeResponseStatus:   true,
		MultiError:              true,
		SchemaValidationOptions: formatOptions(),
	}
}

// validateRequest checks r against op. It reads r's body and gives r a fresh copy of it.
func validateRequest(ctx context.Context, op *operation, r *http.Request, body []byte) error {
	params := make(map[string]string, len(op.params))
	for _, name := range op.params {
		params[name] = r.PathValue(name)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	err := openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      op.route,
		Options:    requestOptions(),
	})
	r.Body = io.NopCloser(bytes.NewReader(body))
	return err
}

// validateResponse checks a recorded response to r against op.
func validateResponse(ctx context.Context, op *operation, r *http.Request, rec *recorder) error {
	return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, Route: op.route, Options: requestOptions()},
		Status:                 rec.status,
		Header:                 rec.header,
		Body:                   io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		Options:                responseOptions(),
	})
}

// validateDelivery checks a webhook delivery, headers and payload, against the callback the spec
// describes for its event type.
func (sp *spec) validateDelivery(ctx context.Context, typ kick.EventType, h http.Header, body []byte) error {
	route := sp.callbacks[typ]
	if route == nil {
		return fmt.Errorf("the spec describes no delivery of event type %q", typ)
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://your-app.example/kick/webhook", bytes.NewReader(body))
	if err != nil {
		return err
	}
	r.Header = h.Clone()
	return openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request: r,
		Route:   route,
		Options: requestOptions(),
	})
}

// describe renders a kin-openapi validation error as one line per problem, without the schema
// and value dumps of its Error methods: what a 400 answer or a test failure should say.
func describe(err error) string {
	var parts []string
	var walk func(prefix string, err error)
	walk = func(prefix string, err error) {
		switch e := err.(type) { //nolint:errorlint // walks kin-openapi's error tree node by node; errors.As would skip levels
		case openapi3.MultiError:
			for _, sub := range e {
				walk(prefix, sub)
			}
		case *openapi3filter.RequestError:
			p := prefix
			switch {
			case e.Parameter != nil:
				p += fmt.Sprintf("parameter %q in %s", e.Parameter.Name, e.Parameter.In)
			case e.RequestBody != nil:
				p += "request body"
			}
			if e.Err == nil {
				parts = append(parts, joinReason(p, e.Reason))
				return
			}
			if _, schema := e.Err.(*openapi3.SchemaError); !schema && e.Reason != "" && e.Reason != e.Err.Error() { //nolint:errorlint // the direct child, as above
				if _, multi := e.Err.(openapi3.MultiError); !multi { //nolint:errorlint // the direct child, as above
					p = joinReason(p, e.Reason)
				}
			}
			walk(p+": ", e.Err)
		case *openapi3filter.ResponseError:
			p := joinReason(prefix+"response", e.Reason)
			if strings.HasPrefix(e.Reason, "response body doesn't match") {
				p = prefix + "response body"
			}
			if e.Err == nil {
				parts = append(parts, p)
				return
			}
			walk(p+": ", e.Err)
		case *openapi3filter.ParseError:
			line, _, _ := strings.Cut(e.Error(), "\n")
			parts = append(parts, prefix+line)
		case *openapi3.SchemaError:
			if e.Origin != nil && (e.SchemaField == "oneOf" || e.SchemaField == "anyOf") {
				// The branches' own errors say more than "doesn't match any schema"; with a
				// discriminator there is one branch.
				walk(prefix, e.Origin)
				return
			}
			where := ""
			if ptr := e.JSONPointer(); len(ptr) > 0 {
				where = fmt.Sprintf("at %q: ", "/"+strings.Join(ptr, "/"))
			}
			parts = append(parts, prefix+where+e.Reason)
		default:
			if inner := errors.Unwrap(err); inner != nil {
				walk(prefix, inner)
				return
			}
			line, _, _ := strings.Cut(err.Error(), "\n")
			parts = append(parts, prefix+line)
		}
	}
	walk("", err)
	return strings.Join(slices.Compact(parts), "; ")
}

func joinReason(prefix, reason string) string {
	prefix = strings.TrimSuffix(prefix, ": ")
	switch {
	case prefix == "":
		return reason
	case reason == "":
		return prefix
	}
	return prefix + ": " + reason
}

// routeOf resolves a route name of Fault and Requests: an operation id ("sendChatMessage"),
// "METHOD /path" with the spec's path template ("POST /public/v1/chat"), or the authorize step
// ("authorize" or "GET /oauth/authorize"), which the spec describes in prose only.
func (sp *spec) routeOf(route string) (string, error) {
	if route == authorizeRoute || route == "GET "+authorizePath {
		return authorizeRoute, nil
	}
	if op := sp.ops[route]; op != nil {
		return op.id, nil
	}
	if method, path, ok := strings.Cut(route, " "); ok {
		if op := sp.byRoute[strings.ToUpper(method)+" "+path]; op != nil {
			return op.id, nil
		}
		if u, err := url.Parse(path); err == nil {
			for _, op := range sp.ops {
				if op.method == strings.ToUpper(method) && matchPath(op.path, u.Path) {
					return op.id, nil
				}
			}
		}
	}
	return "", fmt.Errorf("kicktest: unknown route %q: use an operation id such as \"sendChatMessage\" or \"METHOD /path\" of the spec", route)
}

// matchPath reports whether path matches the template, whose {name} segments match any segment.
func matchPath(template, path string) bool {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if strings.HasPrefix(ts[i], "{") {
			if ps[i] == "" {
				return false
			}
			continue
		}
		if ts[i] != ps[i] {
			return false
		}
	}
	return true
}
