package kick

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick/internal/pkce"
)

// TestVerifierRuleMatchesSpec holds pkce.Check, which Tokens.Request and kickauth.Exchange share,
// to the spec's AuthorizationCodeGrant.code_verifier: its length limits and, byte by byte, its
// pattern.
func TestVerifierRuleMatchesSpec(t *testing.T) {
	t.Parallel()
	if pkce.MinLen != gen.LimitAuthorizationCodeGrantCodeVerifierMinLength || pkce.MaxLen != gen.LimitAuthorizationCodeGrantCodeVerifierMaxLength {
		t.Errorf("pkce limits %d..%d, spec %d..%d", pkce.MinLen, pkce.MaxLen,
			gen.LimitAuthorizationCodeGrantCodeVerifierMinLength, gen.LimitAuthorizationCodeGrantCodeVerifierMaxLength)
	}
	pattern := regexp.MustCompile(gen.LimitAuthorizationCodeGrantCodeVerifierPattern)
	for c := range 256 {
		v := strings.Repeat(string([]byte{byte(c)}), pkce.MinLen)
		if spec, ours := pattern.MatchString(v), pkce.Check(v) == nil; spec != ours {
			t.Errorf("byte %#x: the spec's pattern says %v, pkce.Check %v", c, spec, ours)
		}
	}
}
