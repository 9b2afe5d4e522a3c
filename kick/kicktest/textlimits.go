package kicktest

import (
	"fmt"

	"github.com/rivo/uniseg"
)

// textLimit is a limit of a string property that JSON Schema cannot state, from the spec's
// extensions: x-kick-max-graphemes (grapheme clusters, Unicode UAX #29) and x-kick-max-bytes
// (bytes of UTF-8). Request validation checks maxLength (code points) only.
type textLimit struct {
	graphemes, bytes int // 0: no limit
}

// textLimitOf returns the limits of the property prop of the component schema schema.
func (sp *spec) textLimitOf(schema, prop string) textLimit {
	var l textLimit
	s := sp.doc.Components.Schemas[schema]
	if s == nil || s.Value == nil || s.Value.Properties[prop] == nil {
		return l
	}
	ext := s.Value.Properties[prop].Value.Extensions
	if n, ok := ext["x-kick-max-graphemes"].(float64); ok {
		l.graphemes = int(n)
	}
	if n, ok := ext["x-kick-max-bytes"].(float64); ok {
		l.bytes = int(n)
	}
	return l
}

// check returns why s breaks the limit, or "".
func (l textLimit) check(field, s string) string {
	if l.bytes > 0 && len(s) > l.bytes {
		return fmt.Sprintf("%s is %d bytes, at most %d allowed", field, len(s), l.bytes)
	}
	if n := uniseg.GraphemeClusterCount(s); l.graphemes > 0 && n > l.graphemes {
		return fmt.Sprintf("%s has %d characters, at most %d allowed", field, n, l.graphemes)
	}
	return ""
}
