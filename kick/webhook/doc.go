// Package webhook receives Kick's webhook deliveries: it verifies that they come from Kick,
// rejects replays and duplicates, decodes every event type into a Go type and calls the function
// registered for it. Its defaults are the safe ones; nothing turns verification off.
//
//	h, err := webhook.NewHandler() // Kick's published key, 5 minutes of tolerance, in-memory dedup
//	if err != nil {
//		return err
//	}
//	h.OnChatMessageSent(func(ctx context.Context, d *webhook.Delivery, e *webhook.ChatMessageSent) error {
//		log.Printf("%s: %s", e.Sender.Username, e.Content)
//		return nil
//	})
//	mux := http.NewServeMux()
//	mux.Handle("POST /kick/webhook", h)
//	srv := &http.Server{
//		Addr:              ":8080",
//		Handler:           mux,
//		ReadHeaderTimeout: 5 * time.Second,  // the handler cannot bound the headers
//		ReadTimeout:       10 * time.Second, // the whole request; the handler bounds the body too
//		IdleTimeout:       60 * time.Second, // a kept-alive connection between deliveries
//	}
//	return srv.ListenAndServe()
//
// NewHandler() trusts Kick's key only. Against the fake Kick of package kicktest (in tests, and
// behind `kick mock serve`), which signs with a key of its own, use kicktest.NewHandler(), the
// same handler trusting kicktest's key: otherwise every delivery is answered 403, and the error
// hook — by default a log line, LogErrors — says the signature does not verify.
//
// Kick posts every event of every subscription of an app to the app's one webhook URL (set in the
// app's developer settings), one delivery per request, and unsubscribes the app from an event
// whose deliveries keep failing for over a day. So the handler acknowledges everything that is
// authentic, including event types it does not know, and fails only when the application's own
// code fails.
//
// # Verifying
//
// Kick signs each delivery with RSASSA-PKCS1-v1_5 and SHA-256 over
//
//	Kick-Event-Message-Id + "." + Kick-Event-Message-Timestamp + "." + raw body
//
// and sends the signature in standard base64 as Kick-Event-Signature. Verifier.Verify checks, in
// this order:
//
//  1. The headers: Kick-Event-Message-Id, Kick-Event-Message-Timestamp and Kick-Event-Signature,
//     and Kick-Event-Type and Kick-Event-Version, must each be present once (ErrMissingHeader,
//     ErrInvalidHeader). The message id must be printable ASCII without '.' and the timestamp
//     must be RFC 3339 (ErrInvalidTimestamp): then the signed string can only be split one way,
//     and no byte can be moved between id, timestamp and body.
//  2. The signature: base64 (ErrInvalidSignatureEncoding) that verifies with the public key
//     (ErrSignatureMismatch), over the body exactly as received. Kick's JSON escapes '&' as
//     \u0026, so a body that went through a JSON decoder and encoder, or a framework that
//     parsed it first, does not verify: hand the raw bytes to the verifier.
//  3. The timestamp, which must be within the tolerance of the clock (ErrTooOld, ErrTooNew).
//     This comes after the signature, so ErrTooOld always means an authentic delivery that is
//     late or replayed; if every delivery fails with it, check the server's clock.
//
// Errors wrap these sentinels with a short detail; none holds a key, a signature or the payload.
// CheckSignature checks a signature alone, and ParseTimestamp parses a delivery timestamp.
//
// Kick does not sign Kick-Event-Type, Kick-Event-Version or Kick-Event-Subscription-Id: see
// Security for what that leaves open. The early X-Event-* header names of February 2025 are not
// accepted.
//
// # The Handler
//
// Handler is an http.Handler. It checks a request's method and headers before it reads the body,
// reads at most the body limit within the body read timeout, and verifies the signature before
// anything looks at the payload.
// Register one function per event type with its typed method, On<Event> — OnChatMessageSent,
// OnChannelFollowed, OnKicksGifted, OnDropsClaim and one for every other event type of the spec,
// generated from it (events_gen.go) — and a catch-all with OnDefault. Each function gets the request's context, the Delivery (message id,
// subscription id, type, version, timestamp as a time.Time, raw body) and the decoded event.
// Dispatch is by Kick-Event-Type and Kick-Event-Version: a version this package does not know
// (chat.message.sent version 2, say) goes to the catch-all as an *UnknownEvent, never into a
// version-1 type.
//
// The catch-all gets every delivery no typed function took: an *UnknownEvent (with the raw body)
// for an unknown type or version, or for a known one whose payload did not decode, and the typed
// event of a type with no function. WithErrorHook sets a function told about every error: each
// rejected request (without a Delivery: nothing of an unverified request is passed on), each
// payload that does not decode (with its Delivery), each failure of a user function or the
// Store, and each panic of a user function, as a *PanicError with the panic's value and stack
// (the handler recovers it, answers 500 and releases the claim, so Kick's retry is processed;
// http.ErrAbortHandler alone goes on to the server). Without one, LogErrors logs them to
// slog.Default(), rejected requests at most one a second after a burst of ten.
//
// Functions run before the answer is sent, and Kick expects a quick answer: do slow work
// elsewhere, or use passthrough mode.
//
// # Statuses
//
// The handler answers:
//
//	200 OK                     an authentic, fresh delivery that was processed: the function
//	                           returned nil, or no function was registered for it, or its type
//	                           is unknown, or its payload did not decode (the hook and the
//	                           catch-all got it; sending the same bytes again would not help);
//	                           also a duplicate of a delivery already processed (no function is
//	                           called)
//	400 Bad Request            a missing, repeated or malformed header, a timestamp that is not
//	                           RFC 3339 or is outside the tolerance, or a body that could not be
//	                           read
//	403 Forbidden              the signature is not base64 or does not verify: the request is
//	                           not from Kick or was altered. 403 rather than 401 because there is
//	                           no credential to add: 401 would call for a WWW-Authenticate
//	                           challenge
//	405 Method Not Allowed     any method but POST (with Allow: POST)
//	408 Request Timeout        the body did not arrive within the body read timeout
//	                           (WithBodyReadTimeout, 10 s by default) or the server's
//	                           ReadTimeout; the connection is closed
//	409 Conflict               a copy of a delivery that is being processed right now: Kick
//	                           should retry it later, when it is either done (200) or failed
//	                           and released (processed again)
//	413 Request Entity Too     a body over the limit (WithMaxBodyBytes, 1 MiB by default), read
//	    Large                  through http.MaxBytesReader and never buffered beyond it
//	500 Internal Server Error  a user function (or the passthrough function) returned an
//	                           error or panicked, or the Store or KeySource failed: Kick retries
//
// A response body is only the status text. Details go to the error hook, never to the sender.
//
// # Replay protection
//
// A delivery whose timestamp is more than the tolerance (DefaultTolerance, five minutes, either
// way; WithTolerance) from the verifier's clock (WithClock) is refused. There is no switch that
// turns this off; to verify an old delivery, as a test does, set the clock to its time.
//
// The window is checked by comparing times, never durations, so a timestamp centuries away is
// refused like one minutes away.
//
// Within the window, the Handler deduplicates on Kick-Event-Message-Id with a Store. It decodes
// the payload first, then claims the id before any user function runs, completes it when the
// function succeeded and releases it when the function failed or panicked. So a delivery is
// processed once, copies that arrive while it is processed are answered 409, and Kick's retry of a
// failed delivery is processed again. A payload that does not fit its type, or of a type or
// version this package does not know, is deduplicated under a second key of its id, whatever its
// type and version say (see Security). A completed id is remembered for the dedup TTL
// (WithDedupTTL, an hour by default, at least twice the tolerance). A claim expires after
// ClaimTTL (five minutes) if the process dies while holding it; with a Store that is a
// ClaimRenewer (kickredis.WebhookStore), after RenewedClaimTTL (10 s), since the handler renews
// it every third of that while the function runs, so that neither a dead replica's claim nor one
// that a slow Store applied after Claim gave up holds Kick's retries back for longer.
//
// The rule that makes the two consistent: a delivery is accepted no earlier than the tolerance
// before its timestamp, and its id is then kept for at least twice the tolerance, so the id is
// remembered until the timestamp is more than the tolerance old. Whenever the Store has forgotten
// an id, the time check refuses the delivery. This needs the Store and the verifier to keep the
// same time, and a Store that counts an entry as present through the instant it expires, as
// MemoryStore does.
//
// The default Store, MemoryStore, lives in one process, expires entries and never holds more
// than its bound (100,000 ids by default), dropping the oldest first. Servers behind a load
// balancer need a shared Store: Claim is SET NX with an expiry in Redis, an INSERT into a table
// with a unique key in SQL. If the Store fails to claim, the delivery is answered 500 rather than
// processed without deduplication.
//
// If Complete fails after the function succeeded, the handler reports it and answers 200 (the
// delivery was processed); with a ClaimRenewer it keeps renewing the claim and tries Complete
// again in the background, until it lands or ClaimTTL has passed, so that the claim does not
// expire under Kick's retries meanwhile; and until it lands, this handler answers a retry of the
// delivery 200 as a duplicate, even if the Store lost the claim (TestHandlerPendingCompletionIsADuplicate).
//
// What deduplication cannot do: a process killed after a function returned and before Complete
// reached the Store leaves a claim that expires, and Kick's retry is processed again; a shared
// Store that loses its data forgets completed ids; a Store unreachable from the moment a function
// returns until its claim expires (RenewedClaimTTL) lets a retry that reaches another replica
// first be processed again. Across such crashes, deliveries are at least
// once: make functions idempotent where a second run would hurt.
//
// # Key rotation
//
// The default key is Kick's published one (KickPublicKeyPEM), parsed once. A FetchingKeySource
// follows rotation: it starts with that key and, when a signature does not verify, fetches the
// current key with a FetchFunc (such as the kick package's client.PublicKey.Get) and verifies
// again. Because forged requests fail verification too, fetches are limited: at most one per
// refetch interval (a minute by default, failed fetches included), and concurrent failures share
// one fetch, which runs detached from the request under its own timeout. The fetched PEM is
// parsed once; every delivery after that uses the cached key.
//
//	keys, err := webhook.NewFetchingKeySource(func(ctx context.Context) (string, error) {
//		key, err := client.PublicKey.Get(ctx)
//		if err != nil {
//			return "", err
//		}
//		return key.PEM, nil
//	})
//	verifier, err := webhook.NewVerifier(webhook.WithKeySource(keys))
//
// Any KeySource may be given; keys under 2048 bits are refused.
//
// # Drops claims
//
// The Drops claim webhook of an organization is signed the same way but carries only
// Kick-Event-Signature, Kick-Event-Message-ID and Kick-Event-Timestamp (not
// Kick-Event-Message-Timestamp) and no type. A delivery with that header set is a Drops claim:
// its Delivery.Type is EventDropsClaim, it decodes into a *DropsClaim (which must have a
// claim_id) and goes to OnDropsClaim. Kick expects 200 OK, also for a claim already processed:
// the handler deduplicates by message id, so make the function idempotent on DropsClaim.ClaimID,
// which Kick names as the claim's idempotency key.
//
// # Passthrough mode
//
// WithPassthrough hands each verified, fresh, not yet processed delivery to one function,
// undecoded — to put it on a queue. A worker decodes it later with Delivery.Event or Decode. An
// error from the function answers 500 and releases the claim, so Kick retries. The handler still
// checks the payload's identifying keys against its type before it claims the id, for the dedup
// key, and tells no one: a payload that does not fit is queued and fails in the worker's Decode.
//
// # Decoding
//
// Decode turns a payload into its type; unknown types and versions give an *UnknownEvent with
// the raw body. A known type whose payload does not decode gives an error matching ErrDecode.
//
// One rule decides what decodes, the rule of openapi/kick.yaml: a payload is refused only when
// it lacks what identifies it, or when a present key has the wrong JSON type (a user id that is
// a string). What identifies a payload is declared once in the spec, by the x-kick-identifying
// extension of its schemas, and generated into this package's table by tools/eventgen: a
// chat message's message_id, broadcaster and sender; a follow's broadcaster and follower; a
// user's user_id; and so on for every type, at every depth. Such a key that is absent, null or ""
// gives ErrMissingField. Every other documented key may be absent or null and leaves the zero
// value: Kick's deliveries have carried less than its docs show, and a stored delivery must
// decode however old it is. Real deliveries of early 2025 have no identity key at all, no
// created_at and no replies_to; later ones carry "identity": null, "replies_to": null,
// "emotes": null, "is_verified": null, "profile_picture": "" and created_at with nine fractional
// digits. All of these decode (the corpus testdata/webhooks/real holds one of each shape).
//
// Decoding is tolerant of the rest too: unknown fields are ignored; emote_id may be a string or
// a number; timestamps may have fractional seconds and any offset, which is kept; livestream
// metadata may carry its category under a capitalised "Category" key.
//
// # Types and JSON
//
// The event types follow the names of package kick (its documentation lists the rules under
// Names): a user's id is UserID and name Username, a channel's slug ChannelSlug, a version an int
// (Delivery.Version and Event.EventVersion; a Kick-Event-Version that is not a decimal number is
// 0, which no type has, so it goes to the catch-all). Times are time.Time, never pointers: a
// time Kick sends as null is the zero time (LivestreamStatusUpdated.EndedAt while live,
// BanMetadata.ExpiresAt for a permanent ban). KicksGift.PinnedTime is a time.Duration, and a
// subscription's length in months is Months. EventType, RedemptionStatus and CategorySummary are
// those of the leaf package kick/kicktypes, which package kick aliases: this package does not
// import the REST client. Every event marshals back as Kick's JSON, with null and absent times as
// Kick writes them, and unmarshals into an equal value; an UnknownEvent's Err marshals as its
// message.
//
// # Security
//
// What the package promises, and what it does not:
//
//   - Authenticity. The message id, the timestamp and the body are signed; a delivery whose
//     signature does not verify reaches no function. The type, the version and the subscription
//     id are not signed, and the Delivery carries them as received.
//   - Relabels. Someone who holds a signed delivery may resend it within the window with another
//     type or version. The payload is checked against what identifies the type before its id
//     is claimed: one that does not fit goes to the catch-all as an *UnknownEvent with
//     ErrMissingField (and to the hook; in passthrough mode, to the queue), never to the typed
//     function. Deduplication is keyed by the signed message id alone: a delivery whose payload
//     fits its label claims the message id, and every copy that does not fit its label (another
//     event, a type or version this package does not know) shares one second key, the message id
//     with ".unfit". A relabelled copy thus cannot make Kick's real delivery a duplicate, the
//     catch-all gets the relabelled copies of one delivery once whatever their labels, and a
//     flood of relabels adds at most one entry to the store, so it cannot push real ids out of a
//     MemoryStore (TestHandlerRelabelFloodCannotEvictTheRealID). What remains possible: a
//     relabel between types whose identifying keys the payload fits alike —
//     channel.subscription.new and channel.subscription.renewal, which have the same fields —
//     reaches the other type's function, and whichever of the two copies comes first takes the
//     message id; and the first unfitting copy, whatever its label, is the one the catch-all
//     gets. Treat a delivery's type in the catch-all as a claim, not a fact, and
//     Delivery.SubscriptionID likewise.
//   - Replays. A delivery is accepted only within the tolerance of the clock (five minutes each
//     way by default), and processed once: its message id outlives the window (dedup TTL of at
//     least twice the tolerance, see Replay protection). A Store shared by several servers is
//     needed for that across them; MemoryStore drops its oldest ids past its size bound.
//   - Bounded input. The headers are checked before the body is read; the body is read up to
//     the limit (1 MiB) and within the body read timeout (10 s), through a read deadline the
//     handler sets on the connection, or, behind a ResponseWriter that supports no deadline and
//     has no Unwrap, through a timer of the handler's own, which answers 408 at the deadline
//     (TestHandlerBodyReadDeadlineWithoutUnwrap) while the connection waits for the server's
//     ReadTimeout to end it. No byte of the body is parsed or hashed before it is all in. The
//     handler cannot bound the request line, the headers or idle connections: the http.Server
//     must set ReadHeaderTimeout, ReadTimeout and IdleTimeout, as the example at the top does. A
//     WriteTimeout also bounds how long the functions may run, since they run before the answer
//     is written.
//   - Panics. A panic of a function is recovered, answered 500, its claim released and reported
//     to the hook as a *PanicError, so the server does not log it as its own; a panic of the
//     error hook itself is not recovered.
//   - Secrets. The handler answers with the status text only; errors carry no key, signature or
//     payload (a panic's value is the bot's own).
//
// # Testing with webhooktest
//
// Package webhooktest plays Kick in tests: a Signer generates a key pair, signs deliveries and
// builds their headers and requests. Give the handler a verifier that trusts the signer's key:
//
//	signer, _ := webhooktest.NewSigner()
//	verifier, _ := webhook.NewVerifier(webhook.WithPublicKey(signer.PublicKey()))
//	h, _ := webhook.NewHandler(webhook.WithVerifier(verifier))
//	d := webhooktest.NewDelivery(kick.EventChatMessageSent, body)
//	h.ServeHTTP(recorder, signer.NewRequest("/kick/webhook", d))
//
// For a FetchingKeySource, return signer.PublicKeyPEM() from the FetchFunc. With package kick,
// client.PublicKey.PEM is a FetchFunc for Kick's own key.
//
// # Fuzzing
//
// FuzzVerify, FuzzDecode and FuzzHandler have seed corpora of signed deliveries under
// testdata/fuzz, which plain go test runs. To fuzz one for a minute:
//
//	go test -run='^$' -fuzz='^FuzzVerify$' -fuzztime=60s ./kick/webhook/
//	go test -run='^$' -fuzz='^FuzzDecode$' -fuzztime=60s ./kick/webhook/
//	go test -run='^$' -fuzz='^FuzzHandler$' -fuzztime=60s ./kick/webhook/
//
// The seeds are signed by the throwaway key in testdata/test-signing-key.pem; after changing the
// seeds, rewrite the files with go test -run=TestFuzzCorpus ./kick/webhook/ -update-corpus (the
// flag after the package, so that it reaches the test binary).
package webhook
