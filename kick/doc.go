// Package kick is the Go client for Kick.com's public API: chat bots, overlays, moderation tools
// and stream dashboards.
//
// A Client has one service per section of Kick's docs — Users, Channels, Livestreams, Categories,
// Chat, Moderation, Rewards, Kicks, Events, Drops, PublicKey and Tokens — and one method per Kick
// operation:
//
//	client, err := kick.NewClient(
//		kick.WithAppTokenSource(appTokens),   // client credentials
//		kick.WithUserTokenSource(userTokens), // authorization code + PKCE
//	)
//	users, err := client.Users.Get(ctx, []int64{123, 456})
//	sent, err := client.Chat.Send(ctx, kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "hello"})
//
// The package is built on the OpenAPI document openapi/kick.yaml and the request layer
// tools/kickgen generates from it (package gen: each operation's method, path, query and metadata),
// which it never exposes. Every model here is a plain Go type with Go names (UserID, URL), int64
// ids, time.Time timestamps and typed string enums, decoded straight from Kick's JSON.
//
// # JSON
//
// Every model marshals as Kick's JSON: json.Marshal(user) gives {"user_id":…,"name":…}, with the
// property names of the schema its documentation names ("Kick's schema: User"), and unmarshals
// back into an equal value. Inputs marshal as the body their method sends (ChatSendParams,
// RewardCreateParams, ModerationBanParams with its duration in minutes), and list parameters with
// the names of their query parameters. An error inside a result marshals as its message
// (SubscriptionResult.Err as Kick's "error"). Secrets — stream keys, access and refresh tokens,
// client secrets — are Secret values: fmt, log/slog and JSON print them as REDACTED, and only
// json.Marshal(kick.Reveal(v)) writes them, for a token store (see Secret).
//
// # Names
//
// One concept has one Go name in every package of the module (kick, kick/webhook, kick/kicktest,
// kick/kicktypes), even where Kick's JSON names it differently; the JSON tags keep Kick's names.
//
//   - Users: a user's id is UserID, wherever it sits (User, LivestreamBroadcaster, whose JSON says
//     "id", webhook.User, kicktest.User); a user in a role is <Role>UserID (BroadcasterUserID,
//     SenderUserID, ModeratorUserID). A user's name is Username (User's JSON says "name").
//   - Ids of other things: a model's own id is ID (Reward.ID, EventSubscription.ID); a reference to
//     another object is <Object>ID (RewardID, MessageID, SubscriptionID, ClaimID), and so is an id
//     Kick itself names that way (DropsClaim.ClaimID, SentChatMessage.MessageID). Ids are int64
//     for users, channels and categories, strings (ULIDs, UUIDs) for the rest.
//   - Channels and streams: a channel's slug is Slug on the Channel and ChannelSlug anywhere else.
//     A stream's title is Title on a stream (Livestream, LivestreamV1, webhook events) and
//     StreamTitle on a channel (Channel, ChannelUpdateParams). Language is the language code (Kick's
//     language or language_code), HasMatureContent the mature flag (is_mature on a channel's
//     stream), CustomTags the tags a broadcaster sets (tags or custom_tags); Tags are a
//     category's. StartedAt is when a stream started (start_time on a channel's stream).
//   - Times: a point in time is a time.Time named <verb>edAt (CreatedAt, StartedAt, EndedAt,
//     RedeemedAt, UpdatedAt) or ExpiresAt, never a pointer. A time Kick leaves out, sends as null or
//     as 0001-01-01T00:00:00Z is the zero time (t.IsZero()), and marshals back the way Kick writes
//     it. A length of time is a time.Duration (Token.ExpiresIn, ModerationBanParams.Duration,
//     webhook.KicksGift.PinnedTime), whatever unit Kick counts in; a count of months is Months.
//   - Events: an event type is an EventType in a field named Type (EventSubscription.Type, whose
//     JSON says "event"; SubscribeEvent.Type and SubscriptionResult.Type, "name";
//     webhook.Delivery.Type), and its version an int named Version, in package webhook too.
//   - Forms of one concept: <Concept>Summary is the compact form other objects embed
//     (CategorySummary, shared by kick and webhook; webhook.UserSummary; webhook.RewardSummary);
//     <Concept>V1 is the shape of a deprecated v1 endpoint (CategoryV1, LivestreamV1). Types of
//     different content have different names: Category (with tags), CategorySummary, CategoryV1
//     (with a viewer count); Reward, RedemptionReward (what this app may do with a redeemed
//     reward), webhook.RewardSummary.
//   - Optional inputs are pointers only where absent and zero differ (ChannelUpdateParams,
//     RewardUpdateParams); optional outputs are zero values ("" for an absent email).
//   - An HTTP status is StatusCode, as in net/http (APIError, Response, RequestInfo,
//     kicktest.Fault, kicktest.Delivery).
//   - Inputs: the struct a method takes is <Noun><Verb>Params, whether its fields are optional or
//     required: Noun is the singular of what the method acts on (the service's, or the one in the
//     method's name), Verb the method's verb (Channels.Update: ChannelUpdateParams; Chat.Send:
//     ChatSendParams; Rewards.ListRedemptions: RedemptionListParams; Ads.StartBreak:
//     AdBreakStartParams; Moderation.Ban: ModerationBanParams; Tokens.Request:
//     TokenRequestParams). An element of a batch is named the same way (DropsClaimUpdateParams).
//     Options configure a value being built (Option, RequestOption, webhook.HandlerOption,
//     relay.BoltOptions); Params are the input of one call.
//   - Base URLs: the REST API's is the API base URL (DefaultAPIBaseURL, WithAPIBaseURL,
//     kickauth.Login.APIBaseURL, kicktest.Server.APIBaseURL), the OAuth server's the OAuth base
//     URL (DefaultOAuthBaseURL, WithOAuthBaseURL, kickauth.DefaultOAuthBaseURL,
//     kickauth.Login.OAuthBaseURL, kicktest.Server.OAuthBaseURL). The JSON of stored logins and
//     the flags of the kick command keep their names (api_url, --base-url).
//   - State: the state of an OAuth authorization is the OAuth parameter, and
//     kickauth.ErrStateMismatch the callback that does not carry it; the saved state of a kicktest
//     server is a snapshot (SaveState, LoadState), refused with kicktest.ErrOtherApp when it is
//     another app's.
//
// The vocabulary kick and webhook share — EventType, RedemptionStatus, CategorySummary — lives in
// the leaf package kick/kicktypes, so that a webhook-only program does not link this client; the
// names here are aliases of those.
//
// # Authentication
//
// Kick has two kinds of access token. A user access token (TokenKindUser) acts for a Kick user
// within the scopes the user granted; it comes from the OAuth authorization code flow with PKCE. An
// app access token (TokenKindApp) acts for the app alone; it comes from the client credentials
// flow. Give the client an oauth2.TokenSource for either or both with WithUserTokenSource and
// WithAppTokenSource; any source works, and the client caches tokens until they expire.
//
// Each method's documentation names the token kinds and the scope its operation needs. A call picks
// its token from what the operation accepts: when it accepts both, the user token is used if the
// client has a source for one, and the app token otherwise. WithTokenKind chooses the kind for one
// call — subscribing to events of a channel other than the user's own needs the app token:
//
//	results, err := client.Events.Subscribe(ctx, params, kick.WithTokenKind(kick.TokenKindApp))
//
// A call that needs a kind of token the client has no source for fails with a *MissingTokenError
// (matching ErrMissingToken) before any request is sent.
//
// The scopes each operation needs of a user token come from the spec, and the scopes a token was
// granted from Kick's token answer ("scope", which golang.org/x/oauth2 keeps as the token's extra
// and kickauth stores with the token). When the token says what it was granted and lacks a scope
// the call needs, the call fails before any request with a *MissingScopeError (matching
// ErrMissingScope) that names the scope and the login that asks for it (`kick auth login --scopes
// user:read,chat:write`); a token that does not say (a static token made by hand) is sent, and
// Kick answers 403 if it lacks the scope. WithoutScopeCheck turns the check off.
//
// Token kinds per service: Users, Channels, Livestreams, Categories and Events accept either kind
// (Users.Me and Channels.Me need the user's token); Chat, Moderation, Rewards and Kicks need a user
// token; Drops needs the app token of an app that belongs to a Kick Organization; PublicKey needs
// none; Tokens.Introspect checks whichever token the call sends.
//
// # Input checks
//
// Inputs are checked against Kick's documented limits before anything is sent: ids per call, chat
// messages of at most 500 grapheme clusters (user-perceived characters: a flag or a family emoji is
// one) and 2,048 UTF-8 bytes, ban reasons of at most 100, timeouts of 1 to 10,080 minutes,
// 1 to 25 unique redemption ids, at most 100 Drops claims, slugs of at most 25 characters, reward
// title and description lengths, known enum values. A rejected input is a *ValidationError (matching
// ErrInvalidInput) naming the operation and the field.
//
// # Batching
//
// Users.Get, Channels.Get, Channels.GetBySlug and Livestreams.GetByUsers take any number of ids:
// they are de-duplicated and sent in requests of Kick's maximum (50, or 100 for livestreams of
// users), and the results come back in the order of the input. Kick leaves out unknown ids.
//
// # Pagination
//
// Cursor-paginated lists (Categories, Livestreams, reward redemptions, Drops claims) have a List
// method that returns one Page and its NextCursor, and an All method that returns an
// iter.Seq2[T, error] fetching pages lazily:
//
//	for stream, err := range client.Livestreams.All(ctx, kick.LivestreamListParams{Languages: []string{"en"}}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(stream.Title)
//	}
//
// An iterator stops after the last page (an empty page or cursor, or a cursor Kick already gave),
// and after yielding an error, including the context's. Breaking out of the loop fetches nothing
// more. An empty list is an empty slice, never an error.
//
// # Errors
//
// A non-2xx answer is an *APIError with the status, Kick's message (or the OAuth server's error and
// description), the operation, method and URL — with tokens and secrets redacted — and the start of
// the body. errors.Is matches it against ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound,
// ErrRateLimited and ErrServer. Kick's Cloudflare edge sometimes answers 403 with an HTML page; that
// becomes an *APIError with the page's title as message. Some 400 answers give a reason in their
// data (APIError.Detail): Events.Subscribe over Kick's caps on subscriptions is a
// *SubscriptionLimitError (ErrSubscriptionLimit). A success answer that is not JSON, or lacks what
// identifies it (see Decoding), wraps ErrUnexpectedResponse. No error ever contains a credential
// the call sent (see Security).
//
// # Decoding
//
// One rule decides which answers are accepted, the rule of openapi/kick.yaml, which package webhook
// applies to deliveries too: an answer is refused only when it lacks what identifies it, or when a
// present key has the wrong JSON type (a user id that is a string). What identifies an answer is
// declared once in the spec (x-kick-identifying) and generated into the client's endpoint table:
// the envelope's "data", and within it each object's id — a sent chat message's message_id, a
// user's user_id, a channel's broadcaster_user_id. Such a key that is absent, null or "" makes the
// call fail with ErrUnexpectedResponse: Chat.Send never reports a message sent without its id, and
// Users.Me never a user with id 0. Every other documented key may be absent or null and reads as
// its zero value, and unknown keys are ignored, so that an answer Kick extends or trims still
// decodes.
//
// Kick's answer to any call — its status and headers, such as a request id to quote to Kick — is at
// hand without changing any method: WithResponse fills a *Response. An *APIError keeps the
// answer's headers too (Header).
//
// # Raw requests
//
// NewRequest, Do and BareDo send a request the caller builds, as go-github's do, and through the
// same path as every service method: the token choice, the retry policy and Retry-After, the rate
// limiter, the refresh and replay after a 401, the Timeout, the logger and hook, and the error
// model. A request for an operation the SDK knows (matched by method and path template) is that
// operation, with its token kinds and its checks of the answer; any other — an endpoint Kick adds
// before the SDK knows it — takes the user token when the client has one, else the app token,
// else none (WithTokenKind and WithoutToken choose):
//
//	req, err := client.NewRequest("GET", "/public/v2/widgets?id=1", nil)
//	var out struct {
//		Data []Widget `json:"data"`
//	}
//	rsp, err := client.Do(ctx, req, &out)
//
// Do decodes Kick's whole JSON body (the envelope) into v and returns a *Response; BareDo hands
// back the *http.Response with its body unread. Only URLs under the client's base URLs are sent,
// so no token goes elsewhere.
//
// # Rate limits
//
// Kick publishes no rate limits and sends no rate-limit headers; a throttled call gets 429
// (ErrRateLimited). RetryPolicy describes the retry behavior. Sending a chat message is not
// idempotent: a chat message that may have reached Kick is never sent twice.
//
// # Logging
//
// WithLogger logs each request (operation, method, URL, status, attempt, duration) to a
// *slog.Logger, and WithRequestHook reports the same to a function. Neither ever sees a token.
//
// # Security
//
// What the client promises against a hostile or broken server, and what it does not:
//
//   - Credentials go to their hosts only. The bearer token is set only on requests to the origin
//     (scheme, host and port) of WithAPIBaseURL or of WithOAuthBaseURL; the client secret, refresh
//     token, code and verifier of Tokens.Request go to the OAuth server only. A redirect is
//     followed only for a GET or HEAD within the request's origin, at most 10 in a row. Any other
//     (to another host, scheme or port, or of a POST, PATCH, PUT or DELETE, whatever its status)
//     is not followed: the call fails with a *RedirectError (ErrRedirect), so a redirect never
//     sends a token elsewhere nor a chat message twice. The CheckRedirect of WithHTTPClient's
//     client runs after this policy; it can narrow it, not widen it.
//   - Nothing the client sent comes back in an error or a log. An *APIError (Message, the OAuth
//     fields, Body, URL), a transport error, a *RedirectError, the WithLogger lines and
//     RequestInfo hold no access token, client secret, refresh token, code or verifier the call
//     sent, even where the server echoes one: as sent, percent-encoded as in a query, a form or a
//     path (either hex case), JSON with escaped slashes, or HTML-escaped; a secret cut by the 4
//     KiB limit of Body is redacted whole. URLs show the values of token, access_token,
//     refresh_token, client_secret, code and code_verifier as REDACTED (RedactURL). Token and
//     TokenRequestParams print and log with their secrets redacted. Not promised: an echo in another
//     encoding (base64, every character \u-escaped), a credential shorter than 8 bytes (Kick
//     issues none), and the logs of proxies between you and Kick (Revoke sends its token in the
//     query, as Kick requires).
//   - Every read is bounded in size and time. A success body is read up to WithMaxResponseBytes
//     (DefaultMaxResponseBytes, 16 MiB; then ErrResponseTooLarge), an error body's first 4 KiB
//     are kept. WithHTTPClient's Timeout (30 seconds by default) bounds a whole call, from sending
//     to the end of the body, retries and their waits included; with a Timeout of 0 only the
//     context does. A wait for a retry that would outlast the context's deadline is not begun:
//     the call returns at once, a 429 as a *RateLimitError whose RetryAfter is what Kick asked
//     for. Durations (Retry-After, backoff) saturate instead of overflowing.
//   - An answer that lacks what identifies it is not success: a 200 without the "data" of its
//     operation ({"data":null}, {}, null), or whose objects lack their ids ({"data":{}} to a chat
//     message), is an error wrapping ErrUnexpectedResponse, so a caller never retries a chat
//     message that was sent but read as zero values.
//   - Tokens: the client fetches one token at a time per source and replays a request once after a
//     401. It does not back off a failing source of its own accord; kickauth's sources do (see its
//     Security section).
package kick
