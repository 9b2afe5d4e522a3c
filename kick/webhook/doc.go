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
//	http.Handle("POST /kick/webhook", h)
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
// Kick does not sign Kick-Event-Type, Kick-Event-Version or Kick-Event-Subscription-Id. Someone
// who obtained a signed delivery could resend it with another type inside the tolerance window;
// deduplication by message id (below) drops such a copy once the original has been processed.
// The early X-Event-* header names of February 2025 are not accepted.
//
// # The Handler
//
// Handler is an http.Handler. It checks a request's method and headers before it reads the body,
// reads at most the body limit, and verifies the signature before anything looks at the payload.
// Register one function per event type with its typed method —
// OnChatMessageSent, OnChannelFollowed, OnChannelSubscriptionRenewal, OnChannelSubscriptionGifts,
// OnChannelSubscriptionNew, OnChannelRewardRedemptionUpdated, OnLivestreamStatusUpdated,
// OnLivestreamMetadataUpdated, OnModerationBanned, OnKicksGifted, and OnDropsClaim — and a
// catch-all with OnDefault. Each function gets the request's context, the Delivery (message id,
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
// Store.
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
//	409 Conflict               a copy of a delivery that is being processed right now: Kick
//	                           should retry it later, when it is either done (200) or failed
//	                           and released (processed again)
//	413 Request Entity Too     a body over the limit (WithMaxBodyBytes, 1 MiB by default), read
//	    Large                  through http.MaxBytesReader and never buffered beyond it
//	500 Internal Server Error  a user function (or the passthrough function) returned an
//	                           error, or the Store or KeySource failed: Kick retries
//
// A response body is only the status text. Details go to the error hook, never to the sender.
//
// # Replay protection
//
// A delivery whose timestamp is more than the tolerance (DefaultTolerance, five minutes, either
// way; WithTolerance) from the verifier's clock (WithClock) is refused. There is no switch that
// turns this off; to verify an old delivery, as a test does, set the clock to its time.
//
// Within the window, the Handler deduplicates on Kick-Event-Message-Id with a Store. It claims the
// id before any user function runs, completes it when the function succeeded and releases it
// when the function failed or panicked. So a delivery is processed once, copies that arrive while
// it is processed are answered 409, and Kick's retry of a failed delivery is processed again. A
// completed id is remembered for the dedup TTL (WithDedupTTL, an hour by default, at least twice
// the tolerance so that no replay outlives the memory); a claim expires after ClaimTTL if the
// process dies while holding it.
//
// The default Store, MemoryStore, lives in one process, expires entries and never holds more
// than its bound (100,000 ids by default), dropping the oldest first. Servers behind a load
// balancer need a shared Store: Claim is SET NX with an expiry in Redis, an INSERT into a table
// with a unique key in SQL. If the Store fails to claim, the delivery is answered 500 rather than
// processed without deduplication.
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
// error from the function answers 500 and releases the claim, so Kick retries.
//
// # Decoding
//
// Decode turns a payload into its type; unknown types and versions give an *UnknownEvent with
// the raw body. Decoding is tolerant of what Kick sends: unknown fields are ignored; a null
// where a value was documented leaves the zero value (an anonymous gifter's fields, a null
// is_verified); emote_id may be a string or a number; identity may be null or absent; timestamps
// may have fractional seconds and any offset, which is kept; livestream metadata may carry its
// category under a capitalised "Category" key. A known type whose payload still does not decode
// gives an error matching ErrDecode.
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
// For a FetchingKeySource, return signer.PublicKeyPEM() from the FetchFunc.
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
// seeds, rewrite the files with go test -run=TestFuzzCorpus -update-corpus ./kick/webhook/.
package webhook
