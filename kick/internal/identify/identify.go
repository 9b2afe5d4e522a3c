// Package identify checks that a JSON body has what identifies it, the one acceptance rule of
// what Kick sends (webhook deliveries and API answers), written down in openapi/kick.yaml: a body
// is refused only when it lacks a key that identifies it, or when a present key has the wrong
// JSON type (the decoder's part). Every other documented key may be absent or null.
//
// The identifying keys are declared once in the spec, by the x-kick-identifying extension of an
// object schema, and generated into tables of shapes: package webhook's acceptance table
// (tools/eventgen) and the operations of package gen (tools/kickgen), which kick reads. A key
// identifies its object when it is present and its value is neither null nor the empty string:
// an id that is "" identifies nothing.
package identify

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
)

// Shape is what identifies the objects of one schema: the identifying keys, and the shapes of
// its properties whose values are objects, or arrays of objects, that are identified by keys of
// their own. An object nested under a property is checked when it is there, whether or not the
// property itself identifies.
type Shape struct {
	// Name is the schema's name in the spec.
	Name string
	// Keys are the identifying keys, in the spec's order; at most 64.
	Keys []string
	// Props are the shapes of the properties to descend into, by key.
	Props map[string]*Shape
}

// MissingError is an identifying key that a body lacks, or holds as null or "", with its path
// from the body's root, such as "data[1].user_id".
type MissingError struct {
	// Path is the key's path, in JSON's terms: keys joined by ".", array indexes in brackets.
	Path string
}

func (e *MissingError) Error() string { return "identifying key missing: " + e.Path }

// ErrSyntax is returned for a body that is not valid JSON where Check looked at it.
var ErrSyntax = errors.New("identify: not valid JSON")

// ErrNotObject is returned for a body that is not a JSON object.
var ErrNotObject = errors.New("identify: not a JSON object")

// Check reports, as a *MissingError, the first identifying key of s that body lacks, at any
// depth; or ErrNotObject or ErrSyntax. A nil s checks nothing. Keys match as encoding/json
// matches a field, without regard to ASCII case, escapes decoded. Check never panics and uses no
// stack for depth it does not descend into, whatever body holds; it allocates only for an
// escaped key or an error.
func Check(body []byte, s *Shape) error {
	if s == nil {
		return nil
	}
	sc := scanner{b: body}
	sc.ws()
	if sc.peek() != '{' {
		return ErrNotObject
	}
	return sc.object(s)
}

// scanner walks JSON text. It descends only into values that have a shape and skips the rest
// without recursion, so a deeply nested body costs no stack.
type scanner struct {
	b []byte
	i int
}

func (sc *scanner) peek() byte {
	if sc.i < len(sc.b) {
		return sc.b[sc.i]
	}
	return 0
}

func (sc *scanner) ws() {
	for sc.i < len(sc.b) {
		switch sc.b[sc.i] {
		case ' ', '\t', '\r', '\n':
			sc.i++
		default:
			return
		}
	}
}

// object checks the object at sc.i against s.
func (sc *scanner) object(s *Shape) error {
	sc.i++ // '{'
	var found uint64
	for first := true; ; first = false {
		sc.ws()
		if sc.peek() == '}' && first {
			sc.i++
			break
		}
		key, escaped, err := sc.str()
		if err != nil {
			return err
		}
		if escaped {
			var unescaped string
			if err := json.Unmarshal(sc.b[sc.i-len(key)-2:sc.i], &unescaped); err != nil {
				return ErrSyntax
			}
			key = []byte(unescaped)
		}
		idx := indexOf(s.Keys, key)
		child := propOf(s.Props, key)
		sc.ws()
		if sc.peek() != ':' {
			return ErrSyntax
		}
		sc.i++
		sc.ws()
		if idx >= 0 && sc.identifies() {
			found |= 1 << idx
		}
		if err := sc.value(child); err != nil {
			if m, ok := errors.AsType[*MissingError](err); ok {
				m.prefix(string(key))
			}
			return err
		}
		sc.ws()
		switch sc.peek() {
		case ',':
			sc.i++
			continue
		case '}':
			sc.i++
		default:
			return ErrSyntax
		}
		break
	}
	for i, k := range s.Keys {
		if found&(1<<i) == 0 {
			return &MissingError{Path: k}
		}
	}
	return nil
}

// identifies reports whether the value at sc.i can identify: anything but null and "".
func (sc *scanner) identifies() bool {
	rest := sc.b[sc.i:]
	return !bytes.HasPrefix(rest, []byte("null")) && !bytes.HasPrefix(rest, []byte(`""`))
}

// indexOf returns the index of key among keys, matched without regard to ASCII case, or -1.
func indexOf(keys []string, key []byte) int {
	for i, k := range keys {
		if equalFold(k, key) {
			return i
		}
	}
	return -1
}

// propOf returns the shape of the property key, matched exactly and else without regard to
// ASCII case (string(key) in a map index does not allocate).
func propOf(props map[string]*Shape, key []byte) *Shape {
	if len(props) == 0 {
		return nil
	}
	if s, ok := props[string(key)]; ok {
		return s
	}
	for k, s := range props {
		if equalFold(k, key) {
			return s
		}
	}
	return nil
}

// equalFold reports whether a and b are equal without regard to ASCII case.
func equalFold(a string, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// value checks the value at sc.i: an object against s, each object of an array against s, and
// anything else, or anything when s is nil, is skipped.
func (sc *scanner) value(s *Shape) error {
	if s == nil {
		return sc.skip()
	}
	switch sc.peek() {
	case '{':
		return sc.object(s)
	case '[':
		sc.i++
		for n := 0; ; n++ {
			sc.ws()
			if sc.peek() == ']' && n == 0 {
				sc.i++
				return nil
			}
			item := s
			if sc.peek() != '{' {
				item = nil // only objects are checked: an array in an array is skipped
			}
			if err := sc.value(item); err != nil {
				if m, ok := errors.AsType[*MissingError](err); ok {
					m.index(n)
				}
				return err
			}
			sc.ws()
			switch sc.peek() {
			case ',':
				sc.i++
			case ']':
				sc.i++
				return nil
			default:
				return ErrSyntax
			}
		}
	}
	return sc.skip()
}

// str reads the string at sc.i and returns its raw content and whether it holds escapes.
func (sc *scanner) str() (raw []byte, escaped bool, err error) {
	if sc.peek() != '"' {
		return nil, false, ErrSyntax
	}
	start := sc.i + 1
	for i := start; i < len(sc.b); i++ {
		switch sc.b[i] {
		case '\\':
			escaped = true
			i++ // the escaped byte; \uXXXX's digits are plain bytes
		case '"':
			sc.i = i + 1
			return sc.b[start:i], escaped, nil
		}
	}
	return nil, false, ErrSyntax
}

// skip moves past one value of any kind, counting brackets instead of recursing.
func (sc *scanner) skip() error {
	depth := 0
	for {
		sc.ws()
		switch c := sc.peek(); c {
		case '{', '[':
			depth++
			sc.i++
			continue
		case '}', ']':
			if depth == 0 {
				return ErrSyntax
			}
			depth--
			sc.i++
		case '"':
			if _, _, err := sc.str(); err != nil {
				return err
			}
		case 0:
			return ErrSyntax
		case ',', ':':
			if depth == 0 {
				return ErrSyntax
			}
			sc.i++
			continue
		default: // a number, true, false or null
			start := sc.i
			for sc.i < len(sc.b) && isLiteralByte(sc.b[sc.i]) {
				sc.i++
			}
			if sc.i == start {
				return ErrSyntax
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

func isLiteralByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'E'
}

// prefix puts the key of the object that holds the path in front of it.
func (e *MissingError) prefix(key string) {
	if e.Path[0] == '[' {
		e.Path = key + e.Path
	} else {
		e.Path = key + "." + e.Path
	}
}

// index puts the index of the array element that holds the path in front of it.
func (e *MissingError) index(n int) {
	if e.Path[0] == '[' {
		e.Path = "[" + strconv.Itoa(n) + "]" + e.Path
	} else {
		e.Path = "[" + strconv.Itoa(n) + "]." + e.Path
	}
}
