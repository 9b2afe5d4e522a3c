package kickredis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick/webhook"
)

// WebhookStore is a webhook.Store on Redis, for webhook receivers behind a load balancer: a
// delivery is processed once whichever replica Kick's retries reach. It has the semantics of
// webhook.MemoryStore, shared: a message id is claimed with SET NX PX, completed with SET PX, and
// released with a Lua compare-and-delete that leaves a completed id alone. It is a
// webhook.ClaimRenewer: the Handler claims for webhook.RenewedClaimTTL (10 s) and renews the claim
// every third of it while the function runs, so that the claim of a replica that died, or one
// that Redis applied after Claim gave up, holds Kick's retries back for at most that long. Each
// call is one round trip: a new delivery costs two (Claim, Complete) and one more per renewal (a
// function that runs over 3.3 s), a duplicate one (Claim).
//
// When Redis is down or slow, Claim fails after the store's timeout at most (WithTimeout), and the
// webhook.Handler answers 500: Kick retries later, and the delivery is neither processed twice nor
// dropped. A claim that Redis applied after Claim gave up is deleted as soon as Redis answers, and
// expires after webhook.RenewedClaimTTL if that fails too: with every command 300 ms or 1.5 s
// slower and 200 deliveries at once, every delivery is processed exactly once by Kick's retries
// after Redis recovers. A Complete that fails after the delivery was processed is reported to
// the handler's error hook, and the handler keeps the claim alive while it tries Complete again,
// until Redis takes it.
//
// Keys are the prefix, "webhook:" and the message id. A claim holds "c:" and the claimer's id; a
// completion holds "d".
type WebhookStore struct {
	client  redis.UniversalClient
	cfg     config
	owner   string        // this store's part of claim values
	counter atomic.Uint64 // the other part
}

var (
	_ webhook.Store        = (*WebhookStore)(nil)
	_ webhook.ClaimRenewer = (*WebhookStore)(nil)
)

// NewWebhookStore returns a WebhookStore on client: a *redis.Client, a *redis.ClusterClient, a
// Sentinel failover client or a *redis.Ring. It needs Redis 7.0 or later (SET with both NX and
// GET). Options other than WithPrefix and WithTimeout do not apply.
func NewWebhookStore(client redis.UniversalClient, opts ...Option) (*WebhookStore, error) {
	if client == nil {
		return nil, errors.New("kickredis: NewWebhookStore: nil client")
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, fmt.Errorf("kickredis: NewWebhookStore: %w", err)
	}
	cfg.direct = followsDeadlines(client)
	return &WebhookStore{client: client, cfg: cfg, owner: randomID()}, nil
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// key is the Redis key of a message id.
func (s *WebhookStore) key(id string) string { return s.cfg.prefix + "webhook:" + id }

// Claim implements webhook.Store with SET key c:<claimer> NX PX ttl GET: one round trip, which
// claims the id or tells what holds it.
func (s *WebhookStore) Claim(ctx context.Context, id string, ttl time.Duration) error {
	key := s.key(id)
	value := "c:" + s.owner + "-" + strconv.FormatUint(s.counter.Add(1), 36)
	// Not direct, and without ctx's end: if Claim gives up, the command still waits for Redis's
	// answer (up to the client's ReadTimeout), so that the claim is undone after Redis applied
	// it, not before.
	old, err := bounded(ctx, s.cfg.timeout, false, func(context.Context) (string, error) {
		return s.client.Do(context.WithoutCancel(ctx), "SET", key, value, "NX", "PX", ms(ttl), "GET").Text()
	}, func(old string, err error) {
		// Claim gave up, but Redis may have applied the claim: take it back, so that Kick's retry
		// is not answered 409 for the claim's TTL. Only an answer naming another holder says it
		// did not (redis.Nil says it did; another error leaves it unknown).
		if err != nil || old == value {
			s.undoClaim(ctx, key, value)
		}
	})
	switch {
	case errors.Is(err, redis.Nil), err == nil && old == value: // claimed (or a retry of this claim)
		return nil
	case err != nil:
		return &Error{Op: "claim", Key: key, Err: err}
	case old == "d":
		return webhook.ErrDuplicate
	case strings.HasPrefix(old, "c:"):
		return webhook.ErrInFlight
	default:
		return &Error{Op: "claim", Key: key, Err: fmt.Errorf("the key holds %.32q, not a claim or a completion: is the prefix %q shared with something else?", old, s.cfg.prefix)}
	}
}

// undoClaim deletes a claim Claim abandoned, if it is still there. ctx is Claim's, which has ended.
func (s *WebhookStore) undoClaim(ctx context.Context, key, value string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.timeout)
	defer cancel()
	_ = deleteIfValue.Run(ctx, s.client, []string{key}, value).Err()
}

// Complete implements webhook.Store with SET key d PX ttl.
func (s *WebhookStore) Complete(ctx context.Context, id string, ttl time.Duration) error {
	key := s.key(id)
	_, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.client.Set(ctx, key, "d", time.Duration(ms(ttl))*time.Millisecond).Err()
	}, nil)
	if err != nil {
		return &Error{Op: "complete", Key: key, Err: err}
	}
	return nil
}

// Release implements webhook.Store with a Lua script that deletes the key if it holds a claim.
func (s *WebhookStore) Release(ctx context.Context, id string) error {
	key := s.key(id)
	_, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, releaseClaim.Run(ctx, s.client, []string{key}).Err()
	}, nil)
	if err != nil {
		return &Error{Op: "release", Key: key, Err: err}
	}
	return nil
}

// RenewClaim implements webhook.ClaimRenewer with a Lua script that extends the key's TTL if it
// holds a claim: the Handler renews the claims of this store while its functions run, so that a
// claim whose process died, or that Redis applied after Claim gave up, expires after
// webhook.RenewedClaimTTL.
func (s *WebhookStore) RenewClaim(ctx context.Context, id string, ttl time.Duration) error {
	key := s.key(id)
	n, err := bounded(ctx, s.cfg.timeout, s.cfg.direct, func(ctx context.Context) (int64, error) {
		return renewClaim.Run(ctx, s.client, []string{key}, ms(ttl)).Int64()
	}, nil)
	switch {
	case err != nil:
		return &Error{Op: "renew", Key: key, Err: err}
	case n == 0:
		return fmt.Errorf("kickredis: renew %q: %w", key, webhook.ErrClaimLost)
	}
	return nil
}

// String describes the store.
func (s *WebhookStore) String() string {
	return fmt.Sprintf("kickredis.WebhookStore{Prefix: %q}", s.cfg.prefix)
}
