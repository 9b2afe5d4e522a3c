package kick

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/gen"
)

// TestOnlyTokensNarrowsACall: onlyTokens narrows one call to fewer token kinds than its operation
// accepts, and leaves the operation as it is; narrowing to a kind the operation does not accept
// panics, so that a spec change that breaks a narrowing fails every test of the method.
func TestOnlyTokensNarrowsACall(t *testing.T) {
	t.Parallel()
	cl := newCall(gen.GetUsers.Operation, []RequestOption{onlyTokens(TokenKindUser)})
	if diff := cmp.Diff([]TokenKind{TokenKindUser}, cl.kinds); diff != "" {
		t.Errorf("Users.Me's kinds (-want +got):\n%s", diff)
	}
	if !slices.Equal(gen.GetUsers.Tokens, []string{"user", "app"}) {
		t.Errorf("narrowing changed the operation: %v", gen.GetUsers.Tokens)
	}
	if cl := newCall(gen.GetUsersLivestreams.Operation, nil); !slices.Equal(cl.kinds, []TokenKind{TokenKindApp, TokenKindUser}) {
		t.Errorf("a call without narrowing takes the operation's kinds in order: %v", cl.kinds)
	}
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "listDropsClaims does not accept user tokens") {
			t.Errorf("narrowing to a kind the operation does not accept: panic %q", msg)
		}
	}()
	newCall(gen.ListDropsClaims.Operation, []RequestOption{onlyTokens(TokenKindUser)})
}
