package kickauth

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/internal/redact"
)

// ErrReauthorize is matched by errors.Is when a user token cannot be had without the user
// authorizing the app again: Kick rejected the refresh token or the authorization code
// (invalid_grant), or there is no token, or no refresh token, to refresh with. Retrying does not
// help; send the user through the authorize flow (NewAuthRequest, Exchange, UserSource.SetToken).
// See *ReauthorizeError for the details.
var ErrReauthorize = errors.New("kickauth: the user must authorize the app again")

// ReauthorizeError is the error behind ErrReauthorize. It never holds a token.
//
// Kick's refresh tokens have been seen to stop working after 30 to 90 days, and a user can revoke
// an app's access at any time; both surface here as Code "invalid_grant".
type ReauthorizeError struct {
	// Key is the TokenStore key of the user token; empty for an authorization code exchange.
	Key string
	// Code is the OAuth error code of the token endpoint, such as "invalid_grant"; empty when no
	// request was made (no token, or no refresh token).
	Code string
	// Description is the token endpoint's error_description, or why no request was made.
	Description string
	// Err is the cause: an *oauth2.RetrieveError, an error matching ErrNoToken, or nil.
	Err error
}

// Error describes the failure in one line.
func (e *ReauthorizeError) Error() string {
	var b strings.Builder
	b.WriteString(ErrReauthorize.Error())
	if e.Key != "" {
		fmt.Fprintf(&b, " (key %q)", e.Key)
	}
	if e.Code != "" {
		b.WriteString(": " + e.Code)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrReauthorize) true.
func (e *ReauthorizeError) Is(target error) bool { return target == ErrReauthorize }

// Unwrap returns the cause.
func (e *ReauthorizeError) Unwrap() error { return e.Err }

// redactedError is an error whose message has secrets removed; Unwrap keeps the original for
// errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// maxBodyInError bounds how much of a non-OAuth error body goes into an error message.
const maxBodyInError = 200

// userTokenError turns an error of a user token request (code exchange or refresh) into ours:
// invalid_grant into a *ReauthorizeError, anything else as requestError does.
func userTokenError(action, key string, err error, secrets ...string) error {
	sec := redact.New(secrets...)
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
		return &ReauthorizeError{Key: key, Code: re.ErrorCode, Description: sec.String(re.ErrorDescription), Err: scrubChain(err, sec)}
	}
	return requestError(action, err, secrets...)
}

// requestError turns an error of a token request into one whose message names the action and
// holds at most the start of a non-OAuth error body, and in whose chain no secret of the request
// remains (the refresh token, the code, the verifier, the client secret, in the forms redact
// knows: a misbehaving server may echo them). The chain keeps x/oauth2's *oauth2.RetrieveError,
// a copy with the secrets redacted from its Body and fields.
func requestError(action string, err error, secrets ...string) error {
	sec := redact.New(secrets...)
	err = scrubChain(err, sec)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return &redactedError{msg: sec.String("kickauth: " + action + ": " + err.Error()), err: err}
	}
	var b strings.Builder
	b.WriteString("kickauth: " + action + ": token endpoint answered")
	if re.Response != nil {
		b.WriteString(" " + re.Response.Status)
	}
	switch {
	case re.ErrorCode != "":
		b.WriteString(": " + re.ErrorCode)
		if re.ErrorDescription != "" {
			b.WriteString(": " + re.ErrorDescription)
		}
	case len(re.Body) > 0:
		body := string(re.Body)
		if len(body) > maxBodyInError {
			body = body[:maxBodyInError] + "..."
		}
		b.WriteString(": " + strings.Join(strings.Fields(body), " "))
	}
	return &redactedError{msg: sec.String(b.String()), err: err}
}

// scrubChain returns err with the secrets redacted from its chain: an *oauth2.RetrieveError (which
// x/oauth2 returns as is) becomes a copy with the secrets replaced in its Body, code, description
// and URI; any other error as redact does it.
func scrubChain(err error, sec *redact.Secrets) error {
	re, ok := err.(*oauth2.RetrieveError) //nolint:errorlint // x/oauth2 returns it unwrapped; a wrapped one is scrubbed below
	if !ok {
		return sec.Error(err)
	}
	c := *re
	c.Body = []byte(sec.String(string(re.Body)))
	c.ErrorCode = sec.String(re.ErrorCode)
	c.ErrorDescription = sec.String(re.ErrorDescription)
	c.ErrorURI = sec.String(re.ErrorURI)
	return &c
}

// scrub replaces every secret in s, in the forms redact knows.
func scrub(s string, secrets ...string) string {
	return redact.New(secrets...).String(s)
}
