// Package kickredis runs a Kick app on several machines with Redis: webhook deduplication shared
// by every receiver, kickauth's token storage with single-flight refresh across processes and
// hosts, and the log, tokens and cursors of relays (package relay) that share one stream. It is a module of its own, github.com/kick-sdk/kick-go/kickredis, so that programs that
// do not use Redis never download a Redis client; it uses github.com/redis/go-redis/v9 and takes
// any redis.UniversalClient: a single node, Sentinel, Cluster or a Ring. It needs Redis 7.0 or
// later (or Valkey).
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
//
//	// Webhook receivers behind a load balancer: each delivery is processed once, whichever
//	// replica Kick's retries reach.
//	dedup, err := kickredis.NewWebhookStore(rdb)
//	h, err := webhook.NewHandler(webhook.WithStore(dedup))
//
//	// Workers sharing users' tokens: one refresh between them, the rotated refresh token saved
//	// before anyone uses it; and one app token for all.
//	tokens, err := kickredis.NewTokenStore(rdb)
//	users, err := kickauth.UserTokenSource(ctx, cfg, tokens, kickauth.StoreKey(cfg.ClientID, "alice"))
//	apps := kickauth.AppTokenSource(ctx, cfg, kickauth.WithAppTokenStore(tokens, ""))
//
// # Keys
//
// Every key begins with the prefix (DefaultPrefix, "kick:"; WithPrefix). These have a TTL:
//
//	kick:webhook:<message id>   "c:<claimer>" while claimed (webhook.RenewedClaimTTL, renewed), "d" once processed (the dedup TTL)
//	kick:token:{<store key>}    a hash: the token's fields, its fence, the last fence granted (WithTokenTTL)
//	kick:lock:{<store key>}     "<fence>:<owner>" while a process holds the key's lock (WithLease)
//	kick:sync:<channel>:<event>:<version>   Events.Sync's marker of a subscription it created and Kick does not list yet
//
// Sync's markers (SyncStore, with kick.WithSyncStore on every replica's client) keep replicas from
// creating an event's subscription again while Kick's listing lags behind it: one subscription
// per event, however many replicas sync (TestSyncReplicasOnRedis).
//
// and these are for relays (package relay), whose log is a stream (RelayLog, RelayTokens, RelayCursors,
// RelayLock), under the name of the log (DefaultRelayName):
//
//	kick:relay:{<name>}:stream        the log: one entry per delivery, trimmed by length and age
//	kick:relay:{<name>}:last          the id of the last entry
//	kick:relay:{<name>}:key:<digest>  a delivery appended (TTL: the dedup TTL, an hour)
//	kick:relay:{<name>}:synclock      the relay that keeps the subscriptions (TTL: two sync rounds)
//	kick:relay:tokens                 consumer tokens: a hash of SHA-256 digest → grant
//	kick:relay:cursor:<key>           a consumer's cursor
//
// The braces are a Redis Cluster hash tag: a token and its lock share a slot, as the Lua scripts
// that touch both need.
//
// # Round trips
//
// WebhookStore: one per call; a new delivery costs two (Claim, Complete), a duplicate one (Claim),
// and a function that runs longer than 3.3 s one more per 3.3 s (the claim's renewal). SyncStore:
// one per call.
// TokenStore: Load, Save and SaveFenced one each; the lock one per attempt, one per renewal
// (every third of the lease) and one to release, so a refresh's store work is four. A Lua
// script's first run on a server costs one more (EVALSHA, then EVAL). BENCHMARKS.md has the
// times.
//
// # When Redis fails
//
// Every Redis command of a store is bounded by the store's timeout (DefaultTimeout, one second;
// WithTimeout) and by the caller's context, whatever the client's own timeouts, and fails with an
// error matching ErrUnavailable (a *Error).
//
// A webhook.Handler answers a delivery whose Claim failed with 500, so Kick retries it later: it
// is neither processed twice nor dropped. Claims are short (webhook.RenewedClaimTTL, 10 s) and
// renewed every third of that while the function runs: a claim Redis applied after Claim gave up
// (a slow Redis) is deleted once Redis answers, and expires within 10 s if that fails too; the
// claim of a replica that died expires as soon. With every Redis command 300 ms or 1.5 s slower
// and 200 deliveries at once, Kick's retries get every delivery processed exactly once within
// seconds of Redis recovering (TestWebhookSlowRedisClaims; before, claims lived five minutes and
// the retries were answered 409 until Kick gave up). If Complete fails after the delivery was
// processed, the handler reports it, answers 200, and keeps renewing the claim while it tries
// Complete again in the background until it lands, answering Kick's retries that reach it as
// duplicates meanwhile (TestWebhookCompletionAfterRedisHung: Redis hung for longer than a claim
// right after one, so that the claim has expired when it resumes; Kick's retries are not
// processed again). If the claim expired, a retry that reaches another replica before the
// completion lands is processed again there.
//
// What no store prevents, and the soak shows (make soak): a replica killed (kill -9) after its
// function returned and before Complete reached Redis leaves a claim that expires, and Kick's
// retry is processed again; and a Redis that loses its data (restarted without persistence)
// forgets completed ids, so a retry or duplicate that arrives after the restart is processed
// again. Deliveries are at least once across such crashes; make the function idempotent where
// that matters, and Redis durable.
//
// A kickauth.UserSource never refreshes without the key's lock. While Redis is down it hands out
// its current token as long as that is valid, and then fails with an error matching
// ErrUnavailable; no two processes refresh, so no rotation is lost. A refresh whose save failed
// keeps the rotated token in memory, unused, and saves it when Redis is back, without asking Kick
// again. An app token source on the store fetches a token of its own instead (an app token spends
// nothing), and logs the failure.
//
// Locks are leases: renewed every third of the lease while their holder lives, they free
// themselves when it dies (a crash, kill -9), and another process takes over at most a lease
// later. Each lease has a fencing token, greater than every earlier one of the key, stored with
// the token it saved: a process whose lease ran out while it refreshed (a long pause, a network
// partition) has its save refused if a later holder saved meanwhile, and adopts that token. A
// process killed after Kick rotated the refresh token but before it saved the answer loses that
// rotation, as a crash of a single process would: Redis cannot help there.
//
// A lease that ran out while its holder waited for Kick (a long pause) does not end in a false
// ErrReauthorize: when Kick refuses the refresh token the later holder spent, the store is read
// again and that holder's token handed out (TestLeaseLostDuringRefresh). A Redis restarted empty
// is refilled by the first source that holds a token Kick accepts, at its next refresh
// (TestTokensRedisRestartedEmptyIsRefilled); a source whose refresh token another had spent gets
// ErrReauthorize ("no token in the store") until then.
//
// Tokens are secrets and the only copy of a rotated refresh token: protect the server (ACLs, TLS,
// a private network) and make it durable (appendonly yes, appendfsync always or everysec,
// replicas). The webhook keys should be durable too: after a restart that lost them, a delivery
// Kick retries could be processed again.
//
// # The soak
//
// make soak (SOAK=10m by default) runs three webhook replicas and four token workers on a real
// redis-server under chaos: Redis paused, slowed, killed and restarted empty; replicas killed;
// the token endpoint answering 429, 500 or slowly. It fails on a delivery lost, a delivery
// processed twice for another reason than the two above, a refresh lost, or a stored token
// overwritten by an older one. BENCHMARKS.md reports an hour's run.
//
// # Versions
//
// kickredis is versioned with kick-go: each release tags kickredis/vX.Y.Z beside vX.Y.Z, and
// kickredis's go.mod then requires kick-go vX.Y.Z. Its replace directive (kick-go => ../) serves
// development in the repository; the go command ignores it in a dependency.
//
// # Testing your own stores
//
// The stores pass the suites kick/webhook/webhooktest.TestStore and
// kick/kickauth/kickauthtest.TestTokenStore, which kick-go's memory and file stores pass too; run
// them on a store of your own. This module's tests run against a real redis-server that they
// start on loopback; they skip when it is not installed, and fail instead when the environment
// variable CI is set.
package kickredis
