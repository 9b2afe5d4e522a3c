package kickauth_test

import (
	"testing"

	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kickauth/kickauthtest"
)

// The stores of this package pass the suite users run on their own stores.
func TestMemoryStoreConformance(t *testing.T) {
	t.Parallel()
	kickauthtest.TestTokenStore(t, func(*testing.T) kickauth.TokenStore { return kickauth.NewMemoryStore() })
}

func TestFileStoreConformance(t *testing.T) {
	t.Parallel()
	kickauthtest.TestTokenStore(t, func(t *testing.T) kickauth.TokenStore { return newFileStore(t) })
}
