// Package kickauth is OAuth 2.1 for Kick apps, built on golang.org/x/oauth2: Kick's endpoint on
// id.kick.com, the authorization code flow with PKCE, and token sources for app and user tokens
// that refresh once however many goroutines or processes need a token, and never lose a rotated
// refresh token.
//
// Kick has two kinds of access token. An app access token (client credentials grant) acts for
// the app alone: public data, and webhook subscriptions for any channel; it has lasted 60 days
// and has no refresh token. A user access token (authorization code grant with PKCE) acts for one
// Kick user within the scopes the user granted; it has lasted two hours and comes with a refresh
// token, which Kick replaces on every refresh.
//
// # Configuration
//
//	cfg := kickauth.NewConfig(clientID, clientSecret, "https://bot.example/callback",
//		kick.ScopeUserRead, kick.ScopeChatWrite)
//
// NewConfig returns an *oauth2.Config for Endpoint (https://id.kick.com/oauth/authorize and
// /oauth/token) that sends the client id and secret in the form body, the only way Kick accepts.
// Tests point it at a fake server with cfg.Endpoint = kickauth.EndpointAt(url).
//
// # Authorizing a user
//
// Kick requires PKCE with method S256, and a state. NewAuthRequest generates a state and a code
// verifier and builds the authorize URL; keep the AuthRequest on the server (in the user's
// session) until Kick redirects the user back, then call Exchange with the callback's query:
//
//	req := kickauth.NewAuthRequest(cfg)
//	saveInSession(w, r, req) // State and Verifier
//	http.Redirect(w, r, req.URL, http.StatusFound)
//
//	// In the handler of the redirect URI:
//	req := loadFromSession(r)
//	tok, err := kickauth.Exchange(ctx, cfg, req, r.URL.Query())
//	if err != nil { ... }
//	err = users.SetToken(ctx, tok) // users is the UserSource of this account, see below
//
// Exchange returns ErrStateMismatch unless the state matches (compared in constant time, before
// anything else), an *AuthorizationError if Kick reported an error (the user declined),
// ErrMissingCode without a code; then it exchanges the code with the verifier. A code that is used, expired or was issued
// for another verifier yields ErrReauthorize.
//
// Kick's web front end rewrites the first "127.0.0.1" of the authorize URL to "localhost", which
// breaks redirect URIs on 127.0.0.1. AuthURL adds the sacrificial redirect=127.0.0.1 parameter
// Kick's docs recommend when the redirect URI contains 127.0.0.1; registering a localhost
// redirect URI avoids the issue.
//
// # App tokens
//
//	apps := kickauth.AppTokenSource(ctx, cfg)
//	client, err := kick.NewClient(kick.WithAppTokenSource(apps))
//
// AppTokenSource fetches a token with x/oauth2's clientcredentials when one is first needed and
// again when it is within the refresh margin of its expiry, one fetch at a time. Processes that
// share a store share one app token with WithAppTokenStore: one of them fetches it, the others
// adopt it from the store.
//
// # User tokens and stores
//
//	dir, err := kickauth.DefaultFileStoreDir()
//	store, err := kickauth.NewFileStore(dir)
//	users, err := kickauth.UserTokenSource(ctx, cfg, store, kickauth.StoreKey(cfg.ClientID, "alice"))
//	client, err := kick.NewClient(kick.WithUserTokenSource(users))
//
// A TokenStore keeps user tokens between runs, one per key; StoreKey makes a key of the app's
// client id and the account, because a token belongs to both. MemoryStore keeps them in memory;
// FileStore keeps one file per key, readable by its owner alone, replaced atomically. Any database
// works: TokenStore is two methods, Load and Save. A store that several processes share should
// implement Locker too, as FileStore does with flock(2).
//
// A store that several hosts share (Redis, a database; github.com/kick-sdk/kick-go/kickredis is
// one) implements LeaseLocker and FencedStore: its locks are leases that free themselves when
// their holder dies, and every lease has a fencing token, greater than the ones before, that
// SaveFenced checks, so that a process that lost its lease while it refreshed cannot overwrite the
// token a later holder saved; it adopts that token instead. Package kickauthtest tests a store
// against all of this.
//
// # The kick CLI's logins
//
// `kick auth login` keeps its logins in a LoginStore: the tokens in a FileStore of the token
// directory (DefaultFileStoreDir unless KICK_TOKEN_DIR says otherwise), under LoginKey of the
// OAuth host, the client id and the account, and the index LoginsFile beside them, per host its
// logins and the active one. A program uses the same login, as go-gh's auth.TokenForHost gives
// gh's:
//
//	users, login, err := kickauth.TokenForHost(ctx, cfg, "") // the active account of cfg's host
//	client, err := kick.NewClient(kick.WithAPIBaseURL(login.API()), kick.WithUserTokenSource(users))
//
// The source refreshes the token at the login's host and saves it back, where the CLI finds it.
// Send a login's token to its API alone (Login.SameAPI). On Kick's host LoginKey is StoreKey, so
// a FileStore keyed with StoreKey in the same directory finds the CLI's logins to Kick too.
//
// # How a user token is refreshed
//
// UserSource.Token returns the current token while it is valid for longer than the refresh margin
// (DefaultRefreshMargin, one minute; see WithRefreshMargin). Otherwise it refreshes:
//
//  1. One refresh at a time. Every caller that needs a token while a refresh runs waits for it
//     and gets its result, error included: a thousand goroutines at expiry make one request.
//  2. If the store is a Locker, the refresh takes the key's lock, so that processes sharing the
//     store refresh one at a time; a lease if it is a LeaseLocker. A lease that ended before the
//     request to Kick sends nothing: the store is read again, and a valid token another process
//     saved meanwhile is handed out; without one, the refresh fails with ErrLeaseLost.
//  3. It reloads the token from the store. If another process has already refreshed, its token
//     is used and no request is made; with the lock of step 2, a refresh token another process
//     has spent is never sent. If the store holds no token (a Redis restarted empty, a restored
//     backup) while the source holds one whose refresh token Kick has not rejected, the source
//     refreshes with its own, and step 5 saves the result: the store is refilled rather than
//     the user asked to authorize again.
//  4. It sends the stored refresh token to the token endpoint (grant_type=refresh_token). If the
//     answer has no refresh token, the old one is kept.
//  5. It saves the new token to the store (with SaveFenced under a lease), and only then hands it
//     out. If Save fails, the token stays in memory, is not handed out, and is saved by the next
//     call without asking Kick again: the new refresh token, the only valid one, is never lost to
//     a crash or a store failure. If the fencing check refuses the save (ErrFenced: the lease ran
//     out meanwhile and a later holder saved), the newer stored token is used instead.
//
// A refresh that Kick refused (invalid_grant), or whose lease ran out while Kick answered, reads the
// store again before it reports anything: if another process saved a token meanwhile (it took
// the lock when the lease ran out, and spent the refresh token), that token becomes the current
// one and, if valid, is handed out. ErrReauthorize is reported only when the store still holds
// the refused refresh token.
//
// A refresh that has started runs to the end and is saved even if its caller gives up
// (TokenContext) or the source's context is canceled: abandoning it after Kick rotated the
// refresh token would lose the new one. One minute bounds it. A fetched token is kept for at
// least half its lifetime, so no margin can turn into a refresh per call.
//
// If a refresh fails while the current token has not yet expired (Kick is down), Token hands out
// the current token and tries again five seconds later; once the token has expired, the failure
// is returned, and the source backs off (see Security) rather than ask again on every call.
//
// # When the user must authorize again
//
// Kick answers invalid_grant when a refresh token no longer works: the user revoked the app, or
// the token aged out (refresh tokens have been seen to stop working after 30 to 90 days). Token
// then returns a *ReauthorizeError, which matches ErrReauthorize:
//
//	tok, err := users.Token()
//	if errors.Is(err, kickauth.ErrReauthorize) {
//		// Send the user through NewAuthRequest and Exchange again, then SetToken.
//	}
//
// The same error means the store holds no token for the key and the source holds none Kick accepts
// (it also matches ErrNoToken), or a token without a refresh token. Retrying does not help, and
// the source does not retry: a refresh token Kick rejected is never sent again. A new token from
// SetToken, or one another process saves to the store, is picked up by the next call.
//
// One case is not the user's to fix: after the store lost its data, a source whose in-memory
// refresh token another process had already spent gets ErrReauthorize (its description says "no
// token in the store"), while that other process holds the newer token and saves it at its next
// refresh; the next call after that succeeds. Keep the store durable and it does not happen. To
// sign a user out, revoke the token (kick.TokensService.Revoke) as well as deleting it from the
// store: a running source holding it refills an empty store at its next refresh.
//
// # Tokens Kick rejects
//
// When Kick answers 401 to a request made with an access token, call Invalidate with that token:
// the next Token refreshes (or adopts a different valid token from the store). However many
// goroutines invalidate the same token, one refresh follows; invalidating a token that has
// already been replaced does nothing. Both sources have the method; an HTTP transport finds it
// through the interface
//
//	interface{ Invalidate(accessToken string) }
//
// # Security
//
// What the package promises, and what it does not:
//
//   - Token requests follow no redirect. The code exchange, the refresh and the client
//     credentials grant are sent with a copy of the HTTP client (WithHTTPClient's, the context's
//     under oauth2.HTTPClient, or http.DefaultClient) whose CheckRedirect refuses every redirect:
//     the call fails with a *kick.RedirectError (kick.ErrRedirect), and the form (client secret,
//     refresh token, code, verifier) is never sent again, to another host or to the same.
//     x/oauth2 on its own follows a 307 or 308 and replays the form (golang/oauth2#500).
//   - Nothing in this package prints or logs a token, a refresh token, a code, a verifier or the
//     client secret. The types that hold one (AppSource, UserSource, MemoryStore, AuthRequest)
//     print a description with the secrets replaced by REDACTED for every fmt verb, and implement
//     slog.LogValuer the same way. Errors and the WithLogger lines hold none of the secrets of the
//     request even when the token endpoint echoes them, in the forms package kick knows (as sent,
//     percent-encoded either case, JSON with escaped slashes, HTML-escaped); the
//     *oauth2.RetrieveError in an error's chain is a copy with them redacted from Body,
//     ErrorCode, ErrorDescription and ErrorURI. WithLogger logs the key, client id and expiry
//     alone.
//   - Not promised: an *oauth2.Token, and the *oauth2.Config of NewConfig (its ClientSecret field
//     holds the client secret), have no such methods: fmt and slog print their fields, secrets
//     included. Never print or log one; print Redact(tok).
//   - A failing token endpoint is not hammered. After a fetch fails and no valid token is left,
//     Token returns that failure (wrapped, so errors.Is and errors.As find it) at once, without a
//     request, until a backoff has passed: 1 second after the first failure, doubling after each
//     one in a row up to 1 minute, with equal jitter (half fixed, half random) so that processes
//     sharing an endpoint spread out. The caller never waits for it, so its context is honored
//     as it is. A success or SetToken ends it. Exempt: ErrReauthorize (a refresh token Kick
//     rejected is never sent again anyway, and a new authorization in the store is picked up by
//     the next call), and a refreshed token that could not be saved yet (the next call saves it).
//   - Bounds: one fetch (the store's lock, the token request, the save) lasts at most a minute;
//     x/oauth2 reads at most 1 MiB of a token answer; FileStore reads a token file of at most 64
//     KiB, and refuses at Save a token whose file would be larger, or that is not valid UTF-8,
//     rather than save what it could not load back.
//   - File permissions. FileStore creates its directory with mode 0700 and its files with mode
//     0600. On Unix systems it refuses a directory that is writable by its group or by others, or
//     owned by another user; it checks the directory itself, not its parents. It never follows a
//     symbolic link at a token file or a lock file (O_NOFOLLOW: the lock fails rather than create
//     the link's target) and reads only regular files; Save renames over a link, never writes
//     through it. Elsewhere (Windows) the directory's ACLs are not checked.
package kickauth
