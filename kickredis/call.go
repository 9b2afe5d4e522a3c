package kickredis

import (
	"context"
	"sync/atomic"
	"time"
)

// bounded runs fn, a Redis command, under ctx and the store's timeout, and returns when fn
// returns or when either ends, whichever comes first: a Redis that hangs cannot hold the caller
// longer, whatever the client's own timeouts (go-redis follows a context's deadline only with
// ContextTimeoutEnabled, and never its cancellation). A command abandoned that way may still run
// on the server; fn's result then goes to abandoned, if it is not nil, so that the command's
// effect can be undone.
func bounded[T any](ctx context.Context, timeout time.Duration, fn func(context.Context) (T, error), abandoned func(T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
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
