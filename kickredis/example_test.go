package kickredis_test

import (
	"context"
	"log"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kickredis"
)

// These examples need a Redis server, so they are compiled but not run; the tests run the same
// code against a redis-server they start.

// Webhook receivers behind a load balancer share one deduplication store.
func ExampleNewWebhookStore() {
	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379", ContextTimeoutEnabled: true})
	dedup, err := kickredis.NewWebhookStore(rdb, kickredis.WithPrefix("mybot:"))
	if err != nil {
		log.Fatal(err)
	}
	h, err := webhook.NewHandler(webhook.WithStore(dedup))
	if err != nil {
		log.Fatal(err)
	}
	h.OnChatMessageSent(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChatMessageSent) error {
		log.Printf("%s: %s", e.Sender.Username, e.Content) // once per message, whichever replica got it
		return nil
	})
	_ = h // http.Handle("/kick/webhook", h)
}

// Workers on several hosts share users' tokens and one app token.
func ExampleNewTokenStore() {
	ctx := context.Background()
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"redis-1:6379", "redis-2:6379"}, ContextTimeoutEnabled: true})
	tokens, err := kickredis.NewTokenStore(rdb)
	if err != nil {
		log.Fatal(err)
	}
	cfg := kickauth.NewConfig("client-id", "client-secret", "https://bot.example/callback")
	users, err := kickauth.UserTokenSource(ctx, cfg, tokens, kickauth.StoreKey(cfg.ClientID, "alice"))
	if err != nil {
		log.Fatal(err)
	}
	apps := kickauth.AppTokenSource(ctx, cfg, kickauth.WithAppTokenStore(tokens, ""))
	_, _ = users, apps // kick.NewClient(kick.WithUserTokenSource(users), kick.WithAppTokenSource(apps))
}
