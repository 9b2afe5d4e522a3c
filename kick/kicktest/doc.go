// Package kicktest is a fake Kick for tests: the REST API of api.kick.com, the OAuth server of
// id.kick.com and signed webhook deliveries, in memory on two loopback listeners. Every
// operation of openapi/kick.yaml works with real state, and every request and response is
// checked against that document, so the fake cannot drift from the spec the client is generated
// from.
//
//	func TestBot(t *testing.T) {
//		s := kicktest.New(t) // closed when the test ends
//		client, err := s.Client(kicktest.Streamer.UserID)
//		if err != nil {
//			t.Fatal(err)
//		}
//		sent, err := client.Chat.Send(ctx, kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "hello"})
//		...
//		if got := s.Messages(kicktest.Streamer.UserID); len(got) != 1 {
//			t.Errorf("chat holds %d messages", len(got))
//		}
//	}
//
// APIBaseURL stands for https://api.kick.com (kick.WithAPIBaseURL) and OAuthBaseURL for
// https://id.kick.com (kick.WithOAuthBaseURL, kickauth.EndpointAt). Server.Client returns a kick
// client with both and the tokens of a user and of the app; the OAuth operations (token, revoke,
// introspect and the authorize step) are only on OAuthBaseURL, as they are only on id.kick.com.
//
// # What kicktest promises
//
//   - Every operation of openapi/kick.yaml is served. The handler set is generated from the spec
//     (handlers_gen.go, an interface with a method per operation): a handler missing is a
//     compile error of this package, never a server that fails to start. An operation a newer
//     spec adds before `make generate` answers 501.
//   - Every request, response and delivery is checked against the spec (see Checked against the
//     spec): under New, an answer or delivery of kicktest that breaks it fails the test.
//   - The bodies are the client's own models (package kick and kick/webhook) marshaled as Kick's
//     JSON, so what kicktest serves is what the client decodes.
//   - Behavior follows Kick's docs and the spec, quirks included (see Behavior); the Ads API,
//     which Kick does not document, follows the spec's inference.
//   - The seed data is the same on every run and on any day (see Seed data, Time and
//     concurrency), and deliveries are signed with a fixed, published key (SigningKeyPEM).
//   - The exported API (api/kick_kicktest.txt) changes only as the module's does: listed in
//     CHANGELOG.md, compatibly within a major version from v1.0.0.
//
// Not promised: Kick's latency, its rate limits (Fault simulates a 429), what Kick does that its
// docs do not say, and any security: its signing key and its app's credentials are no secret,
// so it is for tests and demos only.
//
// # Seed data
//
// A server starts with the same data every time, its times placed from its clock so that they
// read the same on any day:
//
//   - Users, each with a channel: Streamer (kickgo_streamer, offline, Just Chatting), Viewer,
//     Moderator (a moderator of Streamer's chat) and BotUser (the app's chat bot), and the
//     streamers nova_streams (live, Rust), lunakai (live, Just Chatting, Turkish, mature),
//     slotqueen_vip (live, Slots & Casino), nomad_irl (live, IRL), clutchkingcs (live,
//     Counter-Strike 2, Portuguese), pixelpanda, rustlord_88 and chillbeats (offline), and
//     crypto_giveaway_bot, banned from Streamer's chat. Users lists them; AddUser adds more.
//   - Categories: Just Chatting (15), Rust (12), Slots & Casino (28), Counter-Strike 2 (8549), IRL
//     (14), Grand Theft Auto V, VALORANT, League of Legends, Minecraft, Call of Duty: Warzone,
//     Fortnite, Music, Elden Ring and Rust Console Edition, with tags and thumbnails on
//     files.kick.com.
//   - Streamer's rewards: Song Request and Pick my next loadout, created by the app, and Hydrate!
//     (paused, skips the request queue), created on kick.com so the app may not change it; two
//     pending Song Request redemptions and an accepted Hydrate! one.
//   - Streamer's KICKs gifts over the last 200 days, for the leaderboard: this week (inside the
//     current week and month, whatever the day) rustlord_88 5,000 and pixelpanda 1,000; earlier
//     this month lunakai 12,000 and Viewer 500 (between the 1st and this week's Monday; in the
//     days of a month before its first Monday they fall in the month before, and the month's
//     board is the week's); 40 days ago or more, pixelpanda 125,000, lunakai 36,500 and
//     rustlord_88 2,500. Viewer subscribed for 3 months, Moderator for 12.
//   - Four Drops claims of the app's organization, one processed.
//
// Chat, event subscriptions and deliveries start empty.
//
// # Tokens
//
// UserToken issues a user access token with any scopes (all by default) and a refresh token, as
// if the user had authorized the app; AppToken issues an app access token. They last two hours
// and 60 days of the server's clock, as Kick's do. A call with a missing, unknown, expired or
// revoked token is answered 401; a token of a kind the operation's security does not accept, or
// without its scope, 403 with Kick's envelope, {"data":null,"message":"Forbidden: ..."}. Tokens
// carry the granted scopes as Kick's token answer does ("scope"), so the kick client refuses a
// call without its scope before sending (kick.ErrMissingScope); with kick.WithoutScopeCheck the
// call reaches the 403.
//
// The OAuth server runs the real flow: OAuthConfig returns a kickauth configuration of the app;
// GET /oauth/authorize checks the client id, the redirect URI (registered in App.RedirectURIs,
// or any loopback http URI unless WithLoopbackRedirects(false)), the state, the S256 PKCE
// challenge and the scopes, and approves at once as the user AuthorizeAs chose (Streamer by
// default): it redirects 302 to the redirect URI with code and state, so a test follows the
// redirect without a browser. AuthorizeAs(0) declines instead (error=access_denied). The token
// endpoint checks the client credentials in the form body, the code (single use, ten minutes),
// the redirect URI and the PKCE verifier; it serves client credentials, and refreshes rotate the
// refresh token: a refresh token used once is invalid_grant after. Revoking a refresh token
// revokes its whole authorization; revoking an access token, that token. Introspection answers
// {"active": false} for a token that is not active.
//
// # Checked against the spec
//
// Every request is validated with kin-openapi against its operation in openapi/kick.yaml, after
// the token check and before the handler: parameters, array limits, bodies, formats (uuid,
// ulid, hexcolor included). A request that breaks the spec is answered 400 (404 on operations
// that document no 400, for a malformed path id) with a message naming the violation:
//
//	{"data":null,"message":"parameter \"broadcaster_user_id\" in query: maximum number of items is 50"}
//
// on the token and revoke endpoints in the OAuth error shape. Such requests are the client's
// fault: they are recorded in Violations, not reported as failures.
//
// Every response a handler produces is validated too, status included, before it is sent, and
// so is every webhook delivery the server builds (headers and payload, against the callbacks of
// createEventSubscriptions). One that breaks the spec is kicktest's fault or the spec's: it goes
// to the handler of WithSpecViolationHandler — under New, t.Errorf fails the test — and to
// Violations, and is still sent. ResponsesValidated counts the validated responses per
// operation; Operations lists every operation.
//
// # Behavior
//
// The handlers behave as Kick's docs and the spec say, including their quirks: getChannels
// refuses ids and slugs in one call ("Invalid parameters or mixed parameter types") and an unknown
// slug (400), and fills the stream key only for the token owner's channel with streamkey:read;
// a chat message over 500 grapheme clusters or 2,048 bytes is a 400 (the spec's
// x-kick-max-graphemes and x-kick-max-bytes, which JSON Schema cannot state);
// rewards are at most 15 per channel and only the app that created one may change or delete it
// (403); only pending redemptions are accepted or rejected, others are reported per id;
// redemptions list 25 a page, pending by default; event subscriptions with a user token are for
// the token owner's channel, with an app token for broadcaster_user_id, fail per event without
// a webhook URL, are not de-duplicated, and are capped as on Kick (WithSubscriptionLimits, by
// default 10,000 per event type and 1,000 to chat.message.sent for an unverified app): a request
// over a cap subscribes nothing and gets Kick's 400, {"data":"event subscription limit
// reached","message":"Bad request"}; Drops need the app token; the inferred Ads API starts three
// ad breaks an hour once the channel is enrolled, each client-chosen id once; the v2 lists use
// cursors (the Drops cursor inside data). Chat messages are stored, replies must name a message of
// the same chat, banned users cannot chat, and moderators and the broadcaster can delete and ban.
//
// # Webhooks
//
// Subscribed events are POSTed to App.WebhookURL (WithWebhookURL, SetWebhookURL), one delivery per
// matching subscription, each on its own goroutine, signed with SigningKeyPEM and carrying
// Kick-Event-Message-Id (a ULID), Kick-Event-Subscription-Id, Kick-Event-Message-Timestamp (RFC
// 3339, the real time of sending: see Delivery.Timestamp), Kick-Event-Type, Kick-Event-Version and
// Kick-Event-Signature. The API causes events as Kick does: a chat message sent arrives as
// chat.message.sent, a ban as moderation.banned, a redemption accepted or rejected as
// channel.reward.redemption.updated, a channel update as livestream.metadata.updated. What happens
// on Kick without the API has a helper: SendChat, Follow, Subscribe, GiftSubs, Redeem, StartStream,
// EndStream and GiftKicks; Emit delivers any payload, unchecked. Flush waits for the deliveries in
// flight; Deliveries logs them with the webhook's answers. A delivery is tried once. Payloads are
// kick/webhook's events marshaled as Kick's JSON; SamplePayload builds one of any event type,
// Drops claims included, without a Server.
//
// Kick's real deliveries have changed shape over time, and a stored or replayed one of early
// 2025 is still valid: WithPayloadShape makes the server deliver an older shape
// (PayloadsEarly2025: no identity key, no created_at, null emotes and is_verified;
// PayloadsMid2025: identity, but no created_at), and ReshapePayload turns any payload into one,
// as `kick event trigger --shape` does, to test a handler against them.
//
// The signing key is fixed and published (SigningKeyPEM), so `kick mock serve`, `kick event
// trigger` and tests agree. Verifier returns a verifier that trusts it, and NewHandler a webhook
// handler with that verifier; a verifier of the app can also fetch it like Kick's, from
// GET /public/v1/public-key:
//
//	h, _ := kicktest.NewHandler() // webhook.NewHandler, trusting kicktest's key
//
//	keys, _ := webhook.NewFetchingKeySource(client.PublicKey.PEM)
//	verifier, _ := webhook.NewVerifier(webhook.WithKeySource(keys))
//
// Kick's subscriptions have quirks of their own: SetListingLag makes the listing leave out a
// subscription just created, as Kick's is known to, and DisableWebhooks drops every subscription,
// as turning the app's webhooks off does. EventSubscriptions shows what the fake holds.
//
// # Faults
//
// Fault makes a route misbehave: answer a status in Kick's error envelope (with Retry-After),
// a raw or Cloudflare HTML body, wait, reset the connection before or after handling the
// request, or cut the answer in half. Faults queue per route and apply to Times requests each,
// so "two 503s then normal" is two lines; Requests counts what a route received. A reset after
// handling (ResetAfter) is how to test that a client does not send a chat message twice:
//
//	s.Fault("sendChatMessage", kicktest.Fault{ResetAfter: true, Times: 1})
//	_, err := client.Chat.Send(ctx, msg) // fails, and must not be retried
//	// s.Messages holds the message exactly once
//
// The webhook path has faults of its own, those `kick doctor` (package doctor) diagnoses. A
// delivery fails when the webhook cannot be reached, does not answer within SetDeliveryTimeout
// (DefaultDeliveryTimeout), or answers anything but 2xx (a redirect is not followed);
// SetUnsubscribeAfterFailures makes the server delete a subscription after that many failures
// in a row, as Kick drops those whose deliveries fail for a day. DisableWebhooks turns the
// app's webhooks off. RotateSigningKey signs with a new key, served at GET
// /public/v1/public-key. Every answer's Date header is on the real clock, as Kick's is;
// SetDateOffset moves it, to show what a local clock that is off looks like. FaultEvery blocks
// every route as Kick's Cloudflare edge does, with CloudflareBlockBody or Fault{HTML: true}.
//
// # Programs
//
// Code without a testing.TB (an Example, a demo, `kick mock serve`) uses MustNewServer and
// MustClient, and UserTokenSource and AppTokenSource for tokens that refresh through the fake's
// OAuth server. WithHandler adds a program's own endpoints to the API listener. SaveState and
// LoadState write and read the state (users, chat, subscriptions, tokens...) as JSON, so that
// logins and subscriptions outlive a restart.
//
// # Time and concurrency
//
// A server's clock is Kick's time for its data: the seed data is placed from it, and token
// expiry, the times of messages, bans, timeouts and payloads, and the leaderboard's periods
// follow it. WithClock sets it; the default is Now: time.Now, or the instant in EnvNow
// (KICKTEST_NOW), which runs a whole suite as if on another day. Server.Now reads it: an example
// that shows how long ago something happened subtracts from it, not from time.Now. Two times
// are on the caller's clock instead, because the caller checks them against time.Now: a token's
// Expiry (UserToken) and a delivery's Kick-Event-Message-Timestamp (Delivery.Timestamp).
//
// A Server is safe for concurrent use; one mutex guards its state.
package kicktest
