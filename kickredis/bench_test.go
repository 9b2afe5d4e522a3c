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
// roundtrips/op (the stores send no pipelines, so each command is a round trip).
// BenchmarkRedisOverhead compares the stores with the same commands sent by go-redis directly.

// redisClient returns a connected client of the shared server and its command counter.
func redisClient(b *testing.B, direct bool) (*redis.Client, *atomic.Int64) {
	c, n := newClientWith(b, &redis.Options{Addr: server(b).Addr, ContextTimeoutEnabled: direct})
	if err := c.Ping(context.Background()).Err(); err != nil { // dials, outside the count
		b.Fatal(err)
	}
	return c, n
}

// loop runs op b.N times and reports the round trips per op counted by n.
func loop(b *testing.B, n *atomic.Int64, op func(i int)) {
	var start int64
	if n != nil {
		start = n.Load()
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		op(i)
		i++
	}
	if n != nil {
		b.ReportMetric(float64(n.Load()-start)/float64(b.N), "roundtrips/op")
	}
}

var testToken = (&oauth2.Token{AccessToken: "at", TokenType: "Bearer", RefreshToken: "rt", Expiry: time.Now().Add(time.Hour)}).
	WithExtra(map[string]any{"scope": "user:read chat:write"})

var benchKey = kickauth.StoreKey("01JQB", "alice")

func claimComplete(b *testing.B, s webhook.Store) func(int) {
	return func(i int) {
		id := "01JQBWZ" + strconv.Itoa(i)
		if err := s.Claim(context.Background(), id, webhook.ClaimTTL); err != nil {
			b.Fatal(err)
		}
		if err := s.Complete(context.Background(), id, webhook.DefaultDedupTTL); err != nil {
			b.Fatal(err)
		}
	}
}

func newBenchWebhookStore(b *testing.B, c redis.UniversalClient) *kickredis.WebhookStore {
	return newWebhookStore(b, c, kickredis.WithPrefix(newPrefix()), kickredis.WithTimeout(10*time.Second))
}

func newBenchTokenStore(b *testing.B, c redis.UniversalClient) *kickredis.TokenStore {
	s := newTokenStore(b, c, kickredis.WithPrefix(newPrefix()), kickredis.WithTimeout(10*time.Second), kickredis.WithLease(time.Minute))
	if err := s.Save(context.Background(), benchKey, testToken); err != nil {
		b.Fatal(err)
	}
	return s
}

// One new delivery's work in the store: Claim of a new message id, then Complete.
func BenchmarkWebhookClaimComplete(b *testing.B) {
	b.Run("impl=memory", func(b *testing.B) { loop(b, nil, claimComplete(b, webhook.NewMemoryStore(0))) })
	b.Run("impl=redis", func(b *testing.B) {
		c, n := redisClient(b, false)
		loop(b, n, claimComplete(b, newBenchWebhookStore(b, c)))
	})
}

// A duplicate delivery: Claim of a completed id.
func BenchmarkWebhookDuplicate(b *testing.B) {
	dup := func(b *testing.B, s webhook.Store) func(int) {
		if err := s.Complete(context.Background(), "dup", time.Hour); err != nil {
			b.Fatal(err)
		}
		return func(int) {
			if err := s.Claim(context.Background(), "dup", webhook.ClaimTTL); !errors.Is(err, webhook.ErrDuplicate) {
				b.Fatal(err)
			}
		}
	}
	b.Run("impl=memory", func(b *testing.B) { loop(b, nil, dup(b, webhook.NewMemoryStore(0))) })
	b.Run("impl=redis", func(b *testing.B) {
		c, n := redisClient(b, false)
		loop(b, n, dup(b, newBenchWebhookStore(b, c)))
	})
}

// A token read: TokenStore.Load of a saved user token.
func BenchmarkTokenLoad(b *testing.B) {
	load := func(b *testing.B, s kickauth.TokenStore) func(int) {
		if err := s.Save(context.Background(), benchKey, testToken); err != nil {
			b.Fatal(err)
		}
		return func(int) {
			if _, err := s.Load(context.Background(), benchKey); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("impl=memory", func(b *testing.B) { loop(b, nil, load(b, kickauth.NewMemoryStore())) })
	b.Run("impl=file", func(b *testing.B) {
		s, err := kickauth.NewFileStore(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		loop(b, nil, load(b, s))
	})
	b.Run("impl=redis", func(b *testing.B) {
		c, n := redisClient(b, false)
		loop(b, n, load(b, newBenchTokenStore(b, c)))
	})
}

// The store's share of one refresh: take the key's lock, load the token, save the new one, unlock.
func BenchmarkTokenRefreshStoreWork(b *testing.B) {
	ctx := context.Background()
	b.Run("impl=memory", func(b *testing.B) {
		s := kickauth.NewMemoryStore()
		loop(b, nil, func(int) {
			unlock, err := s.Lock(ctx, benchKey)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.Load(ctx, benchKey); err != nil && !errors.Is(err, kickauth.ErrNoToken) {
				b.Fatal(err)
			}
			if err := s.Save(ctx, benchKey, testToken); err != nil {
				b.Fatal(err)
			}
			_ = unlock()
		})
	})
	b.Run("impl=redis", func(b *testing.B) {
		c, n := redisClient(b, false)
		s := newBenchTokenStore(b, c)
		work := func(int) {
			l, err := s.LockLease(ctx, benchKey)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.Load(ctx, benchKey); err != nil {
				b.Fatal(err)
			}
			if err := s.SaveFenced(ctx, benchKey, testToken, l.Fence()); err != nil {
				b.Fatal(err)
			}
			if err := l.Unlock(); err != nil {
				b.Fatal(err)
			}
		}
		work(0) // loads the scripts
		loop(b, n, work)
	})
}

// BenchmarkRedisOverhead measures what a store adds to its Redis commands: it alternates the
// store's operation and the same commands sent with go-redis directly, op by op (which goes first
// alternates), timing each, and reports store/raw, both having seen the same load; with each kind
// of client: go-redis's default, which the store calls on a goroutine it can stop waiting for,
// and one with ContextTimeoutEnabled, which it calls directly (but for Claim).
func BenchmarkRedisOverhead(b *testing.B) {
	ctx := context.Background()
	for _, mode := range []string{"client=default", "client=ContextTimeoutEnabled"} {
		b.Run("op=ClaimComplete/"+mode, func(b *testing.B) {
			c, _ := redisClient(b, clientModes[mode])
			raw := func(i int) {
				key := "bench-raw:" + strconv.Itoa(i) + ":" + newPrefix()
				if err := c.Do(ctx, "SET", key, "c:x", "NX", "PX", webhook.ClaimTTL.Milliseconds(), "GET").Err(); !errors.Is(err, redis.Nil) {
					b.Fatal(err)
				}
				if err := c.Set(ctx, key, "d", time.Minute).Err(); err != nil {
					b.Fatal(err)
				}
			}
			pair(b, claimComplete(b, newBenchWebhookStore(b, c)), raw)
		})
		b.Run("op=Load/"+mode, func(b *testing.B) {
			c, _ := redisClient(b, clientModes[mode])
			prefix := newPrefix()
			s := newTokenStore(b, c, kickredis.WithPrefix(prefix), kickredis.WithTimeout(10*time.Second), kickredis.WithLease(time.Minute))
			if err := s.Save(ctx, benchKey, testToken); err != nil {
				b.Fatal(err)
			}
			key := prefix + "token:{" + benchKey + "}"
			pair(b, func(int) {
				if _, err := s.Load(ctx, benchKey); err != nil {
					b.Fatal(err)
				}
			}, func(int) {
				if err := c.HMGet(ctx, key, "v", "access_token", "token_type", "refresh_token", "expiry", "scope").Err(); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

func pair(b *testing.B, store, raw func(i int)) {
	var tStore, tRaw time.Duration
	i := 0
	for b.Loop() {
		first, second, tFirst, tSecond := store, raw, &tStore, &tRaw
		if i%2 == 1 {
			first, second, tFirst, tSecond = raw, store, &tRaw, &tStore
		}
		start := time.Now()
		first(i)
		mid := time.Now()
		second(i)
		*tFirst += mid.Sub(start)
		*tSecond += time.Since(mid)
		i++
	}
	b.ReportMetric(float64(tStore)/float64(tRaw), "store/raw")
	b.ReportMetric(float64(tStore.Nanoseconds())/float64(b.N), "store-ns/op")
	b.ReportMetric(float64(tRaw.Nanoseconds())/float64(b.N), "raw-ns/op")
}
