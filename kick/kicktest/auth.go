package kicktest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/kick-sdk/kick-go/kick"
)

// Security schemes of the spec.
const (
	schemeUser = "UserAccessToken"
	schemeApp  = "AppAccessToken"
)

// introspection operations answer {"active": false} for a token that is not active, rather than
// 401: they report on the token they are sent.
var introspection = map[string]bool{"introspectToken": true, "introspectTokenV1": true}

// authenticate checks the bearer token of an operation with security: a missing, unknown,
// expired or revoked token is answered 401, a token of the wrong kind or without the scope 403.
// It sets c.tok and reports whether to go on.
func (s *Server) authenticate(c *call) bool {
	sec := c.op.route.Operation.Security
	if sec == nil || len(*sec) == 0 {
		return true
	}
	bearer, ok := bearerToken(c.r)
	if !ok {
		c.fail(http.StatusUnauthorized, "Unauthorized")
		return false
	}
	var (
		active   bool
		snapshot token
	)
	s.locked(func() {
		tok := s.st.tokens[bearer]
		active = tok != nil && tok.active(s.cfg.now())
		if tok != nil {
			snapshot = *tok
		}
	})
	if introspection[c.op.id] {
		if active {
			c.tok = &snapshot
		}
		return true
	}
	if !active {
		c.fail(http.StatusUnauthorized, "Unauthorized")
		return false
	}
	c.tok = &snapshot
	var kindOK bool
	var missing []string
	for _, req := range *sec {
		for scheme, scopes := range req {
			if (scheme == schemeUser) != (snapshot.kind == kick.TokenKindUser) {
				continue
			}
			kindOK = true
			var lacks []string
			for _, sc := range scopes {
				if !snapshot.has(sc) {
					lacks = append(lacks, sc)
				}
			}
			if len(lacks) == 0 {
				return true
			}
			missing = append(missing, strings.Join(lacks, " and "))
		}
	}
	if !kindOK {
		want := "a user access token"
		if snapshot.kind == kick.TokenKindUser {
			want = "an app access token"
		}
		c.fail(http.StatusForbidden, "Forbidden: this endpoint needs %s", want)
		return false
	}
	c.fail(http.StatusForbidden, "Forbidden: the token lacks the scope %s", strings.Join(missing, " or "))
	return false
}

// bearerToken returns the token of an "Authorization: Bearer <token>" header.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// userID returns the user of the call's token, 0 for an app token.
func (c *call) userID() int64 {
	if c.tok == nil || c.tok.kind != kick.TokenKindUser {
		return 0
	}
	return c.tok.userID
}

func (c *call) isApp() bool { return c.tok != nil && c.tok.kind == kick.TokenKindApp }

// String describes a token without its secret, for test failures.
func (t *token) String() string {
	return fmt.Sprintf("%s token of user %d (%s)", t.kind, t.userID, t.scope())
}
