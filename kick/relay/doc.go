// Package relay receives Kick's events for programs without a public URL. Kick delivers events
// only by webhook to a public HTTPS URL; a relay owns that URL, receives and verifies each
// delivery once, keeps it in a durable log, and streams the log to any number of consumers —
// a bot on a laptop, workers behind NAT — each with a token of its own, over Server-Sent Events.
// A consumer that was away resumes where it left off.
//
//	Kick ──POST /kick/webhook──▶ relay ──append, sync──▶ log ──GET /events (SSE)──▶ consumers
//
// # The relay
//
// Server is an http.Handler. On the webhook path (DefaultWebhookPath) it is a webhook.Handler in
// passthrough mode: signature, replay window, dedup and body limits as for any webhook server
// (WithWebhookOptions sets the verifier and limits). Each authentic, fresh delivery is appended to
// the Log, and Kick gets 200 only once the append is durable; if it fails, Kick gets 500 and
// retries. Kick's retry of a delivery already appended is recognized by its key (Record.Key: the
// message id, type and version) and not appended again. A forged, replayed or oversized
// delivery is refused before anything is appended, so it reaches no consumer.
//
// WithSubscriptions makes the relay keep the app's event subscriptions with kick's Events.Sync:
// one subscription per channel and event type that some token needs, for all consumers at once
// (Kick has no conduits; this is the stand-in). See SyncOptions.
//
// # Consumers
//
// On the events path (DefaultEventsPath) a consumer sends its token as "Authorization: Bearer
// TOKEN" and reads text/event-stream. Each delivery is one event:
//
//	id: 1733540000000-0
//	event: delivery
//	data: {"message_id":"01J...","subscription_id":"01J...","type":"chat.message.sent","version":1,"timestamp":"2025-01-14T16:08:06Z","broadcaster_user_id":1001,"body":{...}}
//
// with the body exactly as Kick signed it (as JSON, or as "body_base64" if it spans lines). A
// consumer resumes with the id of the last event it processed in Last-Event-ID (or ?after=),
// which browsers' EventSource sends by itself; without one it starts with the next delivery
// appended, and with "0" with the oldest the log holds. ?broadcaster_user_id= and ?type=
// (repeatable) narrow the stream within what the token allows; asking for more is 403. Idle
// streams get a comment line every 15 seconds (WithHeartbeat).
//
// A consumer asking for records that retention has deleted gets a gap event first, never a
// silent hole:
//
//	id: 1733540005000-3
//	event: gap
//	data: {"after":"1733530000000-0","resume_after":"1733540005000-3","reason":"retention"}
//
// Subscribe and Run are the Go consumer: they reconnect with backoff (to WithFallbackURLs in
// turn), resume from a cursor they save after each delivery (WithCursor: MemoryCursors,
// FileCursors, or kickredis.RelayCursors), and process each delivery once with a webhook.Store.
// Run calls the same typed functions (OnChatMessageSent...) as a webhook server, through
// webhook.Handler.Dispatch.
//
// WebSocket is not offered: the stream goes one way, SSE works through every HTTP proxy and
// load balancer, resumes by a standard header that browsers send by themselves, and needs no
// library; a WebSocket endpoint would add a second protocol and nothing a consumer needs.
//
// # Tokens
//
// CreateToken makes a token of 32 random bytes, returned once; a TokenStore keeps only its
// SHA-256 (HashToken) beside its Grant: the channels (broadcaster user ids, or every channel)
// and event types it reads, a name and an optional expiry. A token reads a delivery only if the
// delivery's channel — broadcaster.user_id of the payload, which Kick signs — is one of its
// channels: a token cannot read another broadcaster's events. Deliveries of no channel (Drops
// claims) go only to tokens for every channel. The event type a token is limited to is the
// delivery's Kick-Event-Type, which Kick does not sign: a copy of a delivery relabelled with
// another type reads as that type (and decodes as it only if the payload has that type's
// required fields: see package webhook's Security), but never crosses channels. A revoked or
// expired token's streams end at their next heartbeat. No log line holds a token or a payload.
// Stores: MemoryTokens, FileTokens (what `kick relay token` writes), kickredis.RelayTokens.
//
// # Slow consumers
//
// Consumers read the log at their own pace: the relay keeps the last records in memory
// (WithRingSize), each with its event encoded once for everyone, and a consumer further behind
// reads from the Log. No consumer ever waits for another, and nothing is queued per consumer:
// what the relay holds for one is at most its write buffer (WithSlowConsumer, 32 KiB by default,
// taken from a pool only while it writes). A consumer that does not take what is written within
// the write timeout (10 s) is cut off; it keeps its cursor, and resumes when it reconnects.
//
// # Storage
//
// The Log is the relay's only state besides the tokens. BoltLog, the default, keeps it in one
// bbolt file (go.etcd.io/bbolt) with no set-up; kickredis.RelayLog keeps it in a Redis stream
// that several relays share, so a consumer can connect to any of them and resume. Both keep
// records by age and by count (BoltOptions; kickredis.RelayLogOptions).
//
// The embedded store was chosen for this job — an append-only log, synced before each 2xx, read
// in ranges by id, deleted from the front — among three well-kept pure-Go engines:
//
//   - bbolt: a B+tree in one memory-mapped file, one writer, every commit synced (fdatasync) to
//     disk; keys sort as bytes, so big-endian ids give range reads with a cursor; a small
//     dependency (golang.org/x/sys only) that etcd and Consul run in production. Its cost is one
//     sync per transaction, which group commit shares: the appends waiting are committed
//     together, so throughput grows with concurrency. Deleted pages go to a freelist and are
//     reused, the file does not shrink.
//   - Pebble (cockroachdb/pebble): an LSM tree, faster for heavy random writes, with a
//     write-ahead log and its own group commit; but dozens of files, compactions to tune, and a
//     dependency tree larger than the rest of this module, for a workload of a few thousand small
//     appends a second that a B+tree serves well.
//   - SQLite in pure Go (modernc.org/sqlite): SQL and WAL mode would do; but it is C translated
//     to Go, tens of megabytes of code, slower per call through its cgo-free layer, and brings
//     modernc.org/libc pinned to its own version.
//
// bbolt is what an append log synced per batch needs and nothing more. BENCHMARKS.md has the
// measurements.
//
// # What a relay promises
//
//   - Kick gets 2xx for a delivery only once it is in the log: on disk (BoltLog), or acknowledged
//     by Redis (RelayLog; on disk too with appendfsync always). A relay killed at any moment
//     loses no delivery Kick got 2xx for; one Kick did not get 2xx for is retried by Kick.
//   - The log holds each delivery once, Kick's retries included, and streams it in one order to
//     every consumer; a consumer resuming from its cursor misses nothing retention kept and sees
//     nothing twice. What retention deleted is announced by a gap event.
//   - A consumer reads only what its token allows.
//   - Not promised: a delivery's order in the log is the order the relay appended it, which may
//     differ from Kick's; Kick itself retries at its own pace.
package relay
