package kickredis_test

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kickredis"
)

// The benchmarks run each operation on the in-memory store and on Redis (the shared loopback
// redis-server) in the same run, and report the Redis commands sent per operation as
// roundtrips/op (the stores send no pipelines, so each command is a round trip). impl=raw sends
// the same commands with go-redis directly: the baseline of what the store adds.

// redisClient returns a connected client of the shared server and its command counter.
func redisClient(b *testing.B) (*redis.Client, *atomic.Int64) {
	c, n := newClient(b, server(b).Addr)
	if err := c.Ping(context.Background()).Err(); err != nil { // dials, outside the count
		b.Fatal(err)
	}
	return c, n
}

func reportTrips(b *testing.B, n *atomic.Int64, start int64) {
	b.ReportMetric(float64(n.Load()-start)/float64(b.N), "roundtrips/op")
}

// One delivery's work in the store: Claim of a new message id, then Complete.
func BenchmarkWebhookClaimComplete(b *testing.B) {
	ctx := context.Background()
	run := func(b *testing.B, s webhook.Store) {
		var seq atomic.Int64
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			id := "01JQBWZ" + strconv.FormatInt(seq.Add(1), 10)
			if err := s.Claim(ctx, id, webhook.ClaimTTL); err != nil {
				b.Fatal(err)
			}
			if err := s.Complete(ctx, id, webhook.DefaultDedupTTL); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("impl=memory", func(b *testing.B) { run(b, webhook.NewMemoryStore(0)) })
	b.Run("impl=raw", func(b *testing.B) {
		c, n := redisClient(b)
		prefix := newPrefix()
		var seq atomic.Int64
		start := n.Load()
		b.ReportAllocs()
		for b.Loop() {
			key := prefix + "webhook:01JQBWZ" + strconv.FormatInt(seq.Add(1), 10)
			if err := c.Do(ctx, "SET", key, "c:x", "NX", "PX", webhook.ClaimTTL.Milliseconds(), "GET").Err(); !errors.Is(err, redis.Nil) {
				b.Fatal(err)
			}
			if err := c.Set(ctx, key, "d", webhook.DefaultDedupTTL).Err(); err != nil {
				b.Fatal(err)
			}
		}
		reportTrips(b, n, start)
	})
	b.Run("impl=redis", func(b *testing.B) {
		c, n := redisClient(b)
		s := newWebhookStore(b, c, kickredis.WithPrefix(newPrefix()), kickredis.WithTimeout(10*time.Second))
		start := n.Load()
		run(b, s)
		reportTrips(b, n, start)
	})
}

// A duplicate delivery: Claim of a completed id.
func BenchmarkWebhookDuplicate(b *testing.B) {
	ctx := context.Background()
	run := func(b *testing.B, s webhook.Store) {
		if err := s.Complete(ctx, "dup", time.Hour); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if err := s.Claim(ctx, "dup", webhook.ClaimTTL); !errors.Is(err, webhook.ErrDuplicate) {
				b.Fatal(err)
			}
		}
	}
	b.Run("impl=memory", func(b *testing.B) { run(b, webhook.NewMemoryStore(0)) })
	b.Run("impl=raw", func(b *testing.B) {
		c, n := redisClient(b)
		key := newPrefix() + "webhook:dup"
		if err := c.Set(ctx, key, "d", time.Hour).Err(); err != nil {
			b.Fatal(err)
		}
		start := n.Load()
		b.ReportAllocs()
		for b.Loop() {
			if v, err := c.Do(ctx, "SET", key, "c:x", "NX", "PX", webhook.ClaimTTL.Milliseconds(), "GET").Text(); err != nil || v != "d" {
				b.Fatal(v, err)
			}
		}
		reportTrips(b, n, start)
	})
	b.Run("impl=redis", func(b *testing.B) {
		c, n := redisClient(b)
		s := newWebhookStore(b, c, kickredis.WithPrefix(newPrefix()), kickredis.WithTimeout(10*time.Second))
		start := n.Load()
		run(b, s)
		reportTrips(b, n, start)
	})
}

// A token read: TokenStore.Load of a saved user token.
func BenchmarkTokenLoad(b *testing.B) {
	ctx := context.Background()
	tok := (&oauth2.Token{AccessToken: "at", TokenType: "Bearer", RefreshToken: "rt", Expiry: time.Now().Add(time.Hour)}).
		WithExtra(map[string]any{"scope": "user:read chat:write"})
	key := kickauth.StoreKey("01JQB", "alice")
	run := func(b *testing.B, s kickauth.TokenStore) {
		if err := s.Save(ctx, key, tok); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if _, err := s.Load(ctx, key); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("impl=memory", func(b *testing.B) { run(b, kickauth.NewMemoryStore()) })
	b.Run("impl=file", func(b *testing.B) {
		s, err := kickauth.NewFileStore(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		run(b, s)
	})
	b.Run("impl=raw", func(b *testing.B) {
		c, n := redisClient(b)
		prefix := newPrefix()
		s := newTokenStore(b, c, kickredis.WithPrefix(prefix))
		if err := s.Save(ctx, key, tok); err != nil {
			b.Fatal(err)
		}
		rkey := prefix + "token:{" + key + "}"
		start := n.Load()
		b.ReportAllocs()
		for b.Loop() {
			if err := c.HMGet(ctx, rkey, "v", "access_token", "token_type", "refresh_token", "expiry", "scope").Err(); err != nil {
				b.Fatal(err)
			}
		}
		reportTrips(b, n, start)
	})
	b.Run("impl=redis", func(b *testing.B) {
		c, n := redisClient(b)
		s := newTokenStore(b, c, kickredis.WithPrefix(newPrefix()), kickredis.WithTimeout(10*time.Second), kickredis.WithLease(time.Minute))
		start := n.Load()
		run(b, s)
		reportTrips(b, n, start)
	})
}

// The store's share of one refresh: take the key's lock, load the token, save the new one, unlock.
func BenchmarkTokenRefreshStoreWork(b *testing.B) {
	ctx := context.Background()
	tok := &oauth2.Token{AccessToken: "at", TokenType: "Bearer", RefreshToken: "rt", Expiry: time.Now().Add(time.Hour)}
	key := kickauth.StoreKey("01JQB", "alice")
	b.Run("impl=memory", func(b *testing.B) {
		s := kickauth.NewMemoryStore()
		_ = s.Save(ctx, key, tok)
		b.ReportAllocs()
		for b.Loop() {
			unlock, err := s.Lock(ctx, key)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.Load(ctx, key); err != nil {
				b.Fatal(err)
			}
			if err := s.Save(ctx, key, tok); err != nil {
				b.Fatal(err)
			}
			_ = unlock()
		}
	})
	b.Run("impl=redis", func(b *testing.B) {
		c, n := redisClient(b)
		s := newTokenStore(b, c, kickredis.WithPrefix(newPrefix()), kickredis.WithTimeout(10*time.Second), kickredis.WithLease(time.Minute))
		_ = s.Save(ctx, key, tok)
		warm, _ := s.LockLease(ctx, key)
		_ = s.SaveFenced(ctx, key, tok, warm.Fence())
		_ = warm.Unlock()
		start := n.Load()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			l, err := s.LockLease(ctx, key)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.Load(ctx, key); err != nil {
				b.Fatal(err)
			}
			if err := s.SaveFenced(ctx, key, tok, l.Fence()); err != nil {
				b.Fatal(err)
			}
			if err := l.Unlock(); err != nil {
				b.Fatal(err)
			}
		}
		reportTrips(b, n, start)
	})
}
