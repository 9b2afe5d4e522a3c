package kickredis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick/relay"
)

// RelayTokens is a relay.TokenStore on Redis, for several relays: a token created or revoked
// with `kick relay token --redis` works, or stops working, on all of them at once. It holds each
// grant as JSON in one hash, under the SHA-256 digest of its token, never the token:
//
//	<prefix>relay:tokens   digest → grant
type RelayTokens struct {
	client redis.UniversalClient
	cfg    config
	key    string
}

var _ relay.TokenStore = (*RelayTokens)(nil)

// NewRelayTokens returns the token store on client. Options other than WithPrefix and WithTimeout
// do not apply.
func NewRelayTokens(client redis.UniversalClient, opts ...Option) (*RelayTokens, error) {
	if client == nil {
		return nil, errors.New("kickredis: NewRelayTokens: nil client")
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, fmt.Errorf("kickredis: NewRelayTokens: %w", err)
	}
	cfg.direct = followsDeadlines(client)
	return &RelayTokens{client: client, cfg: cfg, key: cfg.prefix + "relay:tokens"}, nil
}

// Add implements relay.TokenStore.
func (s *RelayTokens) Add(ctx context.Context, digest string, g relay.Grant) error {
	b, err := json.Marshal(g)
	if err != nil {
		return err
	}
	_, err = bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (int64, error) {
		return s.client.HSet(ctx, s.key, digest, b).Result()
	}, nil)
	if err != nil {
		return fmt.Errorf("kickredis: adding a relay token: %w", err)
	}
	return nil
}

// Lookup implements relay.TokenStore with HGET.
func (s *RelayTokens) Lookup(ctx context.Context, digest string) (relay.Grant, error) {
	v, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (string, error) {
		return s.client.HGet(ctx, s.key, digest).Result()
	}, nil)
	if errors.Is(err, redis.Nil) {
		return relay.Grant{}, relay.ErrUnknownToken
	}
	if err != nil {
		return relay.Grant{}, fmt.Errorf("kickredis: looking up a relay token: %w", err)
	}
	var g relay.Grant
	if err := json.Unmarshal([]byte(v), &g); err != nil {
		return relay.Grant{}, fmt.Errorf("kickredis: relay token: %w", err)
	}
	return g, nil
}

// all returns every grant by digest.
func (s *RelayTokens) all(ctx context.Context) (map[string]relay.Grant, error) {
	m, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (map[string]string, error) {
		return s.client.HGetAll(ctx, s.key).Result()
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("kickredis: listing relay tokens: %w", err)
	}
	out := make(map[string]relay.Grant, len(m))
	for d, v := range m {
		var g relay.Grant
		if err := json.Unmarshal([]byte(v), &g); err != nil {
			return nil, fmt.Errorf("kickredis: relay token: %w", err)
		}
		out[d] = g
	}
	return out, nil
}

// List implements relay.TokenStore with HGETALL.
func (s *RelayTokens) List(ctx context.Context) ([]relay.Grant, error) {
	m, err := s.all(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]relay.Grant, 0, len(m))
	for _, g := range m {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b relay.Grant) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Revoke implements relay.TokenStore: HGETALL, then HDEL of the grant's digest.
func (s *RelayTokens) Revoke(ctx context.Context, id string) error {
	m, err := s.all(ctx)
	if err != nil {
		return err
	}
	for d, g := range m {
		if g.ID != id {
			continue
		}
		_, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (int64, error) {
			return s.client.HDel(ctx, s.key, d).Result()
		}, nil)
		if err != nil {
			return fmt.Errorf("kickredis: revoking a relay token: %w", err)
		}
		return nil
	}
	return fmt.Errorf("%w: %q", relay.ErrUnknownToken, id)
}

// RelayCursors is a relay.CursorStore on Redis, for consumers that run on several machines in
// turn, or that keep their dedup Store in Redis too:
//
//	<prefix>relay:cursor:<key>   the cursor
type RelayCursors struct {
	client redis.UniversalClient
	cfg    config
}

var _ relay.CursorStore = (*RelayCursors)(nil)

// NewRelayCursors returns the cursor store on client. Options other than WithPrefix and
// WithTimeout do not apply.
func NewRelayCursors(client redis.UniversalClient, opts ...Option) (*RelayCursors, error) {
	if client == nil {
		return nil, errors.New("kickredis: NewRelayCursors: nil client")
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, fmt.Errorf("kickredis: NewRelayCursors: %w", err)
	}
	cfg.direct = followsDeadlines(client)
	return &RelayCursors{client: client, cfg: cfg}, nil
}

// Load implements relay.CursorStore.
func (s *RelayCursors) Load(ctx context.Context, key string) (relay.ID, bool, error) {
	v, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (string, error) {
		return s.client.Get(ctx, s.cfg.prefix+"relay:cursor:"+key).Result()
	}, nil)
	if errors.Is(err, redis.Nil) {
		return relay.ID{}, false, nil
	}
	if err != nil {
		return relay.ID{}, false, fmt.Errorf("kickredis: loading a relay cursor: %w", err)
	}
	id, err := relay.ParseID(v)
	return id, err == nil, err
}

// Save implements relay.CursorStore.
func (s *RelayCursors) Save(ctx context.Context, key string, id relay.ID) error {
	_, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (string, error) {
		return s.client.Set(ctx, s.cfg.prefix+"relay:cursor:"+key, id.String(), 0).Result()
	}, nil)
	if err != nil {
		return fmt.Errorf("kickredis: saving a relay cursor: %w", err)
	}
	return nil
}

// RelayLock is a relay.Locker on Redis: of several relays on one log, the one holding it keeps
// the app's subscriptions (relay.SyncOptions.Lock), so that a subscription is not created twice.
// The holder extends it each round; if it dies, another takes it once it expires.
//
//	<prefix>relay:{<name>}:synclock   the holder's random id, for the TTL
type RelayLock struct {
	client redis.UniversalClient
	cfg    config
	key    string
	owner  string
}

var _ relay.Locker = (*RelayLock)(nil)

// NewRelayLock returns a lock of the relays of the log name (DefaultRelayName when empty) on
// client, held by no one yet in this process. Options other than WithPrefix and WithTimeout do
// not apply.
func NewRelayLock(client redis.UniversalClient, name string, opts ...Option) (*RelayLock, error) {
	if client == nil {
		return nil, errors.New("kickredis: NewRelayLock: nil client")
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, fmt.Errorf("kickredis: NewRelayLock: %w", err)
	}
	cfg.direct = followsDeadlines(client)
	if name == "" {
		name = DefaultRelayName
	}
	return &RelayLock{client: client, cfg: cfg, key: cfg.prefix + "relay:{" + name + "}:synclock", owner: randomID()}, nil
}

// relayAcquire takes or extends the lock. KEYS: the lock. ARGV: owner, TTL in ms.
var relayAcquire = redis.NewScript(`
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
	return 1
end
if holder then
	return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`)

// Acquire implements relay.Locker in one script: it takes the lock if no one holds it, or
// extends it if this RelayLock does.
func (l *RelayLock) Acquire(ctx context.Context, ttl time.Duration) (bool, error) {
	n, err := bounded(ctx, l.cfg.timeout, l.cfg.direct, func(ctx context.Context) (int64, error) {
		return relayAcquire.Run(ctx, l.client, []string{l.key}, l.owner, ms(ttl)).Int64()
	}, nil)
	if err != nil {
		return false, fmt.Errorf("kickredis: taking the relay lock: %w", err)
	}
	return n == 1, nil
}
