package main

// packageDoc is package gen's documentation.
const packageDoc = `// Package gen is the low-level request layer of Kick's API, compiled from openapi/kick.yaml by
// tools/kickgen, that package kick wraps: import package kick, not this one.
//
// Every operation of the spec is a variable named after its operation id (GetUsers for
// getUsers). Its fields are what the spec says of the operation (an Operation: method, path,
// server, token kinds, scopes, what identifies its answer, whether it may be sent again), and its
// Request method builds a Request from the operation's parameters, in the spec's order and with
// their wire names: the path with each path parameter escaped as one segment, the query in the
// form style with explode (an array repeats its name), the body with the spec's content type.
// Operations lists them all. The Limit constants are the spec's limits of the request side.
//
// It sends nothing and decodes nothing: package kick sends every Request (base URL, token,
// retries, the 401 replay) and decodes the answers into its models, the one Go model of each of
// Kick's schemas. It imports nothing of this module, and has no stability promise.
`

// runtime is the fixed part of package gen: its types and the helpers of the builders.
const runtime = `import (
	"net/url"
	"strconv"
	"strings"
)

// Server names the host an operation is served from.
type Server string

// The servers of the spec.
const (
	// ServerAPI is Kick's REST API, https://api.kick.com.
	ServerAPI Server = "api"
	// ServerOAuth is Kick's OAuth server, https://id.kick.com.
	ServerOAuth Server = "oauth"
)

// Operation is what the spec says of one operation.
type Operation struct {
	// ID is the operation id, such as "getUsers".
	ID string
	// Method and Path are the HTTP method and the path template, such as "/public/v1/chat/{message_id}".
	Method, Path string
	// Server is the host the path is under.
	Server Server
	// Tokens are the kinds of access token the operation accepts, "user" or "app", in the order a
	// client tries them; none for an operation that takes no token.
	Tokens []string
	// Scopes are the scopes a user token must have been granted: every scope of one of the lists
	// (the first is the least a call needs).
	Scopes [][]string
	// Identifying is what identifies the operation's success body (x-kick-identifying); nil
	// when nothing does.
	Identifying *Shape
	// Idempotent marks a POST or PATCH whose body carries an idempotency key
	// (x-kick-idempotency-key): sending it again does nothing twice.
	Idempotent bool
	// Deprecated marks an operation Kick deprecated.
	Deprecated bool
}

// Request is one request of an operation, relative to its server's base URL.
type Request struct {
	// Operation is the request's operation.
	Operation *Operation
	// Path is the path below the base URL, escaped: the operation's template with each parameter
	// escaped as one path segment (url.PathEscape). A parameter "." or ".." stays a dot segment,
	// which a client must refuse to send.
	Path string
	// Query is the query string, without "?"; "" for none.
	Query string
	// Body is the request body, nil for none, and ContentType its content type, the spec's.
	Body        []byte
	ContentType string
}

// Shape is what identifies the objects of one schema (x-kick-identifying): the keys that must be
// present, neither null nor "", and the shapes of the properties to descend into.
type Shape struct {
	// Name is the schema's name in the spec.
	Name string
	// Keys are the identifying keys, in the spec's order.
	Keys []string
	// Props are the shapes of the properties whose values are objects, or arrays of objects,
	// identified by keys of their own.
	Props map[string]*Shape
}

// segment escapes v as one path segment.
func segment(v string) string { return url.PathEscape(v) }

// query builds a query string in the form style with explode: name=value pairs joined by '&', an
// array repeating its name (id=1&id=2), escaped as url.QueryEscape escapes, in the order of the
// calls (where url.Values sorts). A list is sized before it is written, so that a query is built
// in one allocation.
type query struct{ b strings.Builder }

// str adds name=value.
func (q *query) str(name, value string) {
	q.b.Grow(len(name) + len(value) + 2)
	q.sep()
	q.b.WriteString(name) // parameter names are the spec's, which need no escaping
	q.b.WriteByte('=')
	writeQueryEscape(&q.b, value)
}

// num adds name=v in decimal.
func (q *query) num(name string, v int64) {
	q.sep()
	q.b.WriteString(name)
	q.b.WriteByte('=')
	var digits [20]byte
	q.b.Write(strconv.AppendInt(digits[:0], v, 10))
}

// boolean adds name=true or name=false.
func (q *query) boolean(name string, v bool) { q.str(name, strconv.FormatBool(v)) }

func (q *query) sep() {
	if q.b.Len() > 0 {
		q.b.WriteByte('&')
	}
}

// strs adds name=v for each v, in order.
func (q *query) strs(name string, vs []string) {
	n := 0
	for _, v := range vs {
		n += len(name) + len(v) + 2
	}
	q.b.Grow(n)
	for _, v := range vs {
		q.str(name, v)
	}
}

// nums adds name=v for each v, in order.
func (q *query) nums(name string, vs []int64) {
	n := 0
	for _, v := range vs {
		n += len(name) + 2 + decimalLen(v)
	}
	q.b.Grow(n)
	for _, v := range vs {
		q.num(name, v)
	}
}

// decimalLen is the length of v in decimal.
func decimalLen(v int64) int {
	n := 1
	if v < 0 {
		n++
	}
	for v <= -10 || v >= 10 {
		v /= 10
		n++
	}
	return n
}

// encoded returns the query string, without '?'; "" when no parameter was added.
func (q *query) encoded() string { return q.b.String() }

// writeQueryEscape writes s escaped as url.QueryEscape escapes it (appendQueryEscape).
func writeQueryEscape(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if !isUnreservedByte(s[i]) {
			var buf [64]byte
			for len(s) > 0 {
				n := min(len(s), len(buf)/3)
				b.Write(appendQueryEscape(buf[:0], s[:n]))
				s = s[n:]
			}
			return
		}
	}
	b.WriteString(s)
}

// isUnreservedByte reports whether url.QueryEscape leaves c as it is.
func isUnreservedByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

// appendQueryEscape appends s escaped as url.QueryEscape escapes it: letters, digits and "-_.~"
// as they are, ' ' as '+', every other byte as %XX.
func appendQueryEscape(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isUnreservedByte(c):
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
	}
	return dst
}
`
