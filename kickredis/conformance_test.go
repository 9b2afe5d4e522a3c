package kickredis_test

import (
	"testing"

	"github.com/redis/go-redis/v9"

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
	forEachClientMode(t, func(t *testing.T, direct bool) {
		webhooktest.TestStore(t, func(t *testing.T) webhook.Store {
			c, _ := newClientWith(t, &redis.Options{Addr: srv.Addr, ContextTimeoutEnabled: direct})
			s, err := kickredis.NewWebhookStore(c, kickredis.WithPrefix(newPrefix()))
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
}

func TestTokenStoreConformance(t *testing.T) {
	t.Parallel()
	srv := server(t)
	forEachClientMode(t, func(t *testing.T, direct bool) {
		kickauthtest.TestTokenStore(t, func(t *testing.T) kickauth.TokenStore {
			c, _ := newClientWith(t, &redis.Options{Addr: srv.Addr, ContextTimeoutEnabled: direct})
			s, err := kickredis.NewTokenStore(c, kickredis.WithPrefix(newPrefix()))
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
}

// A Ring (one shard here) is a redis.UniversalClient too: the scripts' keys route to one shard.
func TestRingConformance(t *testing.T) {
	t.Parallel()
	srv := server(t)
	ring := func(t *testing.T) *redis.Ring {
		r := redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"a": srv.Addr}, ContextTimeoutEnabled: true})
		t.Cleanup(func() { _ = r.Close() })
		return r
	}
	t.Run("webhook", func(t *testing.T) {
		t.Parallel()
		webhooktest.TestStore(t, func(t *testing.T) webhook.Store {
			s, err := kickredis.NewWebhookStore(ring(t), kickredis.WithPrefix(newPrefix()))
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
	t.Run("tokens", func(t *testing.T) {
		t.Parallel()
		kickauthtest.TestTokenStore(t, func(t *testing.T) kickauth.TokenStore {
			s, err := kickredis.NewTokenStore(ring(t), kickredis.WithPrefix(newPrefix()))
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
}
