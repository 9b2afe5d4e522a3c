package kickauth

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Redacted prints and logs a token without its secrets; see Redact.
type Redacted struct{ tok *oauth2.Token }

// Redact wraps tok for printing and logging: String, GoString, Format and LogValue show the
// token type, expiry, scope and whether an access and a refresh token are present, never their
// values.
//
// *oauth2.Token itself has no such methods: fmt and slog print its fields, secrets included.
// Never print or log an *oauth2.Token; print Redact(tok).
//
//	logger.Info("authorized", "token", kickauth.Redact(tok))
func Redact(tok *oauth2.Token) Redacted { return Redacted{tok} }

// String describes the token without its secrets.
func (r Redacted) String() string { return describeToken(r.tok) }

// GoString is String.
func (r Redacted) GoString() string { return r.String() }

// Format prints String for every verb.
func (r Redacted) Format(f fmt.State, verb rune) { writeRedacted(f, verb, r.String()) }

// LogValue logs the token's type, expiry and scope, and its secrets as "REDACTED".
func (r Redacted) LogValue() slog.Value { return tokenLogValue(r.tok) }

// describeToken is the one-line description of tok used by every type that holds a token.
func describeToken(tok *oauth2.Token) string {
	if tok == nil {
		return "kickauth.Token(nil)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "kickauth.Token{Type: %s, AccessToken: %s, RefreshToken: %s", tok.Type(),
		redactedMark(tok.AccessToken), redactedMark(tok.RefreshToken))
	if !tok.Expiry.IsZero() {
		fmt.Fprintf(&b, ", Expiry: %s", tok.Expiry.UTC().Format(time.RFC3339))
	}
	if s := tokenScope(tok); s != "" {
		fmt.Fprintf(&b, ", Scope: %q", s)
	}
	b.WriteString("}")
	return b.String()
}

// tokenLogValue is the slog value of tok used by every type that holds a token.
func tokenLogValue(tok *oauth2.Token) slog.Value {
	if tok == nil {
		return slog.StringValue("<nil>")
	}
	attrs := []slog.Attr{
		slog.String("type", tok.Type()),
		slog.String("access_token", logMark(tok.AccessToken)),
		slog.String("refresh_token", logMark(tok.RefreshToken)),
	}
	if !tok.Expiry.IsZero() {
		attrs = append(attrs, slog.Time("expiry", tok.Expiry))
	}
	if s := tokenScope(tok); s != "" {
		attrs = append(attrs, slog.String("scope", s))
	}
	return slog.GroupValue(attrs...)
}

// tokenScope returns the space-separated scopes Kick granted, from the token response's "scope".
func tokenScope(tok *oauth2.Token) string {
	s, _ := tok.Extra("scope").(string)
	return s
}

// redactedMark stands in for a secret: "REDACTED" if it is set, `""` if not, so a reader can still
// tell a missing refresh token from a present one.
func redactedMark(secret string) string {
	if secret == "" {
		return `""`
	}
	return "REDACTED"
}

// logMark is redactedMark for slog, whose handlers quote an empty string themselves.
func logMark(secret string) string {
	if secret == "" {
		return ""
	}
	return "REDACTED"
}

// writeRedacted writes s, the safe description of a value, whatever the verb: a Format method that
// delegated other verbs to fmt would let %d or %x print the fields.
func writeRedacted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = io.WriteString(f, s)
}
