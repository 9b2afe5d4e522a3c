package webhook

import (
	"errors"
	"fmt"

	"github.com/kick-sdk/kick-go/kick/internal/identify"
)

// The acceptance table, payloadShapes in fields_gen.go, is written from the webhook payload
// schemas of openapi/kick.yaml and their x-kick-identifying extensions.

// checkFields reports, as an error matching ErrMissingField, the first key that identifies a
// payload of key's type and body lacks (absent, null or ""), at any depth. It checks no types:
// Decode does. Body need not be valid JSON; checkFields never panics on it and reports an error
// matching ErrMissingField, or the syntax error it found.
func checkFields(key eventKey, body []byte) error {
	s, ok := payloadShapes[key]
	if !ok {
		return nil
	}
	err := identify.Check(body, s)
	if m, ok := errors.AsType[*identify.MissingError](err); ok {
		return &missingError{path: m.Path}
	}
	switch {
	case errors.Is(err, identify.ErrNotObject):
		return errors.New("payload is not a JSON object")
	case errors.Is(err, identify.ErrSyntax):
		return errors.New("payload is not valid JSON")
	}
	return err
}

// missingError is an identifying key that a payload lacks, with its path from the payload's root.
type missingError struct{ path string }

func (e *missingError) Error() string { return fmt.Sprintf("%v: %s", ErrMissingField, e.path) }
func (e *missingError) Unwrap() error { return ErrMissingField }
