package kickredis

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// TokenStore is a kickauth.TokenStore on Redis, shared by every process and host of an app. It is
// a kickauth.Locker and a kickauth.LeaseLocker, whose locks are leases with fencing tokens, and a
// kickauth.FencedStore, so that a kickauth.UserSource's promise holds across hosts: one refresh
// however many processes need the token, the rotated refresh token saved before anyone uses it,
// and a process that lost its lease (paused past it, cut off from Redis) never overwrites the
// token a later holder saved. App token sources share one app token through it with
// kickauth.WithAppTokenStore.
//
// A token is a hash under the prefix, "token:{", the store key and "}": its fields, the fence it
// was saved under, and the last fence granted. The lock is a string under the prefix, "lock:{",
// the key and "}", holding the fence and the owner, with the lease as its TTL; the braces keep
// both keys in one Redis Cluster slot. Load is one round trip (HMGET), Save and SaveFenced one
// (a Lua script); a lock costs one per attempt, one per renewal (every third of the lease) and one
// to release.
//
// Tokens are secrets: protect the Redis server (ACLs, TLS, a private network), and make it
// durable, because Save must be (the saved refresh token may be the only valid one): appendonly
// yes with appendfsync always, or at least everysec, and replicas. A Redis that loses its data
// loses the tokens, and users must authorize the app again.
//
// When Redis is down or slow, every call fails after the store's timeout at most, with an error
// matching ErrUnavailable. A UserSource then goes on handing out its current token while it is
// valid and fails with that error once it has expired; it never refreshes without the lock, so
// no rotation is lost to two refreshes. A token it refreshed but could not save stays in its
// memory, unused, and is saved when Redis is back.
type TokenStore struct {
	client redis.UniversalClient
	cfg    config
}

var (
	_ kickauth.TokenStore  = (*TokenStore)(nil)
	_ kickauth.Locker      = (*TokenStore)(nil)
	_ kickauth.LeaseLocker = (*TokenStore)(nil)
	_ kickauth.FencedStore = (*TokenStore)(nil)
)

// NewTokenStore returns a TokenStore on client: a *redis.Client, a *redis.ClusterClient, a
// Sentinel failover client or a *redis.Ring. The lease must be at least three times the timeout,
// so that a renewal that times out leaves time for another.
func NewTokenStore(client redis.UniversalClient, opts ...Option) (*TokenStore, error) {
	if client == nil {
		return nil, errors.New("kickredis: NewTokenStore: nil client")
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, fmt.Errorf("kickredis: NewTokenStore: %w", err)
	}
	if cfg.lease < 3*cfg.timeout {
		return nil, fmt.Errorf("kickredis: NewTokenStore: lease %v is under three times the timeout (%v)", cfg.lease, cfg.timeout)
	}
	cfg.direct = followsDeadlines(client)
	return &TokenStore{client: client, cfg: cfg}, nil
}

func (s *TokenStore) tokenKey(key string) string { return s.cfg.prefix + "token:{" + key + "}" }
func (s *TokenStore) lockKey(key string) string  { return s.cfg.prefix + "lock:{" + key + "}" }

// The hash fields of a token, in the order of HMGET in Load.
var tokenFields = []string{"v", "access_token", "token_type", "refresh_token", "expiry", "scope"}

// recordVersion is the format of the token hash.
const recordVersion = "1"

func checkKey(key string) error {
	if key == "" {
		return errors.New("kickredis: empty store key")
	}
	return nil
}

// Load returns the token saved under key, or an error matching kickauth.ErrNoToken.
func (s *TokenStore) Load(ctx context.Context, key string) (*oauth2.Token, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	rkey := s.tokenKey(key)
	vals, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) ([]any, error) {
		return s.client.HMGet(ctx, rkey, tokenFields...).Result()
	}, nil)
	if err != nil {
		return nil, &Error{Op: "load", Key: rkey, Err: err}
	}
	field := func(i int) string { v, _ := vals[i].(string); return v }
	if field(1) == "" {
		return nil, fmt.Errorf("%w under key %q", kickauth.ErrNoToken, key)
	}
	if field(0) != recordVersion {
		return nil, fmt.Errorf("kickredis: load %q: not a version %s token record", rkey, recordVersion)
	}
	tok := &oauth2.Token{AccessToken: field(1), TokenType: field(2), RefreshToken: field(3)}
	if e := field(4); e != "" {
		if tok.Expiry, err = time.Parse(time.RFC3339Nano, e); err != nil {
			return nil, fmt.Errorf("kickredis: load %q: the expiry does not parse", rkey)
		}
	}
	if scope := field(5); scope != "" {
		tok = tok.WithExtra(map[string]any{"scope": scope})
	}
	return tok, nil
}

// args returns the script arguments that store tok: its TTL in ms, then extra, then the fields
// and their values.
func (s *TokenStore) args(tok *oauth2.Token, extra ...any) []any {
	ttl := s.cfg.tokenTTL
	if tok.RefreshToken == "" && !tok.Expiry.IsZero() {
		ttl = min(ttl, max(time.Until(tok.Expiry), time.Second)) // nothing renews it: keep it while valid
	}
	expiry := ""
	if !tok.Expiry.IsZero() {
		expiry = tok.Expiry.UTC().Format(time.RFC3339Nano)
	}
	scope, _ := tok.Extra("scope").(string)
	args := append([]any{ms(ttl)}, extra...)
	return append(args, "v", recordVersion, "access_token", tok.AccessToken, "token_type", tok.TokenType,
		"refresh_token", tok.RefreshToken, "expiry", expiry, "scope", scope)
}

func checkToken(tok *oauth2.Token) error {
	if tok == nil || tok.AccessToken == "" {
		return errors.New("kickredis: refusing to save a token without an access token")
	}
	return nil
}

// Save stores tok under key as a new authorization (the user authorized the app again): it
// replaces whatever is there, and a SaveFenced under a lease granted before it is refused.
func (s *TokenStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := checkToken(tok); err != nil {
		return err
	}
	rkey := s.tokenKey(key)
	args := s.args(tok)
	_, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, saveToken.Run(ctx, s.client, []string{rkey}, args...).Err()
	}, nil)
	if err != nil {
		return &Error{Op: "save", Key: rkey, Err: err}
	}
	return nil
}

// SaveFenced implements kickauth.FencedStore: it stores tok under key unless the stored token was
// saved under a fence greater than fence (or by Save after that lease was granted); then it
// returns an error matching kickauth.ErrFenced.
func (s *TokenStore) SaveFenced(ctx context.Context, key string, tok *oauth2.Token, fence int64) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := checkToken(tok); err != nil {
		return err
	}
	rkey := s.tokenKey(key)
	args := s.args(tok, fence)
	saved, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (int64, error) {
		return saveTokenFenced.Run(ctx, s.client, []string{rkey}, args...).Int64()
	}, nil)
	switch {
	case err != nil:
		return &Error{Op: "save", Key: rkey, Err: err}
	case saved == 0:
		return fmt.Errorf("kickredis: save %q under fence %d: %w", rkey, fence, kickauth.ErrFenced)
	}
	return nil
}

// Delete removes the token under key, if any.
func (s *TokenStore) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	rkey := s.tokenKey(key)
	_, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.client.Del(ctx, rkey).Err()
	}, nil)
	if err != nil {
		return &Error{Op: "delete", Key: rkey, Err: err}
	}
	return nil
}

// Lock implements kickauth.Locker with LockLease.
func (s *TokenStore) Lock(ctx context.Context, key string) (func() error, error) {
	l, err := s.LockLease(ctx, key)
	if err != nil {
		return nil, err
	}
	return l.Unlock, nil
}

// LockLease implements kickauth.LeaseLocker: it blocks until it holds the lock of key or ctx is
// done, polling while another process holds it (every few milliseconds at first, at most every
// 50 ms), and returns a lease that a goroutine renews until Unlock. Each attempt is one round
// trip, bounded by the store's timeout; a failed attempt fails LockLease with an error matching
// ErrUnavailable.
func (s *TokenStore) LockLease(ctx context.Context, key string) (kickauth.Lease, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	lockKey, tokenKey := s.lockKey(key), s.tokenKey(key)
	owner := randomID()
	for delay := 2 * time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		start := time.Now()
		n, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (int64, error) {
			return acquireLock.Run(ctx, s.client, []string{lockKey, tokenKey}, owner, ms(s.cfg.lease), ms(s.cfg.tokenTTL)).Int64()
		}, func(n int64, err error) {
			if n > 0 || err != nil {
				s.releaseAbandoned(ctx, lockKey, owner)
			}
		})
		if err != nil {
			return nil, &Error{Op: "lock", Key: lockKey, Err: err}
		}
		if n > 0 {
			return s.newLease(ctx, key, lockKey, fmt.Sprintf("%d:%s", n, owner), n, start), nil
		}
		// Held by another: wait, jittered so that waiters do not move in step, and never past the
		// holder's lease.
		wait := min(delay/2+rand.N(delay), time.Duration(-n)*time.Millisecond) //nolint:gosec // jitter, not a secret
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("kickredis: waiting for the lock of key %q: %w", key, context.Cause(ctx))
		}
	}
}

// releaseAbandoned deletes the lock of key if owner holds it: LockLease gave up on an attempt
// that Redis may have carried out, which would leave a lock nobody renews or releases.
func (s *TokenStore) releaseAbandoned(ctx context.Context, lockKey, owner string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.timeout)
	defer cancel()
	v, err := s.client.Get(ctx, lockKey).Result()
	if err != nil || !strings.HasSuffix(v, ":"+owner) {
		return
	}
	_ = deleteIfValue.Run(ctx, s.client, []string{lockKey}, v).Err()
}

// String describes the store.
func (s *TokenStore) String() string {
	return fmt.Sprintf("kickredis.TokenStore{Prefix: %q}", s.cfg.prefix)
}
