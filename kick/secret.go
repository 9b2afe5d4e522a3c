package kick

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// Secret is a credential: a stream key, an access or refresh token, a client secret, an
// authorization code, a PKCE verifier. It is a string that never shows itself by accident:
// printing it with fmt (any verb, also inside a struct), logging it with log/slog, and marshaling
// it as JSON or text all give "REDACTED" ("" when it is empty). Reveal returns the secret itself,
// for the one place that needs it:
//
//	req.Header.Set("Authorization", "Bearer "+tok.AccessToken.Reveal())
//
// A model holding a secret (Channel, Stream, Token, TokenRequestParams) marshals it as "REDACTED" too;
// wrap the model in Reveal to marshal its secrets in clear, as a token store must:
//
//	b, err := json.Marshal(kick.Reveal(tok)) // {"access_token":"<the token>",...}
//
// Unmarshaling takes the value as it is, so that a revealed model round-trips; a redacted one
// decodes to the literal "REDACTED", which is not the secret.
type Secret string

// redacted is what a non-empty secret prints and marshals as.
const redacted = "REDACTED"

// Reveal returns the secret.
func (s Secret) Reveal() string { return string(s) }

// String returns "REDACTED", or "" when the secret is empty.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString returns `"REDACTED"`, or `""` when the secret is empty: the Go syntax of the redacted
// value, for %#v.
func (s Secret) GoString() string { return fmt.Sprintf("%q", s.String()) }

// Format writes the redacted secret for every verb and flag, so that even a verb fmt considers
// wrong for a string (%d), which bypasses String, cannot print it.
func (s Secret) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), s.String())
}

// LogValue returns "REDACTED", or "" when the secret is empty, for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText returns "REDACTED", or "" when the secret is empty, so that encoding/json, the JSON
// handler of log/slog and every text encoder write no secret. Marshal Reveal(model) to keep it.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// text is the secret as a model marshals it: in clear when reveal is set.
func (s Secret) text(reveal bool) string {
	if reveal {
		return string(s)
	}
	return s.String()
}

func (s Secret) marshalJSON(reveal bool) ([]byte, error) { return json.Marshal(s.text(reveal)) }

// secretHolder is a type whose JSON holds secrets: Secret and the models that contain one.
// Marshaling with reveal false is what its MarshalJSON does.
type secretHolder interface {
	marshalJSON(reveal bool) ([]byte, error)
}

// Revealed is a model that marshals as JSON with its secrets in clear; Reveal makes one. It is
// the only way to write a secret as JSON: the model's own MarshalJSON redacts it.
type Revealed[T secretHolder] struct {
	// Value is the model.
	Value T
}

// Reveal wraps v so that json.Marshal writes its secrets in clear: the stream key of a Channel or
// Stream, the tokens of a Token, the secrets of a TokenRequestParams, a Secret itself. Everything else
// is marshaled as v marshals it; fmt and log/slog still redact. To reveal the elements of a slice,
// wrap each one.
func Reveal[T secretHolder](v T) Revealed[T] { return Revealed[T]{Value: v} }

// MarshalJSON marshals Value with its secrets in clear.
func (r Revealed[T]) MarshalJSON() ([]byte, error) { return r.Value.marshalJSON(true) }

// UnmarshalJSON unmarshals into Value, which is what unmarshaling into the model does.
func (r *Revealed[T]) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &r.Value) }
