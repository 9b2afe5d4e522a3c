// Package pkce checks PKCE code verifiers (RFC 7636, section 4.1) for kick.TokensService.Request
// and kickauth.Exchange, so that both refuse the same verifiers before sending one.
package pkce

import "fmt"

// Length limits of a code verifier (RFC 7636 section 4.1; the spec's AuthorizationCodeGrant).
const (
	MinLen = 43
	MaxLen = 128
)

// Check reports what is wrong with v as a code verifier: 43 to 128 characters of A-Z, a-z, 0-9,
// "-", ".", "_" and "~". The error never quotes v, which is a secret.
func Check(v string) error {
	if n := len(v); n < MinLen || n > MaxLen {
		return fmt.Errorf("has %d characters, %d to %d required", n, MinLen, MaxLen)
	}
	for i := 0; i < len(v); i++ {
		if !unreserved(v[i]) {
			return fmt.Errorf("has a character other than A-Z, a-z, 0-9, \"-\", \".\", \"_\" and \"~\" at byte %d", i)
		}
	}
	return nil
}

// unreserved reports whether c is an unreserved URI character, the alphabet of a verifier.
func unreserved(c byte) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return true
	}
	return c == '-' || c == '.' || c == '_' || c == '~'
}
