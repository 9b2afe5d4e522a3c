package kick

import (
	"net/url"
	"strconv"
	"strings"
)

// query builds the query string of a request to an operation whose parameters the spec gives in
// the form style with explode, as tools/kickgen checks all of them are: name=value pairs joined
// by '&', an array repeating its name (id=1&id=2). Names and values are escaped as url.Values
// escapes them. It allocates only the string, and builds it in the order of the calls (an
// operation's parameters in a fixed order), where url.Values sorts.
type query struct{ b []byte }

// add adds name=value.
func (q *query) add(name, value string) {
	if len(q.b) > 0 {
		q.b = append(q.b, '&')
	}
	q.b = appendQueryEscape(q.b, name)
	q.b = append(q.b, '=')
	q.b = appendQueryEscape(q.b, value)
}

// addInt adds name=v in decimal.
func (q *query) addInt(name string, v int64) {
	if len(q.b) > 0 {
		q.b = append(q.b, '&')
	}
	q.b = appendQueryEscape(q.b, name)
	q.b = append(q.b, '=')
	q.b = strconv.AppendInt(q.b, v, 10)
}

// addStrings adds name=v for each v, in order.
func (q *query) addStrings(name string, vs []string) {
	for _, v := range vs {
		q.add(name, v)
	}
}

// addInts adds name=v for each v, in order.
func (q *query) addInts(name string, vs []int64) {
	for _, v := range vs {
		q.addInt(name, v)
	}
}

// grow makes room for n more bytes, so that a query of known size is built in one allocation.
func (q *query) grow(n int) {
	if cap(q.b)-len(q.b) < n {
		b := make([]byte, len(q.b), len(q.b)+n)
		copy(b, q.b)
		q.b = b
	}
}

// String returns the query string, without '?'; "" when no parameter was added.
func (q *query) String() string { return string(q.b) }

// appendQueryEscape appends s escaped as url.QueryEscape escapes it: letters, digits and "-_.~"
// as they are, ' ' as '+', every other byte as %XX.
func appendQueryEscape(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
	}
	return dst
}

// expandPath returns the spec's path template with its one parameter ({message_id}) replaced by
// value, and the same path escaped as a URL path, value escaped as url.PathEscape escapes a path
// segment; escaped is "" when it equals path (url.URL's RawPath convention). A template without
// exactly one parameter is a bug, and panics.
func expandPath(template, value string) (path, escaped string) {
	open, close := strings.IndexByte(template, '{'), strings.IndexByte(template, '}')
	if open < 0 || close < open || strings.LastIndexByte(template, '{') != open {
		panic("kick: path " + template + " has not exactly one parameter")
	}
	head, tail := template[:open], template[close+1:]
	path = head + value + tail
	if e := url.PathEscape(value); e != value {
		escaped = head + e + tail
	}
	return path, escaped
}
