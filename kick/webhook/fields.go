package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// The table of required fields, payloadShapes in fields_gen.go, is written from the webhook
// payload schemas of openapi/kick.yaml.
//go:generate go run ../../tools/webhookfields -o fields_gen.go

// shape is what a payload schema requires of a JSON object: the keys it must have, and the shapes
// of its properties whose values are objects, or arrays of objects, that require keys of their
// own. A required key may hold null: Kick has sent null where the docs promise a value, and
// Decode reads it as the zero value.
type shape struct {
	name     string // the schema's name in the spec
	required []string
	props    map[string]*shape
}

// keyAliases are the keys Decode reads in place of a required key, by schema: Kick has sent a
// stream's category under "Category" (see LivestreamMetadata.UnmarshalJSON).
var keyAliases = map[string]map[string]string{
	"LivestreamMetadata": {"Category": "category"},
}

// checkFields reports, as an error matching ErrMissingField, the first key that the payload
// schema of key requires and body lacks. It checks no types: Decode does. Body need not be valid
// JSON; checkFields never panics on it and reports an error matching ErrMissingField or the
// syntax error it found.
func checkFields(key eventKey, body []byte) error {
	s, ok := payloadShapes[key]
	if !ok {
		return nil
	}
	sc := scanner{b: body}
	sc.ws()
	if sc.peek() != '{' {
		return errors.New("payload is not a JSON object")
	}
	return sc.object(s)
}

// scanner walks JSON text. It descends only into values that have a shape and skips the rest
// without recursion, so a deeply nested body costs no stack.
type scanner struct {
	b []byte
	i int
}

var errSyntax = errors.New("payload is not valid JSON")

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
func (sc *scanner) object(s *shape) error {
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
				return errSyntax
			}
			key = []byte(unescaped)
		}
		// string(key) in a comparison or a map index does not allocate.
		idx := indexOf(s.required, key)
		child := s.props[string(key)]
		if idx < 0 && child == nil {
			if alias, ok := keyAliases[s.name][string(key)]; ok {
				idx, child = indexOf(s.required, []byte(alias)), s.props[alias]
			}
		}
		if idx >= 0 {
			found |= 1 << idx
		}
		sc.ws()
		if sc.peek() != ':' {
			return errSyntax
		}
		sc.i++
		sc.ws()
		if err := sc.value(child); err != nil {
			if path, ok := errors.AsType[*missingError](err); ok {
				path.prefix(string(key))
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
			return errSyntax
		}
		break
	}
	for i, k := range s.required {
		if found&(1<<i) == 0 {
			return &missingError{path: k}
		}
	}
	return nil
}

func indexOf(keys []string, key []byte) int {
	for i, k := range keys {
		if k == string(key) {
			return i
		}
	}
	return -1
}

// value checks the value at sc.i: an object against s, each object of an array against s, and
// anything else, or anything when s is nil, is skipped.
func (sc *scanner) value(s *shape) error {
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
			if err := sc.value(itemShape(s, sc.peek())); err != nil {
				if path, ok := errors.AsType[*missingError](err); ok {
					path.index(n)
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
				return errSyntax
			}
		}
	}
	return sc.skip()
}

// itemShape is the shape an array element starting with c is checked against: s for an object,
// none for anything else (an array in an array is skipped).
func itemShape(s *shape, c byte) *shape {
	if c == '{' {
		return s
	}
	return nil
}

// str reads the string at sc.i and returns its raw content and whether it holds escapes.
func (sc *scanner) str() (raw []byte, escaped bool, err error) {
	if sc.peek() != '"' {
		return nil, false, errSyntax
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
	return nil, false, errSyntax
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
				return errSyntax
			}
			depth--
			sc.i++
		case '"':
			if _, _, err := sc.str(); err != nil {
				return err
			}
		case 0:
			return errSyntax
		case ',', ':':
			if depth == 0 {
				return errSyntax
			}
			sc.i++
			continue
		default: // a number, true, false or null
			start := sc.i
			for sc.i < len(sc.b) && isLiteralByte(sc.b[sc.i]) {
				sc.i++
			}
			if sc.i == start {
				return errSyntax
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

// missingError is a required key that a payload lacks, with its path from the payload's root.
type missingError struct{ path string }

func (e *missingError) Error() string { return fmt.Sprintf("%v: %s", ErrMissingField, e.path) }
func (e *missingError) Unwrap() error { return ErrMissingField }

// prefix puts the key of the object that holds the path in front of it.
func (e *missingError) prefix(key string) {
	if e.path[0] == '[' {
		e.path = key + e.path
	} else {
		e.path = key + "." + e.path
	}
}

// index puts the index of the array element that holds the path in front of it.
func (e *missingError) index(n int) {
	if e.path[0] == '[' {
		e.path = "[" + strconv.Itoa(n) + "]" + e.path
	} else {
		e.path = "[" + strconv.Itoa(n) + "]." + e.path
	}
}
