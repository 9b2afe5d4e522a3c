package kickredis

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Defaults of the stores' options.
const (
	// DefaultPrefix begins every key the stores write.
	DefaultPrefix = "kick:"
	// DefaultTimeout bounds each Redis command of a store.
	DefaultTimeout = time.Second
	// DefaultLease is how long a TokenStore lock outlives a holder that stopped renewing it.
	DefaultLease = 10 * time.Second
	// DefaultTokenTTL is how long a TokenStore keeps a token that is not saved again (a user who
	// stopped using the app): Kick's refresh tokens have been seen to stop working after 30 to
	// 90 days.
	DefaultTokenTTL = 90 * 24 * time.Hour
)

// An Option configures NewWebhookStore or NewTokenStore.
type Option func(*config) error

type config struct {
	prefix   string
	timeout  time.Duration
	lease    time.Duration
	tokenTTL time.Duration
	logger   *slog.Logger
	direct   bool // the client follows context deadlines (see bounded)
}

func newConfig(opts []Option) (config, error) {
	c := config{prefix: DefaultPrefix, timeout: DefaultTimeout, lease: DefaultLease, tokenTTL: DefaultTokenTTL,
		logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		if opt == nil {
			return c, errors.New("nil option")
		}
		if err := opt(&c); err != nil {
			return c, err
		}
	}
	return c, nil
}

// WithPrefix sets the prefix of every key the store writes (DefaultPrefix unless set), so that
// several apps, or environments, can share a Redis. A prefix may hold a Redis Cluster hash tag,
// such as "{kick}:", to keep every key in one slot; an opening brace must then be closed.
func WithPrefix(prefix string) Option {
	return func(c *config) error {
		if i := strings.IndexByte(prefix, '{'); i >= 0 {
			if j := strings.IndexByte(prefix[i+1:], '}'); j <= 0 {
				return fmt.Errorf("key prefix %q opens a hash tag it does not close", prefix)
			}
		}
		c.prefix = prefix
		return nil
	}
}

// WithTimeout bounds each Redis command of the store (DefaultTimeout unless set), whatever the
// client's own timeouts: a Redis that is down or slow fails a call after d at most, or sooner if
// the caller's context ends. Waiting for a TokenStore lock held by another process is not a
// command: the caller's context alone bounds it.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("timeout %v is not positive", d)
		}
		c.timeout = d
		return nil
	}
}

// WithLease sets how long a TokenStore lock stays held without renewal (DefaultLease unless set).
// The holder renews it every third of d while it lives; when the holder dies, another process
// takes over at most d later. It must be at least three times the timeout. NewWebhookStore
// ignores it.
func WithLease(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("lease %v is not positive", d)
		}
		c.lease = d
		return nil
	}
}

// WithTokenTTL sets how long a TokenStore keeps a user token that is not saved again
// (DefaultTokenTTL unless set); each save starts it anew. A token without a refresh token (an
// app token) is kept until it expires, within the same bound. NewWebhookStore ignores it.
func WithTokenTTL(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("token TTL %v is not positive", d)
		}
		c.tokenTTL = d
		return nil
	}
}

// WithLogger makes a TokenStore log the renewals of its locks' leases that fail and the leases it
// loses (warn); without it, it logs nothing. Records carry store keys and fences, never tokens.
// NewWebhookStore ignores it.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("nil logger")
		}
		c.logger = l
		return nil
	}
}

// ms is d in whole milliseconds, at least 1: Redis expiries are in milliseconds, and PX 0 is an
// error.
func ms(d time.Duration) int64 {
	return max(d.Milliseconds(), 1)
}
