package kickredis

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// followsDeadlines reports whether client bounds its socket reads and writes by a context's
// deadline (ContextTimeoutEnabled): then a store can call it directly under a deadline.
func followsDeadlines(client redis.UniversalClient) bool {
	switch c := client.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		return c.Options().ContextTimeoutEnabled
	}
	return false
}

// bounded runs fn, a Redis command, under ctx and the store's timeout, and returns when fn
// returns or when either ends, whichever comes first: a Redis that hangs cannot hold the caller
// longer, whatever the client's own timeouts.
//
// A client that follows deadlines (direct) is called on the caller's goroutine under the deadline.
// Another one (go-redis's default) ignores the context's deadline while it waits for an answer,
// so fn runs on a goroutine of its own, which the caller stops waiting for when the context ends.
//
// A command abandoned that way, or that failed once the context had ended, may still have been
// carried out by Redis; fn's result then goes to abandoned, if it is not nil, on a goroutine of
// its own, so that the command's effect can be undone.
func bounded[T any](ctx context.Context, timeout time.Duration, direct bool, fn func(context.Context) (T, error), abandoned func(T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	if direct {
		defer cancel()
		v, err := fn(ctx)
		if err != nil && ctx.Err() != nil && abandoned != nil {
			go abandoned(v, err)
		}
		return v, err
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	var state atomic.Int32 // 0 running, 1 returned to the caller, 2 abandoned
	go func() {
		defer cancel()
		v, err := fn(ctx)
		if !state.CompareAndSwap(0, 1) && abandoned != nil {
			abandoned(v, err)
		}
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		if state.CompareAndSwap(0, 2) {
			var zero T
			return zero, context.Cause(ctx)
		}
		r := <-done // fn returned at that very moment
		return r.v, r.err
	}
}
