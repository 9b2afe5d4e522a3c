package kick

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/gen"
)

// ErrMissingScope is matched by errors.Is when a call needs a scope its user token was not
// granted. No request was sent. See *MissingScopeError.
var ErrMissingScope = errors.New("kick: the token lacks a scope this call needs")

// MissingScopeError reports a call that needs a scope the user token lacks, found before anything
// was sent: Kick would answer 403. The scopes an operation needs come from the spec (each
// method's documentation names them); the scopes a token was granted come from Kick's token
// answer ("scope"), which golang.org/x/oauth2 keeps as the token's extra "scope" and kickauth
// stores with the token. A token that does not say what it was granted (a static token without
// that extra) is sent as it is, and Kick decides. WithoutScopeCheck turns the check off. It
// matches ErrMissingScope.
type MissingScopeError struct {
	// Operation is the Kick operation id, such as "sendChatMessage".
	Operation string
	// Missing are the scopes the operation needs that the token was not granted: those of the
	// least an operation with alternatives accepts (listRewardRedemptions takes
	// channel:rewards:read, and channel:rewards:write instead).
	Missing []Scope
	// Alternatives are the other scopes the operation accepts instead of Missing, each list
	// enough by itself; nil for an operation with one set of scopes.
	Alternatives [][]Scope
	// Granted are the scopes the token was granted.
	Granted []Scope
}

// Error names the missing scopes and how to get them: the user must authorize the app again with
// them (kickauth's authorize flow with the scopes, or `kick auth login --scopes ...` for the CLI's
// store).
func (e *MissingScopeError) Error() string {
	need := joinScopes(e.Missing, " and ")
	for _, alt := range e.Alternatives {
		need += " (or " + joinScopes(alt, " and ") + ")"
	}
	return fmt.Sprintf("kick: %s: the user token lacks the scope %s (it was granted %s); authorize again with it, such as with 'kick auth login --scopes %s'",
		e.Operation, need, orNone(joinScopes(e.Granted, " ")), e.LoginScopes())
}

// LoginScopes is the --scopes value of `kick auth login` that asks for the scopes granted and
// those missing: comma-separated, in the order of AllScopes.
func (e *MissingScopeError) LoginScopes() string {
	var out []string
	for _, s := range AllScopes {
		for _, have := range [][]Scope{e.Granted, e.Missing} {
			if containsScope(have, s) {
				out = append(out, string(s))
				break
			}
		}
	}
	for _, s := range e.Granted { // a scope newer than this package
		if !containsScope(AllScopes, s) {
			out = append(out, string(s))
		}
	}
	return strings.Join(out, ",")
}

// Unwrap returns ErrMissingScope.
func (e *MissingScopeError) Unwrap() error { return ErrMissingScope }

// WithoutScopeCheck turns off the check of a user token's granted scopes before sending: every
// call is sent, and a token without a scope gets Kick's 403 (ErrForbidden). For a token whose
// recorded scopes are known to be stale.
func WithoutScopeCheck() Option {
	return func(cfg *config) error {
		cfg.noScopeCheck = true
		return nil
	}
}

// checkScopes returns a *MissingScopeError when tok says which scopes it was granted and lacks
// those op needs (every scope of one of its lists). It allocates nothing when the token has them.
func checkScopes(op *gen.Operation, tok *oauth2.Token) error {
	if len(op.Scopes) == 0 {
		return nil
	}
	granted, known := tok.Extra("scope").(string)
	if !known {
		return nil
	}
	for _, set := range op.Scopes {
		if hasAll(granted, set) {
			return nil
		}
	}
	e := &MissingScopeError{Operation: op.ID}
	for _, need := range op.Scopes[0] {
		if !hasScope(granted, Scope(need)) {
			e.Missing = append(e.Missing, Scope(need))
		}
	}
	for _, alt := range op.Scopes[1:] {
		scopes := make([]Scope, len(alt))
		for i, sc := range alt {
			scopes[i] = Scope(sc)
		}
		e.Alternatives = append(e.Alternatives, scopes)
	}
	for f := range strings.FieldsSeq(granted) {
		e.Granted = append(e.Granted, Scope(f))
	}
	return e
}

// hasAll reports whether the space-separated scopes include every one of set.
func hasAll(scopes string, set []string) bool {
	for _, s := range set {
		if !hasScope(scopes, Scope(s)) {
			return false
		}
	}
	return true
}

// hasScope reports whether the space-separated scopes include s.
func hasScope(scopes string, s Scope) bool {
	for f := range strings.FieldsSeq(scopes) {
		if f == string(s) {
			return true
		}
	}
	return false
}

func containsScope(list []Scope, s Scope) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joinScopes(list []Scope, sep string) string {
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = string(x)
	}
	return strings.Join(s, sep)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
