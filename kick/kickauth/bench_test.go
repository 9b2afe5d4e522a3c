package kickauth_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// Benchmarks of the user token source under 1000 concurrent callers, against x/oauth2's own
// refreshing source (oauth2.Config.TokenSource, a ReuseTokenSource over a refresher): the raw
// baseline a hand-written client would use. Both talk to the same loopback fake of id.kick.com.
// `make bench` runs them and prints the kick/raw ratios (tools/benchratio).
//
//	go test -run='^$' -bench='^BenchmarkUserSource1000' -benchmem ./kick/kickauth/

const callers = 1000

// userSources returns the two token sources of a user whose stored token is tok: x/oauth2's
// refreshing source (raw) and kickauth's UserSource over a MemoryStore (kick).
func userSources(b *testing.B, f *fakeKick, tok *oauth2.Token) (raw, kick oauth2.TokenSource) {
	b.Helper()
	ctx := context.Background()
	cfg := f.config()
	store := kickauth.NewMemoryStore()
	key := kickauth.StoreKey(testClientID, "bench")
	if err := store.Save(ctx, key, tok); err != nil {
		b.Fatal(err)
	}
	users, err := kickauth.UserTokenSource(ctx, cfg, store, key)
	if err != nil {
		b.Fatal(err)
	}
	return cfg.TokenSource(ctx, tok), users
}

// BenchmarkUserSource1000Valid is the steady state: 1000 goroutines ask for a token that is
// valid. One op is one Token call.
func BenchmarkUserSource1000Valid(b *testing.B) {
	f := newFakeKick(b)
	run := func(b *testing.B, ts oauth2.TokenSource) {
		if _, err := ts.Token(); err != nil { // kickauth reads the store on the first call
			b.Fatal(err)
		}
		b.SetParallelism(max(1, callers/runtime.GOMAXPROCS(0)))
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := ts.Token(); err != nil {
					b.Error(err)
					return
				}
			}
		})
		if n := f.count("refresh_token"); n != 0 {
			b.Fatalf("%d refreshes of a valid token", n)
		}
	}
	b.Run("impl=raw", func(b *testing.B) {
		raw, _ := userSources(b, f, f.seedUserToken(time.Now().Add(time.Hour)))
		run(b, raw)
	})
	b.Run("impl=kick", func(b *testing.B) {
		_, kick := userSources(b, f, f.seedUserToken(time.Now().Add(time.Hour)))
		run(b, kick)
	})
}

// BenchmarkUserSource1000Expired is the moment of expiry: 1000 goroutines ask at once for the
// token of a source whose token has expired. One op is one such moment, from the release of the
// 1000 callers until the last has its token: the refresh on loopback and the hand-out. It reports
// the refresh requests per op (refreshes/op), which must be 1: kickauth runs one refresh and
// shares it; x/oauth2's ReuseTokenSource holds a mutex during its refresh, and every caller then
// finds the new token.
func BenchmarkUserSource1000Expired(b *testing.B) {
	f := newFakeKick(b)
	run := func(b *testing.B, source func() oauth2.TokenSource) {
		before := f.count("refresh_token")
		b.ReportAllocs()
		for range b.N {
			b.StopTimer()
			ts := source()
			start := make(chan struct{})
			var ready, done sync.WaitGroup
			ready.Add(callers)
			done.Add(callers)
			for range callers {
				go func() {
					defer done.Done()
					ready.Done()
					<-start
					if _, err := ts.Token(); err != nil {
						b.Error(err)
					}
				}()
			}
			ready.Wait()
			b.StartTimer()
			close(start)
			done.Wait()
		}
		b.StopTimer()
		b.ReportMetric(float64(f.count("refresh_token")-before)/float64(b.N), "refreshes/op")
	}
	expired := func() *oauth2.Token { return f.seedUserToken(time.Now().Add(-time.Minute)) }
	b.Run("impl=raw", func(b *testing.B) {
		run(b, func() oauth2.TokenSource { raw, _ := userSources(b, f, expired()); return raw })
	})
	b.Run("impl=kick", func(b *testing.B) {
		run(b, func() oauth2.TokenSource { _, kick := userSources(b, f, expired()); return kick })
	})
}
