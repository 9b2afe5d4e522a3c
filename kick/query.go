package kick

import (
	"net/url"
	"strconv"
	"strings"
)

// query builds the query string of a request to an operation whose parameters the spec gives in
// the form style with explode, as tools/kickgen checks all of them are: name=value pairs joined
// by '&', an array repeating its name (id=1&id=2). Names and values are escaped as url.Values
// escapes them. A list is sized before it is written, so that a query is built in one allocation,
// in the order of the calls (an operation's parameters in a fixed order), where url.Values sorts.
type query struct{ b strings.Builder }

// add adds name=value.
func (q *query) add(name, value string) {
	q.b.Grow(len(name) + len(value) + 2)
	q.sep()
	q.b.WriteString(name) // parameter names are the spec's, which need no escaping
	q.b.WriteByte('=')
	writeQueryEscape(&q.b, value)
}

// addInt adds name=v in decimal.
func (q *query) addInt(name string, v int64) {
	q.sep()
	q.b.WriteString(name)
	q.b.WriteByte('=')
	var digits [20]byte
	q.b.Write(strconv.AppendInt(digits[:0], v, 10))
}

func (q *query) sep() {
	if q.b.Len() > 0 {
		q.b.WriteByte('&')
	}
}

// addStrings adds name=v for each v, in order.
func (q *query) addStrings(name string, vs []string) {
	n := 0
	for _, v := range vs {
		n += len(name) + len(v) + 2
	}
	q.b.Grow(n)
	for _, v := range vs {
		q.add(name, v)
	}
}

// addInts adds name=v for each v, in order.
func (q *query) addInts(name string, vs []int64) {
	n := 0
	for _, v := range vs {
		n += len(name) + 2 + decimalLen(v)
	}
	q.b.Grow(n)
	for _, v := range vs {
		q.addInt(name, v)
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

// String returns the query string, without '?'; "" when no parameter was added.
func (q *query) String() string { return q.b.String() }

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
