package kickredis_test

import (
	"testing"

	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kickauth/kickauthtest"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
	"github.com/kick-sdk/kick-go/kickredis"
)

// The Redis stores pass the suites the memory and file stores pass.
func TestWebhookStoreConformance(t *testing.T) {
	t.Parallel()
	srv := server(t)
	webhooktest.TestStore(t, func(t *testing.T) webhook.Store {
		c, _ := newClient(t, srv.Addr)
		s, err := kickredis.NewWebhookStore(c, kickredis.WithPrefix(newPrefix()))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestTokenStoreConformance(t *testing.T) {
	t.Parallel()
	srv := server(t)
	kickauthtest.TestTokenStore(t, func(t *testing.T) kickauth.TokenStore {
		c, _ := newClient(t, srv.Addr)
		s, err := kickredis.NewTokenStore(c, kickredis.WithPrefix(newPrefix()))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
