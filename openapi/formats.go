package openapi

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// FormatsExtension is the top-level extension of kick.yaml that defines the string formats the
// document uses beyond OpenAPI's own: each name maps to a description and the pattern a valid
// value matches.
const FormatsExtension = "x-kick-formats"

// Formats returns the string formats kick.yaml defines in its x-kick-formats extension (ulid, uuid,
// hexcolor), each as the regular expression a valid value matches. kin-openapi ignores formats it
// does not know; pass FormatValidators to a validation to check them. The document is parsed once
// per process; each call returns a new map.
func Formats() (map[string]*regexp.Regexp, error) {
	f, err := formats()
	if err != nil {
		return nil, err
	}
	return maps.Clone(f), nil
}

// FormatValidators returns Formats as kin-openapi validators, for
// openapi3.WithStringFormatValidators.
func FormatValidators() (map[string]openapi3.StringFormatValidator, error) {
	f, err := formats()
	if err != nil {
		return nil, err
	}
	out := make(map[string]openapi3.StringFormatValidator, len(f))
	for name, re := range f {
		out[name] = openapi3.NewRegexpFormatValidator(re.String())
	}
	return out, nil
}

var formats = sync.OnceValues(func() (map[string]*regexp.Regexp, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(Spec)
	if err != nil {
		return nil, fmt.Errorf("openapi: parse kick.yaml: %w", err)
	}
	return parseFormats(doc)
})

// parseFormats reads the x-kick-formats extension of doc.
func parseFormats(doc *openapi3.T) (map[string]*regexp.Regexp, error) {
	raw, ok := doc.Extensions[FormatsExtension].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("openapi: kick.yaml has no %s object", FormatsExtension)
	}
	out := make(map[string]*regexp.Regexp, len(raw))
	for _, name := range slices.Sorted(maps.Keys(raw)) {
		def, _ := raw[name].(map[string]any)
		pattern, _ := def["pattern"].(string)
		if desc, _ := def["description"].(string); pattern == "" || desc == "" {
			return nil, fmt.Errorf("openapi: %s.%s needs a pattern and a description", FormatsExtension, name)
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, fmt.Errorf("openapi: %s.%s: %w", FormatsExtension, name, err)
		}
		out[name] = re
	}
	return out, nil
}
